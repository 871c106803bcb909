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


class Regulator:
    def __init__(self, sink_headroom_mv):
        # Below this voltage across the sink it cannot regulate: compliance.
        self.sink_need_mv = sink_headroom_mv + _SINK_MARGIN_MV
        self.goal_ua = 0  # where the ramp is heading
        self.cap_ua = limits.MAX_SET_UA  # SR-23: the density guard's cap on the goal
        self.target_nua = 0  # the ramped set point, in nA (fractions of a uA per tick)
        self.integ = 0  # integral trim, uA << _KI_SHIFT
        self.limited = False  # compliance-limited (SR-14)
        self._ok_us = 0
        self._i_f = 0  # measured current averaged over ~16 readings, uA << 4
        self.set_rates(limits.RAMP_UP_DEFAULT_UA_S, limits.RAMP_DOWN_UA_S)

    def set_rates(self, up_ua_s, down_ua_s):
        if not limits.RAMP_UP_MIN_UA_S <= up_ua_s <= limits.RAMP_UP_MAX_UA_S:
            raise ValueError("ramp up rate outside 100-1000 uA/s (SR-8)")
        if not 0 < down_ua_s <= limits.RAMP_DOWN_UA_S:
            raise ValueError("ramp down rate outside 1-1000 uA/s (SR-8)")
        # Per step: rate (uA/s) x the step's microseconds / 1000 = nA.
        self.up_ua_s = up_ua_s
        self.down_ua_s = down_ua_s

    def set_goal(self, ua):
        if not 0 <= ua <= limits.MAX_SET_UA:
            raise ValueError("set point outside 0-25000 uA (SR-5)")
        self.goal_ua = ua

    def set_cap(self, ua):
        # SR-23: the density guard caps the goal; the target follows along the
        # ramps (SR-8), down at the down rate, back up at the up rate.
        # Never below the probe (SR-9): contact loss is judged against the target.
        if ua < limits.PROBE_UA:
            ua = limits.PROBE_UA
        self.cap_ua = ua if ua <= limits.MAX_SET_UA else limits.MAX_SET_UA

    def cap_pct(self, set_ua):
        # The cap as percent of the set point (100: no reduction).
        if set_ua <= 0 or self.cap_ua >= set_ua:
            return 100
        return self.cap_ua * 100 // set_ua

    def cut(self):
        # Fault, surge or contact loss: to zero at once, re-ramp from zero after.
        self.target_nua = 0
        self.integ = 0
        self.limited = False
        self._ok_us = 0
        self._i_f = 0

    def target_ua(self):
        return self.target_nua // 1000

    @micropython.native  # every tick: its frame stays on the C stack (platform.md)
    def step(self, i_ua, sink_mv, dt_us):
        # One tick: measured current, the voltage left across the sink and the
        # microseconds since the last step (from the clock) in, commanded
        # current out (all integers: uA, mV, us). The ramp moves by rate x
        # time, so a late tick does not slow it (SR-8: rates are real time);
        # the gains below act per reading.
        if dt_us > _STEP_MAX_US:
            dt_us = _STEP_MAX_US
        goal = self.goal_ua
        if goal > self.cap_ua:
            goal = self.cap_ua
        goal *= 1000
        t = self.target_nua
        if t < goal:
            t += self.up_ua_s * dt_us // 1000  # <= 1000 x 20000: a small int
            if t > goal:
                t = goal
        elif t > goal:
            t -= self.down_ua_s * dt_us // 1000
            if t < goal:
                t = goal
        # A 16-tick average of the measurement (fixed point, << 4): the hold
        # below follows it, so ADC noise does not pass into the output.
        self._i_f += i_ua - (self._i_f >> 4)
        t_ua = t // 1000
        if t_ua <= 0:
            self.target_nua = t
            self.integ = 0
            self.limited = False
            return 0
        err = t_ua - i_ua
        if sink_mv < self.sink_need_mv and err > _SHORT_UA:
            self.limited = True  # SR-14: the rail cannot push it through the load
            self._ok_us = 0
        elif self.limited:
            # Released once the current has caught up with the target again.
            self._ok_us = self._ok_us + dt_us if err < _CAUGHT_UP_UA else 0
            if self._ok_us >= _RELEASE_US:
                self.limited = False
        trim = self.integ >> _KI_SHIFT
        if self.limited:
            # Stop integrating, and hold target and command just above what
            # flows: when the load suddenly drops (a press), the current can
            # rise by at most the margin, then follows the ramp (SR-8).
            cap = (self._i_f >> 4) + _HOLD_MARGIN_UA
            if t_ua > cap:
                t_ua = cap if cap > 0 else 0
                t = t_ua * 1000
            self.target_nua = t
            cmd = t_ua + trim
            if cmd > cap:
                cmd = cap
            return cmd if cmd > 0 else 0
        if err > _ERR_CLAMP_UA:
            err = _ERR_CLAMP_UA
        elif err < -_ERR_CLAMP_UA:
            err = -_ERR_CLAMP_UA
        integ = self.integ + err
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
        self.integ = integ
        self.target_nua = t
        cmd = t_ua + (integ >> _KI_SHIFT) + (err >> _KP_SHIFT)
        return cmd if cmd > 0 else 0

    def mean_ua(self):
        # The measured current averaged over about 16 readings (the hold's).
        return self._i_f >> 4

    def reached_pct(self, i_ua):
        # SR-14: percent of the set point reached (100 when nothing is asked).
        g = self.goal_ua
        if g <= 0:
            return 100
        p = i_ua * 100 // g
        return p if p > 0 else 0
