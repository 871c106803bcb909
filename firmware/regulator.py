# Constant-current regulation, in integer fixed point with no allocation per
# tick. Pure logic: micro-amps in, micro-amps out; it never touches hardware.
#
# The analog sink holds the current within microseconds; this loop only
# (1) moves the target along ramps (SR-8): every change of current is a ramp,
#     set-point changes during treatment included, except a cut to zero;
# (2) trims the command with a slow integral term, so offsets, filter error
#     and drift vanish (M1);
# (3) notices when the rail cannot push the target through the load
#     (compliance, SR-14): it then stops integrating and holds the target just
#     above what flows, so a sudden drop of the load (a press) cannot make the
#     current jump to the set point (SR-8).
from array import array

import micropython
from micropython import const

from firmware import limits

_KI_SHIFT = const(8)  # integral gain 1/256 per tick: ~0.25 s time constant at 1 kHz
_KP_SHIFT = const(3)  # proportional gain 1/8: ADC noise (2 LSB) adds only ~2 uA
_ERR_CLAMP_UA = const(1000)  # at most ~4 uA of trim change per tick (gentleness, M3)
_TRIM_MAX_UA = const(2000)  # the trim corrects offsets, it never drives the load
_SINK_MARGIN_MV = const(500)  # compliance when the sink has less than headroom + this
_SHORT_UA = const(100)  # ... and the current is short of the target by more than this
_CAUGHT_UP_UA = const(75)  # limited until the current is within this of the target ...
_RELEASE_US = const(20000)  # ... for this long
_STEP_MAX_US = const(20000)  # a longer gap between readings (a stall) ramps as this:
# SR-8 allows 0.2 mA in 10 ms, and 20 ms at the fastest 1 mA/s is 20 uA
_HOLD_MARGIN_UA = const(150)  # while limited, command <= measured + this (< SR-8's 0.2 mA)


# The regulator's state: one preallocated array of integers, so step() runs
# as viper code over machine words (platform.md). Every product stays under
# 2**31: the largest is the ramp's rate x dt, at most 1000 x 20000.
# Every word viper reads back is stored non-negative: on a 64-bit port (the
# unix port of the tests) viper's ptr32 loads zero-extend, so -3 would read as
# 2**32 - 3 there (the boards' 32-bit words read it right). The two signed
# values carry a bias.
_BIAS = const(1 << 24)  # above -integ (2000 << 8) and -i_f (an offset's few mA << 4)
_GOAL_UA = const(0)  # where the ramp is heading
_CAP_UA = const(1)  # SR-23: the density guard's cap on the goal
_TARGET_NUA = const(2)  # the ramped set point, in nA (fractions of a uA per tick)
_INTEG = const(3)  # integral trim, uA << _KI_SHIFT, + _BIAS
_LIMITED = const(4)  # 1: compliance-limited (SR-14)
_OK_US = const(5)  # how long the current has caught up while limited
_I_F = const(6)  # measured current averaged over ~16 readings, uA << 4, + _BIAS
_UP_UA_S = const(7)  # the ramp rates (SR-8)
_DOWN_UA_S = const(8)
_SINK_NEED_MV = const(9)  # below this voltage across the sink it cannot regulate
_PROBE_CEIL_UA = const(10)  # SR-12: the goal's ceiling while the supervisor probes
_NO_PROBE = const(1 << 30)  # ... none (above every goal)
_SIZE = const(11)


class Regulator:
    def __init__(self, sink_headroom_mv):
        r = array("i", [0] * _SIZE)
        self._r = r
        r[_SINK_NEED_MV] = sink_headroom_mv + _SINK_MARGIN_MV
        r[_CAP_UA] = limits.MAX_SET_UA
        r[_INTEG] = _BIAS
        r[_I_F] = _BIAS
        r[_PROBE_CEIL_UA] = _NO_PROBE
        self.set_rates(limits.RAMP_UP_DEFAULT_UA_S, limits.RAMP_DOWN_UA_S)

    # Read-only views of the state, for the session, the app and the tests.
    @property
    def goal_ua(self):
        return self._r[_GOAL_UA]

    @property
    def cap_ua(self):
        return self._r[_CAP_UA]

    @property
    def integ(self):
        return self._r[_INTEG] - _BIAS

    @property
    def limited(self):  # (bytecode: native code is heap on the chip, M8)
        return self._r[_LIMITED] != 0

    @property
    def up_ua_s(self):
        return self._r[_UP_UA_S]

    def set_rates(self, up_ua_s, down_ua_s):
        if not limits.RAMP_UP_MIN_UA_S <= up_ua_s <= limits.RAMP_UP_MAX_UA_S:
            raise ValueError("ramp up rate outside 100-1000 uA/s (SR-8)")
        if not 0 < down_ua_s <= limits.RAMP_DOWN_UA_S:
            raise ValueError("ramp down rate outside 1-1000 uA/s (SR-8)")
        # Per step: rate (uA/s) x the step's microseconds / 1000 = nA.
        self._r[_UP_UA_S] = up_ua_s
        self._r[_DOWN_UA_S] = down_ua_s

    def set_goal(self, ua):
        if not 0 <= ua <= limits.MAX_SET_UA:
            raise ValueError("set point outside 0-25000 uA (SR-5)")
        self._r[_GOAL_UA] = ua

    def set_cap(self, ua):
        # SR-23: the density guard caps the goal; the target follows along the
        # ramps (SR-8), down at the down rate, back up at the up rate.
        # Never below the probe (SR-9): contact loss is judged against the target.
        if ua < limits.PROBE_UA:
            ua = limits.PROBE_UA
        self._r[_CAP_UA] = ua if ua <= limits.MAX_SET_UA else limits.MAX_SET_UA

    def probe(self, on):
        # SR-12 (the supervisor, at an RP2040 widened code): on, the goal is at
        # most PROBE_MAX_UA below the present target, so the target moves down
        # along the down ramp (SR-8) until the supervisor sees the reading move,
        # then back up. Below the target, not the goal: a compliance-limited
        # target (SR-14) sits far below its goal, and must move too.
        r = self._r
        if on:
            ceil = r[_TARGET_NUA] // 1000 - limits.PROBE_MAX_UA
            r[_PROBE_CEIL_UA] = ceil if ceil > 0 else 0
        else:
            r[_PROBE_CEIL_UA] = _NO_PROBE

    def cap_pct(self, set_ua):
        # The cap as percent of the set point (100: no reduction).
        cap = self._r[_CAP_UA]
        if set_ua <= 0 or cap >= set_ua:
            return 100
        return cap * 100 // set_ua

    def cut(self):
        # Fault, surge or contact loss: to zero at once, re-ramp from zero after.
        r = self._r
        r[_TARGET_NUA] = 0
        r[_INTEG] = _BIAS
        r[_LIMITED] = 0
        r[_OK_US] = 0
        r[_I_F] = _BIAS
        r[_PROBE_CEIL_UA] = _NO_PROBE

    @micropython.viper  # every tick (the supervisor's check): a viper call is the cheaper
    def target_ua(self) -> int:
        return ptr32(self._r)[_TARGET_NUA] // 1000  # (never below 0)

    def at_top(self):  # every session step in RAMP_UP (bytecode: M8)
        # The ramp has reached its goal, the density guard's cap below it, or
        # the most the load lets through (compliance-limited, SR-14).
        r = self._r
        if r[_LIMITED]:
            return True
        goal = r[_GOAL_UA]
        if goal > r[_CAP_UA]:
            goal = r[_CAP_UA]
        return r[_TARGET_NUA] >= goal * 1000

    def ramp_down_ms(self):  # every session step (SR-5's cap; bytecode: M8)
        # How long the ramp down from the present target takes (ms).
        r = self._r
        return r[_TARGET_NUA] // 1000 * 1000 // r[_DOWN_UA_S]

    @micropython.viper  # every tick: machine words, frame on the C stack (platform.md)
    def step(self, i_ua: int, sink_mv: int, dt_us: int) -> int:
        # One tick: measured current, the voltage left across the sink and the
        # microseconds since the last step (from the clock) in, commanded
        # current out (all integers: uA, mV, us). The ramp moves by rate x
        # time, so a late tick does not slow it (SR-8: rates are real time);
        # the gains below act per reading.
        r = ptr32(self._r)
        if dt_us > _STEP_MAX_US:
            dt_us = _STEP_MAX_US
        goal = r[_GOAL_UA]
        if goal > r[_CAP_UA]:
            goal = r[_CAP_UA]
        if goal > r[_PROBE_CEIL_UA]:
            goal = r[_PROBE_CEIL_UA]  # SR-12's probe (probe)
        goal *= 1000
        t = r[_TARGET_NUA]
        if t < goal:
            t += r[_UP_UA_S] * dt_us // 1000
            if t > goal:
                t = goal
        elif t > goal:
            t -= r[_DOWN_UA_S] * dt_us // 1000
            if t < goal:
                t = goal
        # A 16-tick average of the measurement (fixed point, << 4): the hold
        # below follows it, so ADC noise does not pass into the output.
        i_f = r[_I_F] - _BIAS
        i_f += i_ua - (i_f >> 4)
        r[_I_F] = i_f + _BIAS
        t_ua = t // 1000
        if t_ua <= 0:
            r[_TARGET_NUA] = t
            r[_INTEG] = _BIAS
            r[_LIMITED] = 0
            return 0
        err = t_ua - i_ua
        if sink_mv < r[_SINK_NEED_MV] and err > _SHORT_UA:
            r[_LIMITED] = 1  # SR-14: the rail cannot push it through the load
            r[_OK_US] = 0
        elif r[_LIMITED]:
            # Released once the current has caught up with the target again.
            r[_OK_US] = r[_OK_US] + dt_us if err < _CAUGHT_UP_UA else 0
            if r[_OK_US] >= _RELEASE_US:
                r[_LIMITED] = 0
        integ = r[_INTEG] - _BIAS
        if r[_LIMITED]:
            # Stop integrating, and hold target and command just above what
            # flows: when the load suddenly drops (a press), the current can
            # rise by at most the margin, then follows the ramp (SR-8).
            cap = (i_f >> 4) + _HOLD_MARGIN_UA
            if t_ua > cap:
                t_ua = cap if cap > 0 else 0
                t = t_ua * 1000
            r[_TARGET_NUA] = t
            cmd = t_ua + (integ >> _KI_SHIFT)
            if cmd > cap:
                cmd = cap
            return cmd if cmd > 0 else 0
        if err > _ERR_CLAMP_UA:
            err = _ERR_CLAMP_UA
        elif err < -_ERR_CLAMP_UA:
            err = -_ERR_CLAMP_UA
        # Anti-windup: short of the target with no headroom left across the
        # sink, more command would not flow (the current is at the load's
        # compliance, only less than 0.1 mA short: not yet limited). Wound up
        # there, the trim once held the command 0.8 mA above a saturated
        # current, so SR-12's probe (0.3 mA down) could not move a reading
        # resting on a widened code: a false frozen fault (M9, seed 83).
        if err < 0 or sink_mv >= r[_SINK_NEED_MV]:
            integ += err
        # The trim corrects gain and offset errors: at most 12.5 % of the
        # target + 0.2 mA, and never more than _TRIM_MAX_UA.
        lim = (t_ua >> 3) + 200
        if lim > _TRIM_MAX_UA:
            lim = _TRIM_MAX_UA
        lim = lim << _KI_SHIFT
        if integ > lim:
            integ = lim
        elif integ < -lim:
            integ = -lim
        r[_INTEG] = integ + _BIAS
        r[_TARGET_NUA] = t
        cmd = t_ua + (integ >> _KI_SHIFT) + (err >> _KP_SHIFT)
        return cmd if cmd > 0 else 0

    def mean_ua(self):
        # The measured current averaged over about 16 readings (the hold's).
        return (self._r[_I_F] - _BIAS) >> 4

    def reached_pct(self, i_ua):
        # SR-14: percent of the set point reached (100 when nothing is asked).
        g = self._r[_GOAL_UA]
        if g <= 0:
            return 100
        p = i_ua * 100 // g
        return p if p > 0 else 0
