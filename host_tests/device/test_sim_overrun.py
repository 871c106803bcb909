# The fixed-rate loop counts ticks that start late (CPython and unix port).
# One file per group: its own unix-port interpreter and heap.
import sys

from tools.sim.simboard import SimBoard


def test_slow_ticks_are_counted_as_overruns_and_the_loop_goes_on():
    b = SimBoard("pico", seed=40, flash_dir="build/sim_flash/test_overrun")
    before = b.snapshot_at(1.0)

    def slow_ticks(b):
        cls = sys.modules["firmware.app"].App
        real = cls.tick
        count = [0]

        def tick(self, now_us):
            due = real(self, now_us)  # 1: a slow job after it (App.job)
            if count[0] < 50:  # 50 ticks of 1.5 ms: each one late
                count[0] += 1
                sys.modules["time"].sleep_us(1500)
            return due

        cls.tick = tick

    b.at(1.0, slow_ticks)
    after = b.snapshot_at(2.0)
    b.run(2.1)
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    assert before["overruns"] == 0
    assert 50 <= after["overruns"] <= 52, after["overruns"]
    assert after["ticks"] > before["ticks"] + 900  # and the loop carries on at 1 kHz
