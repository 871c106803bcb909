"""The checks of `make test` catch what they are there for (issue 2).

Each test breaks a copy of the tree and shows the check failing, next to a
control run on the unbroken copy, so none of them can pass vacuously.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _copy(tmp: Path, device_tests: tuple[str, ...]) -> Path:
    dst = tmp / "tree"
    dst.mkdir()
    for name in ("boot.py", "main.py", "pyrightconfig.rp2.json", "pyrightconfig.esp32.json"):
        shutil.copy(ROOT / name, dst / name)
    for tree in ("firmware", "lib", "tools"):
        shutil.copytree(ROOT / tree, dst / tree, ignore=shutil.ignore_patterns("__pycache__"))
    (dst / "host_tests" / "device").mkdir(parents=True)
    shutil.copy(ROOT / "host_tests/conftest.py", dst / "host_tests/conftest.py")
    for t in ("support.py",) + device_tests:
        shutil.copy(ROOT / "host_tests/device" / t, dst / "host_tests/device" / t)
    if (ROOT / ".stubs").exists():
        (dst / ".stubs").symlink_to(ROOT / ".stubs")
    return dst


def _unix_port(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.run_device_tests", "host_tests/device"],
                          cwd=tree, capture_output=True, text=True, timeout=600)


def _cpython(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "host_tests/device"], cwd=tree, capture_output=True, text=True,
                          timeout=600)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("breakage", ["typing_import", "removeprefix"])
def test_cpython_only_code_in_a_device_file_fails_in_the_unix_port(tmp_path, breakage):
    tree = _copy(tmp_path, ("test_profiles.py", "test_button.py"))
    control = _unix_port(tree)
    assert control.returncode == 0, control.stdout + control.stderr
    ran = re.search(r"^micropython: (\d+) passed, 0 failed", control.stdout, re.M)
    assert ran and int(ran.group(1)) > 0, control.stdout
    if breakage == "typing_import":
        _edit(tree / "firmware/limits.py", "from micropython import const\n",
              "from micropython import const\nfrom typing import List  # noqa\n")
    else:
        _edit(tree / "firmware/profiles.py", "    cap = CAP_UA[index]\n",
              "    cap = CAP_UA[index]\n    DEFAULTS[index][0].removeprefix('x')\n")
    broken = _unix_port(tree)
    assert broken.returncode != 0, broken.stdout
    assert " failed" in broken.stdout and "micropython: " in broken.stdout
    # CPython alone would have let it through: the unix port is what catches it.
    assert _cpython(tree).returncode == 0


def test_the_unix_ports_simulated_boards_run_the_current_sources_compiled(tmp_path):
    # tools/run_device_tests.py compiles the firmware to .mpy for the simulated
    # boards (build/mpy/sim) before each run: a change made after a run that
    # built it reaches the next run, and the boards import no source.
    tree = _copy(tmp_path, ("test_sim_esp32.py",))
    control = _unix_port(tree)
    assert control.returncode == 0 and "1 passed, 0 failed" in control.stdout, control.stdout
    sim = tree / "build" / "mpy" / "sim"
    assert (sim / "firmware" / "app.mpy").exists() and (sim / "main.py").exists()
    assert not list(sim.rglob("firmware/*.py"))
    _edit(tree / "firmware/startup.py", "    from firmware.hal import Hal\n",
          "    from firmware.hal import Hal\n    raise RuntimeError('changed')\n")
    broken = _unix_port(tree)
    assert broken.returncode != 0 and "changed" in broken.stdout, broken.stdout


def test_a_parametrised_device_test_runs_each_parameter_alone_in_both_interpreters(tmp_path):
    # PARAMETRISE (the fault matrix's mechanism, test_faults.py): each parameter is a
    # test of its own, an interpreter of its own in the unix port (the file's marker),
    # selectable by its id; a failing parameter fails alone.
    tree = _copy(tmp_path, ())
    (tree / "host_tests/device/test_p.py").write_text(
        "# device-tests: one interpreter per test\n"
        "PARAMETRISE = {'test_p': ('A1', 'B2', 'C3')}\n\n\n"
        "def test_p(case_id):\n    assert case_id != 'B2', case_id\n")
    unix = _unix_port(tree)
    for case, result in (("A1", "1 passed, 0 failed"), ("B2", "0 passed, 1 failed"),
                         ("C3", "1 passed, 0 failed")):
        assert f"test_p.py::test_p[{case}]: {result}" in unix.stdout, unix.stdout
    assert "micropython: 2 passed, 1 failed" in unix.stdout and unix.returncode == 1
    cpython = _cpython(tree)
    assert "1 failed, 2 passed" in cpython.stdout and "test_p[B2]" in cpython.stdout
    one = subprocess.run([sys.executable, "-m", "tools.run_device_tests",
                          "host_tests/device/test_p.py::test_p[C3]"], cwd=tree,
                         capture_output=True, text=True, timeout=600)
    assert one.returncode == 0 and "micropython: 1 passed, 0 failed" in one.stdout, one.stdout


def _mpy(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.check_device", str(tree)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_mpy_cross_sweep_rejects_syntax_micropython_lacks(tmp_path):
    tree = _copy(tmp_path, ())
    assert _mpy(tree).returncode == 0
    (tree / "firmware/broken.py").write_text(
        "def f(x):\n    match x:\n        case 1:\n            return 2\n")
    r = _mpy(tree)
    assert r.returncode != 0 and "firmware/broken.py" in r.stdout


def _pyright(tree: Path, port: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "pyright"), "-p", f"pyrightconfig.{port}.json"], cwd=tree,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("port", ["rp2", "esp32"])
def test_pyright_checks_device_files_against_the_port_stubs(tmp_path, port):
    if not (ROOT / ".stubs" / port).exists():
        pytest.fail("the port stubs are not installed: run `make test`, which installs them")
    tree = _copy(tmp_path, ())
    ok = _pyright(tree, port)
    assert ok.returncode == 0, ok.stdout
    (tree / "firmware/broken.py").write_text(
        "import machine\n\nmachine.Pin(2, machine.Pin.OUT).frobnicate()\n")
    r = _pyright(tree, port)
    assert r.returncode != 0 and "frobnicate" in r.stdout
