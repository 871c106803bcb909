# The safety supervisor: runs its checks on every tick, latches faults, and
# is the only code that switches the output on (SR-2) and the only code that
# feeds the watchdog (SR-3). Pure logic over the hal object passed in.
#
# Tick protocol (firmware/app.py), every tick:  check(...) -> drive(...) ->
# end_tick(); and every few ticks check_slow(...) (battery, USB: the slow
# readings). check() returns OK or CUT (a surge: the session
# re-ramps from zero); check_slow() returns OK or STOP (a controlled end).
# end_tick() feeds the watchdog only when check() ran in this tick and
# check_slow() ran within _SLOW_DUE_US, so a loop that skips either is reset.
#
# Every window is real time: the caller passes the microseconds since the
# last call (dt_us, from the clock), never a count of calls (SR-5 ... SR-16:
# "durations are real time"): a reading that shows a condition adds the time
# since the last reading to its window, so a late tick delays a reaction by
# at most one tick and never stretches it. "N readings in a row" (SR-5's 2
# ticks) stay counts of readings.
import micropython
from micropython import const

from firmware import faults, limits, states

OK = const(0)
CUT = const(1)  # SR-6: surge: output cut to zero, the session re-ramps from zero
STOP = const(2)  # SR-16/SR-17: ramp down and end the session

STOP_NONE = const(0)
STOP_BATTERY = const(1)
STOP_USB = const(2)

_SLOW_DUE_US = const(50000)  # check_slow() runs every 4 ms; 50 ms late: the loop is broken

_TREATMENT = (states.WAIT_CONTACT, states.RAMP_UP, states.TREAT, states.PAUSED,
              states.REVERSING, states.RAMP_DOWN)


class Supervisor:
    def __init__(self, hal, board):
        self._hal = hal
        self._wdt_ms = board["wdt_timeout_ms"]
        self._battery_min_mv = board["battery_min_mv"]
        self._usb_ok = board["usb_treatment"]
        self.rail_mv = board["rail_mv"]  # the last rail reading (check_slow)
        self.fault = faults.NONE
        self.stop_reason = STOP_NONE
        self.surges = 0
        self._over_n = 0  # readings in a row above SR-5's limit
        self._short_n = 0
        self._pinned_n = 0
        self._dead_n = 0
        self._leak_n = 0
        self._surge_us = 0  # time the surge condition has held
        self._battery_us = 0
        self._off_us = 0  # time since the output was last on
        # SR-12 frozen readings: per channel the last code and how long it has
        # held (current, voltage every tick; rail, battery in check_slow).
        self._i_code = -1
        self._i_same_us = 0
        self._i_cmd = 0  # the command when the current code began to hold
        self._v_code = -1
        self._v_same_us = 0
        self._v_cmd = 0
        self._rail_code = -1
        self._rail_same_us = 0
        self._bat_code = -1
        self._bat_same_us = 0
        self._cmd = 0  # the command driven last tick
        self._checked = False
        self._slow_age_us = 0  # time since check_slow() last ran

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
            self._over_n = 0
            self._short_n = 0
            self._pinned_n = 0

    def battery_ok_to_start(self, battery_mv):
        # SR-16: refuse a start the pack cannot carry through.
        return battery_mv * 100 >= self._battery_min_mv * limits.BATTERY_START_PCT

    @micropython.native  # every tick: its frame stays on the C stack (platform.md)
    def check(self, i_ua, v_mv, target_ua, dt_us):
        # The checks that see every reading: SR-5, SR-6, SR-9, SR-12, SR-13,
        # and the trip input (SR-15: the hardware latch has cut the output).
        hal = self._hal
        self._checked = True
        self._slow_age_us += dt_us
        on = hal.output_is_on
        if on:
            self._off_us = 0
        elif self._off_us < limits.OFF_SETTLE_MS * 1000:
            self._off_us += dt_us
        if hal.trip_asserted():
            self.latch(faults.TRIP)
        # SR-5: above 30 mA on 2 consecutive readings.
        if i_ua > limits.OVERCURRENT_UA:
            self._over_n += 1
            if self._over_n >= limits.OVERCURRENT_TICKS:
                self.latch(faults.OVERCURRENT)
        else:
            self._over_n = 0
        # SR-12 / SR-9: current with the output off, once the sense RC settled.
        if self._off_us >= limits.OFF_SETTLE_MS * 1000 and i_ua > limits.OFF_LEAK_UA:
            self._leak_n += 1
            if self._leak_n >= limits.LEAK_TICKS:
                self.latch(faults.LEAK)
        else:
            self._leak_n = 0
        self._check_sensors(i_ua, v_mv, target_ua, on, dt_us)
        # SR-13: a short (both electrodes in one tray, a wet bridge).
        if on and i_ua >= limits.SHORT_MIN_UA and v_mv * 1000 < limits.SHORT_OHM * i_ua:
            self._short_n += 1
            if self._short_n >= 2:
                self.latch(faults.SHORT)
        else:
            self._short_n = 0
        if self.fault != faults.NONE:
            return OK
        # SR-6: surge above the ramped set point for 20 ms.
        margin = target_ua * limits.SURGE_PCT // 100
        if margin < limits.SURGE_MIN_UA:
            margin = limits.SURGE_MIN_UA
        if on and i_ua > target_ua + margin:
            self._surge_us += dt_us
            if self._surge_us >= limits.SURGE_MS * 1000:
                self._surge_us = 0
                self.surges += 1
                if self.surges >= limits.SURGE_MAX:
                    self.latch(faults.SURGE)
                    return OK
                hal.output_off()
                return CUT
        else:
            self._surge_us = 0
        return OK

    @micropython.native
    def _check_sensors(self, i_ua, v_mv, target_ua, on, dt_us):
        # SR-12 plausibility. Pinned: a channel at full scale. Above the rail:
        # the electrode cannot be above the supply, nor the rail above 60 V + 5 %
        # (a pinned rail channel; at rest the start check refuses it, REFUSE_RAIL).
        # A dead current channel. Frozen current and voltage readings (below).
        hal = self._hal
        rail_mv = self.rail_mv
        hi = hal.code_hi
        if hal.code_i >= hi or hal.code_v >= hi:
            self._pinned_n += 1
            if self._pinned_n >= limits.PINNED_TICKS:
                self.latch(faults.SENSOR)
        else:
            self._pinned_n = 0
        if v_mv * 100 > rail_mv * limits.RAIL_OVER_PCT or (on and
                                                           rail_mv > limits.RAIL_START_MAX_MV):
            self.latch(faults.SENSOR)
        # A dead current channel: current is asked for, the electrodes show a
        # conducting load (an open one sits at the rail), yet it reads ~0.
        if (on and target_ua >= limits.DEAD_I_MIN_TARGET_UA and i_ua < limits.OFF_LEAK_UA
                and v_mv >= limits.DEAD_I_MV and v_mv * 100 < rail_mv * limits.DEAD_I_RAIL_PCT):
            self._dead_n += 1
            if self._dead_n >= limits.DEAD_I_TICKS:
                self.latch(faults.SENSOR)
        else:
            self._dead_n = 0
        # Frozen (SR-12, within 500 ms in every output state): an identical
        # code with the output on. Not at the floor (the honest zero of a
        # lifted hand: contact loss, SR-10) nor at full scale (pinned, above).
        code = hal.code_i
        if on and code == self._i_code and limits.FROZEN_MIN_CODE < code < hi:
            if self._i_same_us == 0:
                self._i_cmd = self._cmd  # the command driven while this code held
            self._i_same_us += dt_us
            if self._stays(code, self._i_same_us, self._i_cmd):
                self.latch(faults.FROZEN)
        else:
            self._i_code = code
            self._i_same_us = 0
        code = hal.code_v
        if on and code == self._v_code and limits.FROZEN_MIN_CODE < code < hi:
            if self._v_same_us == 0:
                self._v_cmd = self._cmd  # the command driven while this code held
            self._v_same_us += dt_us
            if self._stays(code, self._v_same_us, self._v_cmd):
                self.latch(faults.FROZEN)
        else:
            self._v_code = code
            self._v_same_us = 0

    def _stays(self, code, same_us, cmd_then):
        # Frozen for good: FROZEN_MS of one code; at an RP2040 widened code,
        # where a live reading may rest, FROZEN_WIDE_MS while the command
        # moved by FROZEN_MOVE_UA (a steady set point there is not caught).
        if not (self._hal.wide_codes and code & 1023 == 512):
            return same_us >= limits.FROZEN_MS * 1000
        moved = self._cmd - cmd_then
        return same_us >= limits.FROZEN_WIDE_MS * 1000 and (
            moved >= limits.FROZEN_MOVE_UA or moved <= -limits.FROZEN_MOVE_UA)

    def check_slow(self, rail_mv, battery_mv, dt_us):
        # Every few ticks (app.py): the battery (SR-16) and USB power (SR-17).
        # dt_us: the time since the last call.
        hal = self._hal
        self._slow_age_us = 0
        self.rail_mv = rail_mv
        self._check_slow_codes(dt_us)
        if self.fault != faults.NONE:
            return OK
        # SR-16: battery low for BATTERY_LOW_MS -> controlled ramp-down and end.
        if battery_mv < self._battery_min_mv:
            self._battery_us += dt_us
            if self._battery_us >= limits.BATTERY_LOW_MS * 1000:
                self.stop_reason = STOP_BATTERY
        else:
            self._battery_us = 0
        # SR-17: USB power appeared during a session.
        if not self._usb_ok and hal.usb_present():
            self.stop_reason = STOP_USB
        if self.stop_reason != STOP_NONE:
            return STOP  # also with the output off (the reversal's off time, a pause)
        return OK

    def _check_slow_codes(self, dt_us):
        # SR-12 for the slow readings (app.py reads the last one changed):
        # a battery code at full scale (a reading pinned high: a full pack
        # reads below it, docs/wiring.md), and a rail or battery code
        # identical for FROZEN_SLOW_MS with the output on (not at a widened
        # code, where a live reading may rest).
        hal = self._hal
        if hal.code_bat >= hal.code_hi:
            self.latch(faults.SENSOR)
        on = hal.output_is_on
        code = hal.code_rail
        if on and code == self._rail_code and not (hal.wide_codes and code & 1023 == 512):
            self._rail_same_us += dt_us
            if self._rail_same_us >= limits.FROZEN_SLOW_MS * 1000:
                self.latch(faults.FROZEN)
        else:
            self._rail_code = code
            self._rail_same_us = 0
        code = hal.code_bat
        if on and code == self._bat_code and not (hal.wide_codes and code & 1023 == 512):
            self._bat_same_us += dt_us
            if self._bat_same_us >= limits.FROZEN_SLOW_MS * 1000:
                self.latch(faults.FROZEN)
        else:
            self._bat_code = code
            self._bat_same_us = 0

    def drive(self, state, want_on, cmd_ua):
        # (Bytecode: a small frame; native code would take heap on the chip, M8.)
        # The one way on (SR-2): the session wants it, in a treatment state,
        # with no fault latched and this tick's checks done.
        hal = self._hal
        if (not want_on or self.fault != faults.NONE or not self._checked
                or state not in _TREATMENT):
            self._cmd = 0
            if hal.output_is_on or hal.duty:  # already off: nothing to write
                hal.output_off()
            return
        self._cmd = cmd_ua
        hal.set_current_ua(cmd_ua)
        if not hal.output_is_on:
            hal.output_on()

    def end_tick(self):
        # SR-3: fed once per tick whose checks ran, the slow ones on time too.
        if self._checked and self._slow_age_us < _SLOW_DUE_US:
            self._hal.feed_watchdog()
        self._checked = False
