# The ESP32 board on the simulated board (CPython and unix port): read_uv in its
# linear range through the bias divider; idle is not a leak; S1 regulates.
# One file per group: its own unix-port interpreter and heap.
from tools.sim.simboard import SimBoard


def test_esp32_idle_reads_no_leak_and_treatment_holds_the_set_point():
    b = SimBoard("esp32_devkitc", seed=30, flash_dir="build/sim_flash/test_esp32")
    idle = b.snapshot_at(2.0)
    b.press_button(3.0, 2.5)
    treat = b.snapshot_at(50.0)
    b.run(50.5)
    assert not b.crashes, b.crashes
    assert idle["fault"] == 0 and abs(idle["i_ua"]) < 100, idle  # no false leak (SR-12)
    assert treat["state"] == 3, treat
    assert abs(treat["true_i_ua"] - 15000) <= 150, treat  # within 1 %
