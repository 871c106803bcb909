# The safety supervisor: runs its checks on every tick, latches faults, and
# is the only code that switches the output on (SR-2) and the only code that
# feeds the watchdog (SR-3). Pure logic over the hal object passed in.
#
# Tick protocol (firmware/app.py):  check(...)  ->  drive(...)  ->  end_tick()
# check() returns what the session must do besides (OK, CUT: a surge, re-ramp
# from zero; STOP: a controlled end). end_tick() feeds the watchdog only when
# check() ran in this tick, so a loop that skips its checks is reset.
from micropython import const

from firmware import faults, limits, states

OK = const(0)
CUT = const(1)  # SR-6: surge: output cut to zero, the session re-ramps from zero
STOP = const(2)  # SR-16/SR-17: ramp down and end the session

STOP_NONE = const(0)
STOP_BATTERY = const(1)
STOP_USB = const(2)

_TREATMENT = (states.WAIT_CONTACT, states.RAMP_UP, states.TREAT, states.PAUSED,
              states.REVERSING, states.RAMP_DOWN)


class Supervisor:
    def __init__(self, hal, board):
        self._hal = hal
        self._wdt_ms = board["wdt_timeout_ms"]
        tick_us = board["tick_us"]
        self._settle_ticks = limits.OFF_SETTLE_MS * 1000 // tick_us + 1
        self._surge_ticks_max = limits.SURGE_MS * 1000 // tick_us
        self._frozen_ticks_max = limits.FROZEN_MS * 1000 // tick_us
        self._battery_ticks_max = limits.BATTERY_LOW_MS * 1000 // tick_us
        self._battery_min_mv = board["battery_min_mv"]
        self._usb_ok = board["usb_treatment"]
        self.fault = faults.NONE
        self.stop_reason = STOP_NONE
        self.surges = 0
        self._over_ticks = 0
        self._surge_ticks = 0
        self._short_ticks = 0
        self._pinned_ticks = 0
        self._dead_ticks = 0
        self._leak_ticks = 0
        self._battery_ticks = 0
        self._off_ticks = 0  # ticks since the output was last on
        self._frz_code = -1
        self._frz_ticks = 0
        self._frz_cmd = 0
        self._cmd = 0  # the command driven last tick
        self._checked = False

    def start_watchdog(self):
        # SR-3: before the output can first be enabled (hal.output_on refuses
        # otherwise). On rp2 it cannot be stopped once started.
        self._hal.start_watchdog(self._wdt_ms)

    def new_session(self):
        self.surges = 0
        self.stop_reason = STOP_NONE

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
            self._short_ticks = 0
            self._pinned_ticks = 0

    def battery_ok_to_start(self, battery_mv):
        # SR-16: refuse a start the pack cannot carry through.
        return battery_mv * 100 >= self._battery_min_mv * limits.BATTERY_START_PCT

    def check(self, i_ua, v_mv, target_ua, rail_mv, battery_mv):
        hal = self._hal
        self._checked = True
        on = hal.output_is_on
        if on:
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
            self._leak_ticks += 1
            if self._leak_ticks >= limits.LEAK_TICKS:
                self.latch(faults.LEAK)
        else:
            self._leak_ticks = 0
        self._check_sensors(i_ua, v_mv, target_ua, rail_mv, on)
        # SR-13: a short (both electrodes in one tray, a wet bridge).
        if on and i_ua >= limits.SHORT_MIN_UA and v_mv * 1000 < limits.SHORT_OHM * i_ua:
            self._short_ticks += 1
            if self._short_ticks >= 2:
                self.latch(faults.SHORT)
        else:
            self._short_ticks = 0
        if self.fault != faults.NONE:
            return OK
        # SR-16: battery low -> controlled ramp-down and end.
        if battery_mv < self._battery_min_mv:
            self._battery_ticks += 1
            if self._battery_ticks >= self._battery_ticks_max:
                self.stop_reason = STOP_BATTERY
        else:
            self._battery_ticks = 0
        # SR-17: USB power appeared during a session.
        if not self._usb_ok and hal.usb_present():
            self.stop_reason = STOP_USB
        # SR-6: surge above the ramped set point for 20 ms.
        margin = target_ua * limits.SURGE_PCT // 100
        if margin < limits.SURGE_MIN_UA:
            margin = limits.SURGE_MIN_UA
        if on and i_ua > target_ua + margin:
            self._surge_ticks += 1
            if self._surge_ticks >= self._surge_ticks_max:
                self._surge_ticks = 0
                self.surges += 1
                if self.surges >= limits.SURGE_MAX:
                    self.latch(faults.SURGE)
                    return OK
                hal.output_off()
                return CUT
        else:
            self._surge_ticks = 0
        if self.stop_reason != STOP_NONE:
            return STOP  # also with the output off (the reversal's off time, a pause)
        return OK

    def _check_sensors(self, i_ua, v_mv, target_ua, rail_mv, on):
        # SR-12 plausibility. Pinned: a channel at full scale. Above the rail:
        # the electrode cannot be above the supply, nor the rail above 60 V + 5 %
        # (a pinned rail channel; at rest the start check refuses it, REFUSE_RAIL).
        # Frozen: an identical current code while the command moved by 0.5 mA
        # (not at the floor: a lifted hand reads an honest zero, which is
        # contact loss, SR-10).
        hal = self._hal
        hi = hal.code_hi
        if hal.code_i >= hi or hal.code_v >= hi:
            self._pinned_ticks += 1
            if self._pinned_ticks >= limits.PINNED_TICKS:
                self.latch(faults.SENSOR)
        else:
            self._pinned_ticks = 0
        if v_mv * 100 > rail_mv * limits.RAIL_OVER_PCT or (on and
                                                           rail_mv > limits.RAIL_START_MAX_MV):
            self.latch(faults.SENSOR)
        # A dead current channel: current is asked for, the electrodes show a
        # conducting load (an open one sits at the rail), yet it reads ~0.
        if (on and target_ua >= limits.DEAD_I_MIN_TARGET_UA and i_ua < limits.OFF_LEAK_UA
                and v_mv >= limits.DEAD_I_MV and v_mv * 100 < rail_mv * limits.DEAD_I_RAIL_PCT):
            self._dead_ticks += 1
            if self._dead_ticks >= limits.DEAD_I_TICKS:
                self.latch(faults.SENSOR)
        else:
            self._dead_ticks = 0
        code = hal.code_i
        if not on or code <= limits.FROZEN_MIN_CODE or code != self._frz_code:
            self._frz_code = code
            self._frz_ticks = 0
            return
        self._frz_ticks += 1
        if self._frz_ticks == 1:
            self._frz_cmd = self._cmd  # the command driven while this code was read
        if self._frz_ticks >= self._frozen_ticks_max:
            moved = self._cmd - self._frz_cmd
            if moved >= limits.FROZEN_MOVE_UA or moved <= -limits.FROZEN_MOVE_UA:
                self.latch(faults.SENSOR)

    def drive(self, state, want_on, cmd_ua):
        # The one way on (SR-2): the session wants it, in a treatment state,
        # with no fault latched and this tick's checks done.
        hal = self._hal
        if (not want_on or self.fault != faults.NONE or not self._checked
                or state not in _TREATMENT):
            self._cmd = 0
            hal.output_off()
            return
        self._cmd = cmd_ua
        hal.set_current_ua(cmd_ua)
        if not hal.output_is_on:
            hal.output_on()

    def end_tick(self):
        if self._checked:
            self._checked = False
            self._hal.feed_watchdog()
