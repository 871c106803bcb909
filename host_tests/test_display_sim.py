"""The display's host side (issue 17): the ssd1306 driver from its declared source
(tools/display_driver.py: pinned by sha256, no copy committed), the CPython
framebuf stand-in the simulator runs it on (tools/sim/framebuf.py: the unix port's
own glyphs), and the simulated panel's PNG (tools/sim/oled.py)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tools import display_driver as dd
from tools.check_device import ARCHS, compile_file
from tools.ionto import deploy
from tools.sim import framebuf as fake_fb
from tools.sim import oled

MICROPYTHON = str(Path(sys.executable).parent / "micropython")


def test_the_declared_source_gives_the_pinned_driver_and_it_compiles_for_every_chip(tmp_path):
    path = dd.source()
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == dd.SHA256
    text = data.decode()
    assert text.startswith("# MicroPython SSD1306 OLED driver, I2C and SPI interfaces")
    assert "class SSD1306_SPI(SSD1306):" in text and "def write_data(self, buf):" in text
    for arch in ARCHS:
        assert compile_file(dd.BOARD_PATH, arch, tmp_path / arch / "ssd1306.mpy",
                            path.parent.parent) is None, arch
    # No copy of it in the repository: the deploy step and the tests fetch it.
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True,
                             cwd=dd.ROOT).stdout.split()
    assert not [f for f in tracked if f.endswith("ssd1306.py")]


def _tar(member: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as t:
        info = tarfile.TarInfo(member)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _pypi(archive: bytes):
    meta = json.dumps({"releases": {dd.VERSION: [
        {"filename": dd.SDIST, "url": "https://files.example/" + dd.SDIST}]}}).encode()

    def get(url: str) -> bytes:
        return meta if url.endswith("/json") else archive
    return get


def test_an_archive_or_a_file_other_than_the_pinned_ones_is_refused(tmp_path):
    forged = _tar(dd.MEMBER, b"# not the driver\n")
    with pytest.raises(dd.DriverError, match="sha256"):
        dd.extract(forged)
    with pytest.raises(dd.DriverError, match="sha256"):
        dd.source(tmp_path, get=_pypi(forged))
    assert not (tmp_path / dd.BOARD_PATH).exists()
    # A cached file that is not the pinned one is fetched again, and checked.
    (tmp_path / "lib").mkdir()
    (tmp_path / dd.BOARD_PATH).write_bytes(b"# edited by hand\n")
    real = dd.source().read_bytes()
    with pytest.raises(dd.DriverError, match="sha256"):
        dd.source(tmp_path, get=_pypi(forged))
    good = _pypi(b"")

    def get(url: str) -> bytes:
        return good(url) if url.endswith("/json") else dd._download(dd.sdist_url())
    assert dd.source(tmp_path, get=get).read_bytes() == real


class _Link:
    """What board_files asks of a board: its board.txt, and MicroPython's name."""

    def __init__(self, board_txt: bytes | None, machine: str = "Raspberry Pi Pico with RP2040"):
        self.board_txt = board_txt
        self.machine = machine

    def get(self, path: str) -> bytes | None:
        assert path == "board.txt"
        return self.board_txt

    def exec(self, code: str) -> str:
        return "rp2|" + self.machine + "\n"


def test_deploy_adds_the_driver_only_for_a_board_that_names_a_display(tmp_path):
    assert deploy.board_name(_Link(None)) == "pico"
    assert deploy.board_name(_Link(None, "Raspberry Pi Pico W with RP2040")) == "picow"
    assert deploy.board_name(_Link(b"esp32_devkitc\n")) == "esp32_devkitc"
    for name in (b"pico", b"picow", b"esp32_devkitc"):
        assert deploy.board_files(_Link(name), "armv6m", tmp_path) == []
    files = deploy.board_files(_Link(b"pico_oled\n"), "armv6m", tmp_path)
    assert [p for p, _ in files] == ["lib/ssd1306.mpy"]
    assert files[0][1][:2] == b"M\x06"  # a .mpy, version 6


def _port_glyphs() -> bytes:
    code = ("import framebuf\nb = bytearray(8)\n"
            "f = framebuf.FrameBuffer(b, 8, 8, framebuf.MONO_VLSB)\n"
            "o = bytearray()\nfor c in range(32, 128):\n"
            " f.fill(0)\n f.text(chr(c), 0, 0, 1)\n o += b\nprint(o.hex())\n")
    r = subprocess.run([MICROPYTHON, "-c", code], capture_output=True, text=True, check=True)
    return bytes.fromhex(r.stdout.strip())


def test_the_cpython_framebuf_draws_the_unix_ports_glyphs():
    assert fake_fb.FONT == _port_glyphs()
    # And places them as the port does, off the page grid and clipped at the edge.
    code = ("import framebuf\nb = bytearray(1024)\n"
            "f = framebuf.FrameBuffer(b, 128, 64, framebuf.MONO_VLSB)\n"
            "f.text('I 14.95 mA~', 3, 5)\nf.fill_rect(60, 30, 70, 9, 1)\n"
            "f.text('kOhm', 100, 60, 1)\nf.pixel(2, 2, 1)\nprint(b.hex())\n")
    r = subprocess.run([MICROPYTHON, "-c", code], capture_output=True, text=True, check=True)
    buf = bytearray(1024)
    f = fake_fb.FrameBuffer(buf, 128, 64, fake_fb.MONO_VLSB)
    f.text("I 14.95 mA~", 3, 5)
    f.fill_rect(60, 30, 70, 9, 1)
    f.text("kOhm", 100, 60, 1)
    f.pixel(2, 2, 1)
    assert bytes(buf) == bytes.fromhex(r.stdout.strip())


def test_the_panel_draws_what_the_driver_sent_as_a_png(tmp_path):
    from PIL import Image

    drv, panel = oled.make_oled()
    drv.text("ionto", 0, 0)
    drv.fill_rect(120, 56, 8, 8, 1)  # the bottom right corner
    drv.show()
    assert panel.ram == drv.buffer
    panel.png(tmp_path / "screen.png", scale=4)
    img = Image.open(tmp_path / "screen.png").convert("RGB")
    assert img.size == (512, 256)
    lit = sum(1 for x in range(128) for y in range(64) if panel.lit(x, y))
    assert lit == sum(bin(b).count("1") for b in drv.buffer)
    assert img.getpixel((127 * 4, 63 * 4)) != img.getpixel((0, 63 * 4))  # corner lit, not dark
    assert panel.lit(127, 63) and not panel.lit(0, 63)
    drv.poweroff()  # the glass goes dark, the RAM stays
    assert not any(panel.lit(x, y) for x in range(128) for y in range(64))


def test_ionto_simulate_writes_the_display_frames_beside_the_plot(tmp_path, capsys):
    from PIL import Image

    from tools.ionto import cli

    plot = tmp_path / "tour.png"
    assert cli.main(["simulate", "--scenario", "tour", "--board", "pico_oled",
                     "--minutes", "1", "--every", "60", "--plot", str(plot)]) == 0
    out = capsys.readouterr().out
    frames = sorted(tmp_path.glob("tour_display_*.png"))
    assert [f.name for f in frames] == ["tour_display_0001s.png", "tour_display_0006s.png",
                                        "tour_display_0030s.png", "tour_display_0059s.png"]
    assert "display frames: " + ", ".join(str(f) for f in frames) in out
    lit = [Image.open(f).convert("L").point(lambda p: 255 if p > 100 else 0).histogram()[255]
           for f in frames]
    assert all(n > 0 for n in lit) and len(set(lit)) > 1  # a screen, and it changes
    # a board without a display: no frames, no line about them
    assert cli.main(["simulate", "--scenario", "tour", "--minutes", "0.1",
                     "--plot", str(tmp_path / "plain.png")]) == 0
    assert "display frames" not in capsys.readouterr().out
    assert not list(tmp_path.glob("plain_display_*"))


def test_the_display_bench_times_every_slice_against_the_reference_tick():
    # tools/sim/bench_display.py (docs/display.md's table): 16 slices, each a
    # positive cost in M7's reference ticks, the sends alike.
    r = subprocess.run([MICROPYTHON, "-X", "heapsize=192K", "tools/sim/bench_display.py",
                        str(dd.source().parent)], cwd=dd.ROOT, capture_output=True, text=True,
                       timeout=300, check=True)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    slices = out["slices_ref_ticks"]
    assert len(slices) == 16 and all(x > 0 for x in slices) and out["ref_us"] > 0, out


def _boot_text(port: str, seconds: float = 3.0) -> str:
    # A soft reset, as Link.soft_reset starts it, and all the boot prints up
    # to the app's line (Link.soft_reset returns one line).
    from tools.ionto import link

    with link.Link(port, log=lambda m: None) as lk:
        s = lk.start_soft_reset()
        text = ""
        end = time.monotonic() + seconds
        while time.monotonic() < end and "ionto: ready on pico_oled\r\n" not in text:
            text += s.read(max(1, s.in_waiting)).decode("utf-8", "replace")
        return text


def _deploy_and_boot(tmp_path, capsys) -> tuple[str, str]:
    from tools.ionto import cli
    from tools.sim.replboard import ReplBoard, write_firmware

    flash = tmp_path / "flash"
    # The flash as after a deploy (write_firmware: the driver too), less the driver.
    assert "lib/ssd1306.mpy" in write_firmware(flash, "pico_oled")
    (flash / "lib" / "ssd1306.mpy").unlink()
    (flash / "console.once").write_text("test\n")
    b = ReplBoard(flash, "pico_oled", paced=False, link=tmp_path / "port")
    b.start()
    try:
        assert cli.main(["deploy", "--port", str(tmp_path / "port")]) == 0
        out = capsys.readouterr().out
        return out, _boot_text(str(tmp_path / "port"))
    finally:
        b.stop()


def test_deploy_installs_the_driver_and_the_served_display_board_starts_it(tmp_path, capsys):
    # End to end: a served pico_oled whose flash has the firmware but no driver
    # (tools/sim/replboard.py write_firmware, the driver taken off again);
    # `ionto deploy` copies lib/ssd1306.mpy (where mip would put it), and every
    # boot after it starts the display (firmware/display.py start would print
    # "ionto: display not started: ..." before the app's line otherwise).
    out, boot = _deploy_and_boot(tmp_path, capsys)
    assert "1 to copy" in out and "lib/ssd1306.mpy" in out, out
    assert (tmp_path / "flash" / "lib" / "ssd1306.mpy").read_bytes()[:2] == b"M\x06"
    assert "ionto: ready on pico_oled" in boot and "display not started" not in boot, boot


def test_without_its_driver_the_display_board_says_so_and_runs(tmp_path, capsys, monkeypatch):
    # The control: the same deploy with no driver sent; the board says why
    # there is no display, and the app starts all the same.
    monkeypatch.setattr(deploy, "board_files", lambda link, arch: [])
    out, boot = _deploy_and_boot(tmp_path, capsys)
    assert "0 to copy" in out, out
    assert "ionto: display not started: ImportError" in boot, boot
    assert "ionto: ready on pico_oled" in boot, boot


def test_make_bench_turns_the_display_slices_into_rp2040_estimates():
    # tools/ionto/bench.py: a slice's reference ticks x k; a send adds the page's
    # 128 us on the RP2040's SPI (48 MHz / 6); the line names the worst of each.
    from tools.ionto import bench

    ticks = [1.0, 1.5] * 8
    ticks[6] = 2.0  # line 3, the slowest line
    d = bench.display_estimate(ticks, 100.0)
    assert max(d["line_us"]) == 200.0 and d["wire_us"] == 128.0
    assert max(d["send_us"]) == pytest.approx(150.0 + 128.0)
    assert d["worst_us"] == max(d["send_us"])
    line = bench.display_line(d, 259.0)
    assert "the slowest line 200 us, a page sent 278 us (128 us of it on the SPI wire)" in line
    assert line.endswith("the session's step 259 us")
