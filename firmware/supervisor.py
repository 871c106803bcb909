# The safety supervisor: runs its checks on every tick, latches faults, and
# is the only code that switches the output on (SR-2) and the only code that
# feeds the watchdog (SR-3). Pure logic over the hal object passed in.
#
# Tick protocol (firmware/app.py):  check(...)  ->  drive(...)  ->  end_tick()
# end_tick() feeds the watchdog only when check() ran in this tick, so a loop
# that skips its checks is reset by the watchdog.
from micropython import const

from firmware import faults, limits, states

_TREATMENT = (states.WAIT_CONTACT, states.RAMP_UP, states.TREAT, states.PAUSED,
              states.REVERSING, states.RAMP_DOWN)


class Supervisor:
    def __init__(self, hal, board):
        self._hal = hal
        self._wdt_ms = board["wdt_timeout_ms"]
        self._tick_us = board["tick_us"]
        self._settle_ticks = limits.OFF_SETTLE_MS * 1000 // board["tick_us"] + 1
        self.fault = faults.NONE
        self._over_ticks = 0
        self._off_ticks = 0  # ticks since the output was last on
        self._checked = False

    def start_watchdog(self):
        # SR-3: before the output can first be enabled (hal.output_on refuses
        # otherwise). On rp2 it cannot be stopped once started.
        self._hal.start_watchdog(self._wdt_ms)

    def latch(self, code):
        # Output off first, then remember why (the first cause wins).
        self._hal.output_off()
        if self.fault == faults.NONE:
            self.fault = code

    def acknowledge(self):
        # SR-15: a latched fault is cleared only with the output off, by the
        # user's long press; the hardware trip latch is reset here too.
        hal = self._hal
        hal.output_off()
        if self.fault == faults.TRIP or hal.trip_asserted():
            hal.pulse_trip_reset()
        if not hal.trip_asserted():
            self.fault = faults.NONE
            self._over_ticks = 0

    def check(self, i_ua, v_mv):
        hal = self._hal
        self._checked = True
        if hal.output_is_on:
            self._off_ticks = 0
        else:
            self._off_ticks += 1
        # SR-15: the hardware trip latch.
        if hal.trip_asserted():
            self.latch(faults.TRIP)
        # SR-5: above 30 mA on 2 consecutive ticks.
        if i_ua > limits.OVERCURRENT_UA:
            self._over_ticks += 1
            if self._over_ticks >= limits.OVERCURRENT_TICKS:
                self.latch(faults.OVERCURRENT)
        else:
            self._over_ticks = 0
        # SR-12 / SR-9: current with the output off, once the sense RC settled.
        if self._off_ticks > self._settle_ticks and i_ua > limits.OFF_LEAK_UA:
            self.latch(faults.LEAK)

    def drive(self, state, want_on, cmd_ua):
        # The one way on (SR-2): the session wants it, in a treatment state,
        # with no fault latched and this tick's checks done.
        hal = self._hal
        if (not want_on or self.fault != faults.NONE or not self._checked
                or state not in _TREATMENT):
            hal.output_off()
            return
        hal.set_current_ua(cmd_ua)
        if not hal.output_is_on:
            hal.output_on()

    def end_tick(self):
        if self._checked:
            self._checked = False
            self._hal.feed_watchdog()
