# The safety supervisor: runs its checks on every tick, latches faults, and
# is the only code that switches the output on (SR-2) and the only code that
# feeds the watchdog (SR-3). Pure logic over the hal object passed in.
#
# Tick protocol (firmware/app.py), every tick:  check(...) -> drive(...),
# and every few ticks check_slow(...) (battery, USB: the slow readings).
# check() returns OK or CUT (a surge: the session re-ramps from zero);
# check_slow() returns OK or STOP (a controlled end). drive() ends the tick:
# it feeds the watchdog only when check() ran in this tick and check_slow()
# ran within _SLOW_DUE_US, so a loop that skips either is reset.
#
# Every window is real time: the caller passes the microseconds since the
# last call (dt_us, from the clock), never a count of calls (SR-5 ... SR-16:
# "durations are real time"): a reading that shows a condition adds the time
# since the last reading to its window, so a late tick delays a reaction by
# at most one tick and never stretches it. "N readings in a row" (SR-5's 2
# ticks) stay counts of readings.
from array import array

import micropython
from micropython import const

from firmware import faults, limits, states

OK = const(0)
CUT = const(1)  # SR-6: surge: output cut to zero, the session re-ramps from zero
STOP = const(2)  # SR-16/SR-17: ramp down and end the session

STOP_NONE = const(0)
STOP_BATTERY = const(1)
STOP_USB = const(2)

# Why a start was refused (start_refusal; the LED's quick blinks, names.REFUSALS).
REFUSE_NONE = const(0)
REFUSE_UNCALIBRATED = const(1)  # SR-19
REFUSE_LEAK = const(2)  # SR-9: current above 0.1 mA with the output off
REFUSE_USB = const(3)  # SR-17
REFUSE_BATTERY = const(4)  # SR-16: the pack cannot last the session
REFUSE_RAIL = const(5)  # the boost rail reads outside its range (limits.RAIL_START_*)

_SLOW_DUE_US = const(50000)  # check_slow() runs every 16 ticks; 50 ms late: the loop is broken


# The every-reading checks' state: one preallocated array of integers, so
# check() runs as viper code over machine words (no attribute lookups, no
# allocation: platform.md). The limits it compares against are copied in
# once from firmware/limits.py (the one source), windows in microseconds.
# Every product below stays under 2**31 (a machine word on the boards): the
# largest is v_mv x 1000 (at most 66,000 x 1000) and SHORT_OHM x i_ua.
# Every word is non-negative: on a 64-bit port (the unix port of the tests)
# viper's ptr32 loads zero-extend, so a negative word would read differently
# there than on the boards.
_CHECKED = const(0)  # 1 once check() ran in this tick (drive)
_SLOW_AGE_US = const(1)  # time since check_slow() last ran
_OFF_US = const(2)  # time since the output was last on (to OFF_SETTLE)
_OVER_N = const(3)  # readings in a row above SR-5's limit
_LEAK_N = const(4)
_SHORT_N = const(5)
_PINNED_N = const(6)
_DEAD_N = const(7)
_SURGE_HELD_US = const(8)  # time the surge condition has held
_DEAD_HELD_US = const(9)  # time the probe-level dead-channel condition has held
_RAIL_MV = const(10)  # the last rail reading (check_slow)
_FROZEN = const(11)  # SR-12 frozen, per channel (current, then voltage) three
_CODE = const(0)  # words from _FROZEN + 3 x channel: the last code
_SAME_US = const(1)  # and how long it has held (the third word spare, but
_DEAD_CODE = const(13)  # the current's: the code the probe-level dead check saw,
_SHORT_CODE = const(16)  # the voltage's: the code the probe-level short check saw)
_SLOW_FROZEN = const(17)  # the same words per slow channel (rail, then battery)
_NO_CODE = const(0x7FFF)  # above every ADC code: no code seen yet
_FROZEN_GAP_US = const(20000)  # a reading adds at most this to its frozen window:
# a stall between two readings (F34: 600 ms) is not a channel that stopped
# moving; frozen means hundreds of identical readings (limits.FROZEN_MS)
# SR-12 at the contact probe (SR-9's 0.2 mA), where limits.DEAD_I_* do not
# reach, and above: with at least half the probe asked for, a current reading
# under half the ramped target for this long while the electrodes show a load
# is a dead or frozen current channel (when compliance holds the current back,
# the electrodes sit near the rail and the regulator's target near the current).
# Project defaults: half the probe is 10 codes of current (about 10 uA a code)
# over the floor, so 100 readings in a row of a live channel 5 codes short of
# it (0.5-3 LSB of noise, measures.md) do not happen, and 100 ms is many times
# the sense filters' time constants. Private here, not in limits.py: each
# public name there is a qstr on the chip (M8).
_DEAD_PROBE_MIN_UA = const(100)
_DEAD_PROBE_US = const(100000)
# SR-13 under limits.SHORT_MIN_UA (the probe, the foot of the ramp): from
# this current a short's 250 Ohm is 2 codes or more of electrode voltage (16
# mV a code on the Pico, 29 on the ESP32), a nominal hand (1.9 kOhm and more,
# measures.md) 18 or more; held _DEAD_PROBE_US, which the skin's RC (up to
# 40 ms: 2 uF x 20 kOhm, measures.md) and the filters settle well within.
_PROBE_SHORT_MIN_UA = const(150)
# The limits, copied in by __init__.
_OFF_SETTLE_US = const(23)
_OVERCURRENT_UA = const(24)
_OVERCURRENT_TICKS = const(25)
_OFF_LEAK_UA = const(26)
_LEAK_TICKS = const(27)
_SHORT_MIN_UA = const(28)
_SHORT_OHM = const(29)
_SURGE_PCT = const(30)
_SURGE_MIN_UA = const(31)
_SURGE_US = const(32)
_PINNED_TICKS = const(33)
_RAIL_OVER_PCT = const(34)
_RAIL_START_MAX_MV = const(35)
_DEAD_I_MIN_TARGET_UA = const(36)
_DEAD_I_MV = const(37)
_DEAD_I_RAIL_PCT = const(38)
_DEAD_I_TICKS = const(39)
_FROZEN_MIN_CODE = const(40)
_FROZEN_US = const(41)
_FROZEN_PROBE_US = const(42)
_PROBING = const(43)  # SR-12: the channels (bit 0 current, 1 voltage) probed now
_FROZEN_SLOW_US = const(44)
_TREATMENT_BITS = const(45)  # bit s set: state s is one of states.SESSION_STATES
_I_UA = const(46)  # this tick's readings for _sensors (below 0: 0, which its
_V_MV = const(47)  # conditions read alike: each compares with a positive limit),
_TARGET_UA = const(48)  # the ramped set point and the time since the last tick:
_DT_US = const(49)  # a call without arguments is cheaper (viper boxes each one)
_ON = const(50)  # 1: the output is on (this tick, as check() found it)
_CODE_HI = const(51)  # the hal's full-scale code (pinned, SR-12), and 1 when its
_WIDE = const(52)  # ADC has the RP2040's widened codes: the hal's constants
_SLOW_LAST = const(53)  # the last slow channel's frozen words: battery, or rail when none
_BAT_FLOOR = const(54)  # 1: a battery under a quarter of its cut-off, output on: sensor fault
_SHORT_HELD_US = const(55)  # time the probe-level short condition has held
_RAIL_START_MIN = const(56)  # the nominal rail x limits.RAIL_START_MIN_PCT (start_refusal)
_CALIBRATED = const(57)  # 1: the board's calibration was read (SR-19; start_refusal)
_SIZE = const(58)


class Supervisor:
    def __init__(self, hal, board, probe, calibrated):
        # probe: the regulator's probe(on) (SR-12, at an RP2040 widened code);
        # calibrated: False while the board runs on nominal constants (SR-19).
        self._hal = hal
        self._probe = probe
        self._wdt_ms = board["wdt_timeout_ms"]
        self._battery_min_mv = board["battery_min_mv"]
        self._usb_ok = board["usb_treatment"]
        self.fault = faults.NONE
        self.stop_reason = STOP_NONE
        self.surges = 0
        st = array("i", [0] * _SIZE)
        self._st = st
        st[_RAIL_MV] = board["rail_mv"]  # until check_slow's first reading
        st[_RAIL_START_MIN] = board["rail_mv"] * limits.RAIL_START_MIN_PCT
        st[_CALIBRATED] = 1 if calibrated else 0
        st[_CODE_HI] = hal.code_hi
        st[_WIDE] = 1 if hal.wide_codes else 0
        # A board without a battery channel (picow.py) has no battery code to
        # watch: its constant 0 would read as frozen.
        st[_SLOW_LAST] = _SLOW_FROZEN + (0 if board["pin_adc_battery"] is None else 3)
        # The pack powers the board whenever the output is on (SR-17: no
        # treatment on USB power), so it cannot read far under its cut-off
        # then (check_slow: a quarter of it).
        st[_BAT_FLOOR] = 1 if board["pin_adc_battery"] is not None and not self._usb_ok else 0
        # The limits check() compares against, copied from firmware/limits.py
        # (viper code sees another module's constants only as objects, and
        # looks each up by name).
        st[_OFF_SETTLE_US] = limits.OFF_SETTLE_MS * 1000
        st[_OVERCURRENT_UA] = limits.OVERCURRENT_UA
        st[_OVERCURRENT_TICKS] = limits.OVERCURRENT_TICKS
        st[_OFF_LEAK_UA] = limits.OFF_LEAK_UA
        st[_LEAK_TICKS] = limits.LEAK_TICKS
        st[_SHORT_MIN_UA] = limits.SHORT_MIN_UA
        st[_SHORT_OHM] = limits.SHORT_OHM
        st[_SURGE_PCT] = limits.SURGE_PCT
        st[_SURGE_MIN_UA] = limits.SURGE_MIN_UA
        st[_SURGE_US] = limits.SURGE_MS * 1000
        st[_PINNED_TICKS] = limits.PINNED_TICKS
        st[_RAIL_OVER_PCT] = limits.RAIL_OVER_PCT
        st[_RAIL_START_MAX_MV] = limits.RAIL_START_MAX_MV
        st[_DEAD_I_MIN_TARGET_UA] = limits.DEAD_I_MIN_TARGET_UA
        st[_DEAD_I_MV] = limits.DEAD_I_MV
        st[_DEAD_I_RAIL_PCT] = limits.DEAD_I_RAIL_PCT
        st[_DEAD_I_TICKS] = limits.DEAD_I_TICKS
        st[_FROZEN_MIN_CODE] = limits.FROZEN_MIN_CODE
        st[_FROZEN_US] = limits.FROZEN_MS * 1000
        st[_FROZEN_PROBE_US] = limits.FROZEN_PROBE_MS * 1000
        st[_FROZEN_SLOW_US] = limits.FROZEN_SLOW_MS * 1000
        st[_SLOW_FROZEN + _CODE] = _NO_CODE
        st[_SLOW_FROZEN + 3 + _CODE] = _NO_CODE
        for s in states.SESSION_STATES:  # SR-2: a session under way
            st[_TREATMENT_BITS] |= 1 << s
        self._battery_us = 0

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
            st = self._st
            st[_OVER_N] = 0
            st[_SHORT_N] = 0
            st[_PINNED_N] = 0

    def start_refusal(self, i_ua, battery_mv):
        # The pre-session checks (the app asks in CHECKS, output off), each with
        # its own code: SR-19, SR-17, SR-9 (i_ua: the zero reading), SR-16 (a
        # pack that cannot carry the session through), the rail (check_slow's
        # last reading). The trip input needs none: check latches it in every
        # state.
        st = self._st
        if not st[_CALIBRATED]:
            return REFUSE_UNCALIBRATED
        if not self._usb_ok and self._hal.usb_present():
            return REFUSE_USB
        if i_ua > limits.OFF_LEAK_UA:
            return REFUSE_LEAK
        if battery_mv * 100 < self._battery_min_mv * limits.BATTERY_START_PCT:
            return REFUSE_BATTERY
        if st[_RAIL_MV] * 100 < st[_RAIL_START_MIN] or st[_RAIL_MV] > st[_RAIL_START_MAX_MV]:
            return REFUSE_RAIL
        return REFUSE_NONE

    @micropython.viper  # every tick: machine words, frame on the C stack (platform.md)
    def check(self, i_ua: int, v_mv: int, target_ua: int, dt_us: int) -> int:
        # The checks that see every reading: SR-5, SR-6, SR-9, SR-12, SR-13,
        # and the trip input (SR-15: the hardware latch has cut the output).
        st = ptr32(self._st)
        hal = self._hal
        st[_CHECKED] = 1
        if st[_SLOW_AGE_US] < _SLOW_DUE_US:  # (saturates: a word stays a word)
            st[_SLOW_AGE_US] += dt_us
        on = bool(hal.output_is_on)
        if on:
            st[_OFF_US] = 0
        elif st[_OFF_US] < st[_OFF_SETTLE_US]:
            st[_OFF_US] += dt_us
        if hal.trip:  # as hal.sense() read it at the start of this tick
            self.latch(faults.TRIP)
        # SR-5: above 30 mA on 2 consecutive readings.
        if i_ua > st[_OVERCURRENT_UA]:
            st[_OVER_N] += 1
            if st[_OVER_N] >= st[_OVERCURRENT_TICKS]:
                self.latch(faults.OVERCURRENT)
        else:
            st[_OVER_N] = 0
        # SR-12 / SR-9: current with the output off, once the sense RC settled.
        if st[_OFF_US] >= st[_OFF_SETTLE_US] and i_ua > st[_OFF_LEAK_UA]:
            st[_LEAK_N] += 1
            if st[_LEAK_N] >= st[_LEAK_TICKS]:
                self.latch(faults.LEAK)
        else:
            st[_LEAK_N] = 0
        st[_I_UA] = i_ua if i_ua > 0 else 0
        st[_V_MV] = v_mv if v_mv > 0 else 0
        st[_TARGET_UA] = target_ua
        st[_DT_US] = dt_us
        st[_ON] = on
        self._sensors()
        # SR-13: a short (both electrodes in one tray, a wet bridge).
        if on and i_ua >= st[_SHORT_MIN_UA] and v_mv * 1000 < st[_SHORT_OHM] * i_ua:
            st[_SHORT_N] += 1
            if st[_SHORT_N] >= 2:
                self.latch(faults.SHORT)
        else:
            st[_SHORT_N] = 0
        if int(self.fault) != 0:  # faults.NONE
            return OK
        # SR-6: surge above the ramped set point for 20 ms.
        margin = target_ua * st[_SURGE_PCT] // 100
        if margin < st[_SURGE_MIN_UA]:
            margin = st[_SURGE_MIN_UA]
        if on and i_ua > target_ua + margin:
            st[_SURGE_HELD_US] += dt_us
            if st[_SURGE_HELD_US] >= st[_SURGE_US]:
                st[_SURGE_HELD_US] = 0
                return int(self._surge())
        else:
            st[_SURGE_HELD_US] = 0
        return OK

    def _surge(self):
        # SR-6: a surge held 20 ms cuts to zero (the session re-ramps); the
        # third in a session latches a fault.
        self.surges += 1
        if self.surges >= limits.SURGE_MAX:
            self.latch(faults.SURGE)
            return OK
        self._hal.output_off()
        return CUT

    @micropython.viper
    def _sensors(self):
        # SR-12 plausibility. Pinned: a channel at full scale. Above the rail:
        # the electrode cannot be above the supply, nor the rail above 60 V + 5 %
        # (a pinned rail channel; at rest the start check refuses it, REFUSE_RAIL).
        # A dead current channel. Frozen current and voltage readings (below).
        st = ptr32(self._st)
        hal = self._hal
        i_ua = st[_I_UA]
        v_mv = st[_V_MV]
        target_ua = st[_TARGET_UA]
        dt_us = st[_DT_US]
        on = st[_ON]
        rail_mv = st[_RAIL_MV]
        hi = st[_CODE_HI]
        code_i = int(hal.code_i)
        code_v = int(hal.code_v)
        if code_i >= hi or code_v >= hi:
            st[_PINNED_N] += 1
            if st[_PINNED_N] >= st[_PINNED_TICKS]:
                self.latch(faults.SENSOR)
        else:
            st[_PINNED_N] = 0
        if v_mv * 100 > rail_mv * st[_RAIL_OVER_PCT] or (
                on and rail_mv > st[_RAIL_START_MAX_MV]):
            self.latch(faults.SENSOR)
        # A dead current channel: current is asked for, the electrodes show a
        # conducting load (an open one sits at the rail), yet it reads ~0.
        # From 1 mA it is cut in two readings; at the probe, where the
        # electrodes show less, after _DEAD_PROBE_US (F81: a current reading
        # frozen at the floor as the probe starts; the regulator's trim would
        # push up to 0.45 mA, over SR-9's 0.2). The load must not look like a
        # short (SR-13's 250 Ohm at the target) there: a floor of a few codes.
        conducting = on and v_mv * 100 < rail_mv * st[_DEAD_I_RAIL_PCT]
        if (conducting and target_ua >= st[_DEAD_I_MIN_TARGET_UA] and i_ua < st[_OFF_LEAK_UA]
                and v_mv >= st[_DEAD_I_MV]):
            st[_DEAD_N] += 1
            if st[_DEAD_N] >= st[_DEAD_I_TICKS]:
                self.latch(faults.SENSOR)
        else:
            st[_DEAD_N] = 0
        # The code it read all along is frozen (fault 8), else dead (3). Any
        # reading over the line starts the window again (the short's below
        # counts down instead): a dead or frozen reading never crosses it, so
        # this costs no detection and spares a live channel near the line.
        if (conducting and target_ua >= _DEAD_PROBE_MIN_UA and i_ua * 2 < target_ua
                and v_mv * 1000 >= st[_SHORT_OHM] * target_ua):
            held = st[_DEAD_HELD_US]
            if held == 0:
                st[_DEAD_CODE] = code_i
            elif code_i != st[_DEAD_CODE]:
                st[_DEAD_CODE] = _NO_CODE  # it moved
            held += dt_us if dt_us < _FROZEN_GAP_US else _FROZEN_GAP_US
            if held >= _DEAD_PROBE_US:
                held = _DEAD_PROBE_US  # (a word stays a word)
                self.latch(faults.FROZEN if st[_DEAD_CODE] == code_i else faults.SENSOR)
            st[_DEAD_HELD_US] = held
        else:
            st[_DEAD_HELD_US] = 0
        # SR-13 at the probe: the current flows, the electrodes show a short's
        # few codes. The window counts up while they do and down while they
        # do not: a short's reading is at the floor, where the ADC's noise
        # lifts a reading over the line now and then. A voltage code that
        # never moved meanwhile is frozen (F85: fault 8), else a short (5).
        held = st[_SHORT_HELD_US]
        step = dt_us if dt_us < _FROZEN_GAP_US else _FROZEN_GAP_US
        if (on and i_ua >= _PROBE_SHORT_MIN_UA and i_ua < st[_SHORT_MIN_UA]
                and v_mv * 1000 < st[_SHORT_OHM] * i_ua):
            if held == 0:
                st[_SHORT_CODE] = code_v
            elif code_v != st[_SHORT_CODE]:
                st[_SHORT_CODE] = _NO_CODE  # it moved
            held += step
            if held >= _DEAD_PROBE_US:
                held = _DEAD_PROBE_US  # (a word stays a word)
                self.latch(faults.FROZEN if st[_SHORT_CODE] == code_v else faults.SHORT)
        elif on:
            held = held - step if held > step else 0
        else:
            held = 0
        st[_SHORT_HELD_US] = held
        # Frozen (SR-12, within 500 ms in every output state): an identical
        # code with the output on for FROZEN_MS, per channel. Not at the floor
        # (the honest zero of a lifted hand: contact loss, SR-10) nor at full
        # scale (pinned, above). At an RP2040 widened code, where a live
        # reading may rest, the regulator probes from FROZEN_PROBE_MS: its
        # target goes down until the code moves (limits.py), so a live reading
        # leaves it long before FROZEN_MS and a frozen one is latched alike.
        f = _FROZEN
        code = code_i
        bit = 1
        while f <= _FROZEN + 3:
            if on and code == st[f + _CODE] and st[_FROZEN_MIN_CODE] < code and code < hi:
                same = st[f + _SAME_US] + (dt_us if dt_us < _FROZEN_GAP_US else _FROZEN_GAP_US)
                if same > st[_FROZEN_US]:
                    same = st[_FROZEN_US]  # enough to know (a word stays a word)
                st[f + _SAME_US] = same
                if same >= st[_FROZEN_US]:
                    self.latch(faults.FROZEN)
                elif (same >= st[_FROZEN_PROBE_US] and st[_WIDE] and code & 1023 == 512
                      and not st[_PROBING] & bit):
                    if not st[_PROBING]:
                        self._probe(1)
                    st[_PROBING] |= bit
            else:
                st[f + _CODE] = code
                st[f + _SAME_US] = 0
                if st[_PROBING] & bit:
                    st[_PROBING] ^= bit  # this one moved (or the output is off)
                    if not st[_PROBING]:
                        self._probe(0)
            f += 3
            code = code_v
            bit = 2

    def check_slow(self, rail_mv, battery_mv, dt_us):
        # Every few ticks (app.py): the battery (SR-16) and USB power (SR-17).
        # dt_us: the time since the last call.
        hal = self._hal
        self._st[_SLOW_AGE_US] = 0
        self._st[_RAIL_MV] = rail_mv if rail_mv > 0 else 0  # below 0: 0 (above)
        self._check_slow_codes(dt_us)
        # SR-12: the pack powers the board while the output is on (SR-17), so
        # it cannot read under a quarter of its cut-off then (the Pico's VSYS
        # stops at 1.8 V, 60 % of its cell's 3.0 V: Pico datasheet): pinned at
        # zero (rp2) or the ADC's floor (the ESP32's read_uv, about 75 mV at
        # the pin: 450 mV of its pack). A sag is SR-16's, ended above this.
        if battery_mv * 4 < self._battery_min_mv and self._st[_BAT_FLOOR] and hal.output_is_on:
            self.latch(faults.SENSOR)
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
        # reads below it, docs/wiring.md), and, per channel as _sensors does,
        # a rail or battery code identical for FROZEN_SLOW_MS with the output
        # on (not at a widened code, where a live reading may rest). Bytecode
        # (native code is heap on the chip, M8) in the VM's 11 words: no heap
        # frame (test_alloc).
        st = self._st
        if self._hal.code_bat >= st[_CODE_HI]:
            self.latch(faults.SENSOR)
        on = self._hal.output_is_on
        f = _SLOW_FROZEN
        code = self._hal.code_rail
        while f <= st[_SLOW_LAST]:
            if on and code == st[f + _CODE] and not (st[_WIDE] and code & 1023 == 512):
                same = min(st[f + _SAME_US] + dt_us, st[_FROZEN_SLOW_US])
                st[f + _SAME_US] = same
                if same >= st[_FROZEN_SLOW_US]:
                    self.latch(faults.FROZEN)
            else:
                st[f + _CODE] = code
                st[f + _SAME_US] = 0
            f += 3
            code = self._hal.code_bat

    @micropython.viper  # every tick, last
    def drive(self, state: int, want_on: int, cmd_ua: int):
        # The tick's end: the output, then the watchdog.
        # The one way on (SR-2): the session wants it, in a treatment state,
        # with no fault latched and this tick's checks done.
        st = ptr32(self._st)
        hal = self._hal
        if (not want_on or int(self.fault) != 0 or not st[_CHECKED]
                or not (st[_TREATMENT_BITS] >> state) & 1):
            if hal.output_is_on or int(hal.duty):  # already off: nothing to write
                hal.output_off()
        else:
            hal.set_current_ua(cmd_ua)
            if not hal.output_is_on:
                hal.output_on()
        # SR-3: fed once per tick whose checks ran, the slow ones on time too
        # (one call ends the tick: a call costs more than its body, issue 13).
        if st[_CHECKED] and st[_SLOW_AGE_US] < _SLOW_DUE_US:
            hal.feed_watchdog()
        st[_CHECKED] = 0
