# SR-23, the current density guard: a hand lifted part way out of the water.
#
# The hazard. The sink holds the current whatever the load; when less skin is
# in the water the same current crosses less skin, and the current density
# (mA/cm2) rises. What burns the skin in iontophoresis is the current density
# (current / area) at the skin, not the current: too high a density gives
# discomfort and burns, which is why iontophoresis is dosed in mA/cm2, with
# about 0.5 mA/cm2 the figure quoted as the limit (sources in docs/SAFETY.md,
# SR-23). A hand lifted to a third of its area in the water triples it.
#
# The estimate. The skin's resistance is inversely proportional to its area in
# the water (the model of tools/sim/circuit.py, measures.md), so at a given
# current the density is proportional to the skin's resistance. The guard
# estimates it as the load V / I less the least series path of measures.md
# (water, tray, electrode: 100-800 Ohm, so 100 Ohm), keeps a running baseline
# of it and, when it rises quickly above the baseline, caps the current at
# set point x baseline / skin x 15/16: the estimated density stays 1/16
# below its level before the rise. Taking the least series path takes part
# of the path for skin: with the model's 300 Ohm path, a hand at a third of
# its area at minute 5 (a 2.7 kOhm skin) would keep its density 5 % above its
# level before without the 1/16 (the whole load would give 7 %). On the
# simulated board, with the baseline's lag, the readings' errors and the
# skin's walk during a 30 s hold, four draws of the hand (scenario
# partial_lift, seeds 67-70) held +1.3 % to +3.8 % (one draw held +10.6 %
# without the 1/16).
#
# Numbers (project defaults, from the model of measures.md; docs/SAFETY.md):
# - the baseline follows the skin with a time constant of 30 s, from the mean
#   of each quarter second of readings: the natural fall (3.0 to 1.8 kOhm in
#   20 minutes, 1 Ohm/s) leaves it 1 % above, the +-5 % slow walk (about 1 %
#   per 10 s) a few percent off, while a lift takes seconds (in 3 s the
#   baseline moves a tenth of the way);
# - a quick fall (more than 10 % below the baseline: more skin in the water,
#   a hand pressed on the tray, whose resistance halves) is followed with
#   300 s instead: letting go brings the load back where it was, which is no
#   lift (with 30 s, a 30 s press let go would look like a rise of 40 %).
#   Except in the first 60 s of current after a reset (a fresh hand, the
#   ramp up): the skin's resistance falls fastest then, and the baseline
#   must follow it down;
# - engaged when the skin stays more than 20 % above the baseline for 20 ms
#   (five readings): the density is then at most 20 % above its level before
#   until the guard acts. 20 % is over what the walk and the ADC noise reach
#   (5 %; 2 % at 1 mA) by a wide margin; a full lift, whose current collapses
#   in milliseconds, never holds it;
# - released when the skin is back within 5 % of the baseline for 20 ms (the
#   hysteresis stops chatter at the edge); the regulator then ramps back up
#   (SR-8); the baseline is frozen while the guard is engaged;
# - only readings of 1 mA or more count (below, the load reading is noise and
#   the density small), and a rise counts only while the current is at least
#   20 % of the set point: under that a hand is leaving the water, SR-10's
#   pause (the current below 20 % of the command for 50 ms), not the guard's
#   business. The app calls reset() after that pause: a hand back in the
#   water gets a new baseline.
# The guard caps the goal; the regulator brings the current down along SR-8's
# ramp (1 mA/s) or faster where the rail cannot push more (SR-14): during a
# lift over 3 s the density passes its level before by up to 30 % for about
# 4 s on the reference circuit (tools/sim scenario partial_lift).
# Limits, by design (a baseline that follows slow changes): a lift that
# leaves more than about 85 % of the skin in the water is not caught (the
# density then at most about 20 % above); a lift to a third taking a minute
# is caught at +12 %, taking 2 minutes at +35 %, taking 5 minutes not at all.
# A cap below 1 mA (a set point under 3 mA and a deep lift) stops the
# readings counting: the cap then holds until the next reset.
#
# Integers only, no allocation per call: every product stays below 2**30,
# MicroPython's small-int limit on a 32-bit port (above it an int is
# allocated on the heap). Each method is bytecode whose locals and value stack
# stay within 11 words, or its frame would go on the heap (app.py); split
# rather than grown.
from micropython import const

_I_MIN_UA = const(1000)  # readings below this carry no usable load
_V_MAX_MV = const(100000)  # readings are clamped here: the load stays <= 100000 Ohm
_SERIES_OHM = const(100)  # the least series path of measures.md (100-800 Ohm)
_DT_MAX_US = const(20000)  # a longer gap (a stall) counts as this
_LIFT_PCT = const(20)  # SR-10: under 20 % of the set point a hand is leaving the water
_ENGAGE_PCT = const(120)  # engaged above baseline x 1.20 ...
_RELEASE_PCT = const(105)  # ... released at or below baseline x 1.05 ...
_CONFIRM_US = const(20000)  # ... each held this long (consecutive readings)
_FALL_PCT = const(90)  # below baseline x 0.90: a quick fall (more skin, a press)
_TAU_US = const(30000000)  # the baseline's time constant ...
_TAU_FALL_US = const(300000000)  # ... after a quick fall, once learnt
_LEARN_US = const(60000000)  # learning: the first 60 s of current after a reset
_WINDOW_US = const(250000)  # the baseline moves once per window, by its mean
_WINDOW_MAX_N = const(1024)  # readings per window at most (sums stay small)
_Q = const(12)  # the baseline in Ohm << 12: 100000 << 12 < 2**29
_R_BITS = const(12)  # baseline / skin in 1/4096
_MARGIN_SHIFT = const(4)  # the cap 1/16 below the density before (_cap)


class DensityGuard:
    def __init__(self):
        self.events = 0  # times the guard engaged this session (journaled)
        self.active = False  # the cap is below the set point now
        self.cap_ua = 0  # the last cap while active
        self.reset(True)

    def reset(self, new_session=False):
        # At a session start (new_session=True: also zero the count), after a
        # pause (contact loss, SR-10) and after a reversal (SR-11): the
        # baseline is learnt again from the next readings (a quarter second
        # of them); until then the cap is the set point.
        if new_session:
            self.events = 0
        self.active = False
        self.cap_ua = 0
        self._base_q = 0  # 0: not learnt yet
        self._learn_us = 0  # time with current since the reset (to _LEARN_US)
        self._sum = 0  # skin estimates of this window (<= 1024 x 100000 < 2**27)
        self._n = 0
        self._win_us = 0
        self._hold_us = 0  # how long the reading has been past the edge

    def update(self, i_ua, v_mv, set_ua, dt_us):
        # Every ~8 ms in RAMP_UP or TREAT with the output on: the measured
        # current (uA) and electrode voltage (mV), the set point (uA) and the
        # microseconds since the last call (from the clock). Returns the cap
        # on the regulator's goal (uA): set_ua when not active.
        if i_ua < _I_MIN_UA:
            # No usable load (the foot of a ramp, a lift: SR-10's): no
            # decision; the cap stays where it was.
            self._hold_us = 0
            if self.active and self.cap_ua < set_ua:
                return self.cap_ua
            return set_ua
        if v_mv > _V_MAX_MV:
            v_mv = _V_MAX_MV
        elif v_mv < 0:
            v_mv = 0
        v_mv = v_mv * 1000 // i_ua - _SERIES_OHM  # now the skin, Ohm (<= 10**8 // 1000)
        if v_mv < 1:
            v_mv = 1
        if dt_us > _DT_MAX_US:
            dt_us = _DT_MAX_US
        elif dt_us < 0:
            dt_us = 0
        if self.active:
            return self._capped(v_mv, set_ua, dt_us)
        return self._watch(v_mv, i_ua, set_ua, dt_us)

    def _watch(self, skin, i_ua, set_ua, dt_us):
        # Not active: learn and follow the baseline, or see a quick rise.
        base = self._base_q >> _Q
        if base == 0 or skin * 100 <= base * _ENGAGE_PCT:  # <= 10**7, 1.2 x 10**7
            self._hold_us = 0
            self._follow(skin, dt_us)
            return set_ua
        if i_ua * 100 < set_ua * _LIFT_PCT:  # <= 2.5 x 10**6 (set point <= 25 mA)
            self._hold_us = 0  # a hand leaving the water: SR-10's, not a rise
            return set_ua
        hold = self._hold_us + dt_us
        self._hold_us = hold
        if hold < _CONFIRM_US:
            return set_ua
        self.active = True  # engaged: the baseline is frozen from here
        self.events += 1
        self._hold_us = 0
        self._sum = 0
        self._n = 0
        self._win_us = 0
        return self._cap(skin, set_ua)

    def _follow(self, skin, dt_us):
        # Readings into the window; at its end the baseline moves by its mean.
        self._sum += skin
        n = self._n + 1
        self._n = n
        w = self._win_us + dt_us  # < 250000 + 20000: a window closes at 250 ms
        self._win_us = w
        if self._learn_us < _LEARN_US:
            self._learn_us += dt_us
        if w >= _WINDOW_US or n >= _WINDOW_MAX_N:
            self._move((self._sum // n) << _Q, w)  # <= 100000 << 12 < 2**29
            self._sum = 0
            self._n = 0
            self._win_us = 0

    def _move(self, mean, w):
        # The first window sets the baseline; each next moves it by w / tau of
        # the way to the window's mean: tau 30 s, but 300 s for a quick fall
        # (more than 10 % below) once the first 60 s are learnt.
        base = self._base_q
        if base == 0:
            self._base_q = mean if mean > 0 else 1
            return
        tau = _TAU_US
        if mean < (base // 100) * _FALL_PCT and self._learn_us >= _LEARN_US:
            tau = _TAU_FALL_US
        k = tau // w if w > 0 else tau  # >= 1: w < 270 ms < 30 s
        base += (mean - base) // k  # |mean - base| < 2**29
        self._base_q = base if base > 0 else 1

    def _capped(self, skin, set_ua, dt_us):
        # Active: released when the load is back near the baseline for 20 ms,
        # else the cap follows the load.
        if skin * 100 <= (self._base_q >> _Q) * _RELEASE_PCT:
            hold = self._hold_us + dt_us
            self._hold_us = hold
            if hold >= _CONFIRM_US:
                self.active = False
                self.cap_ua = 0
                self._hold_us = 0
                return set_ua
        else:
            self._hold_us = 0
        return self._cap(skin, set_ua)

    def _cap(self, skin, set_ua):
        # set point x baseline / skin x 15/16, never above the set point: the
        # ratio in 1/4096 (baseline << 12 <= 100000 << 12 < 2**29; then x set
        # point <= 25000 x 4096 < 2**27). The 1/16 below the density before
        # leaves room for what the estimate cannot see: the least series path
        # (+5 % with the model's 300 Ohm), the baseline's lag, and the skin's
        # walk while the baseline is frozen (the hand held up for 30 s). Without
        # it one draw of the simulated hand held +10.6 % (SR-23's bar: +10 %).
        r = ((self._base_q >> _Q) << _R_BITS) // skin
        if r > 1 << _R_BITS:
            r = 1 << _R_BITS
        r -= r >> _MARGIN_SHIFT
        cap = set_ua * r >> _R_BITS
        self.cap_ua = cap
        return cap
