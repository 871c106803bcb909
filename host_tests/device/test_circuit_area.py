# Partial immersion in the circuit model (tools/sim/circuit.py), for SR-23:
# the contact area as a fraction of the whole hand, the skin's resistance
# inversely proportional to it and its capacitance proportional, a linear
# move over time, and the current density the model reports.
from tools.sim.circuit import Circuit
from tools.sim.simboard import load_board


def _circuit(**params):
    p = {"skin_walk_pct": 0.0, "skin_fall_s": 1e9}
    p.update(params)
    return Circuit(load_board("pico", "."), seed=7, params=p)


SENSE_OHM = load_board("pico", ".")["current_sense_ohm"]


def _near(value, want, tol):
    assert abs(value - want) <= tol, (value, want, tol)


def _regulated(c, frac, t_from, seconds):
    # The sink on at the PWM fraction `frac` from t_from for `seconds`.
    c.gate = 1.0
    c.set_frac = frac
    t = t_from
    while t < t_from + seconds:
        t += 0.001
        c.update(t)
    return t


# SR-23: a third of the area triples the skin's resistance (the series path
# stays), and the density at the same current triples.
def test_a_third_of_the_area_triples_the_skin_and_the_density():
    c = _circuit()
    frac = 5.0 * SENSE_OHM / 3300  # 5 mA: 5 mA x R_sense over the set PWM's 3.3 V
    t = _regulated(c, frac, 0.0, 1.0)
    i = c.i_ua
    _near(i, 5000, 1)
    _near(c.density_ua(), i, 1e-6)
    assert c.area_fraction() == 1.0
    _near(c.skin_ohm(), 3000, 0.01)
    c.immerse_fraction(1 / 3, 0)
    t = _regulated(c, frac, t, 0.5)
    _near(c.skin_ohm(), 9000, 0.01)
    _near(c.load_ohm(), 9300, 0.01)
    _near(c.i_ua, i, 1)  # 5 mA x 9.6 kOhm = 48 V: the rail (55 V for the load) holds it
    _near(c.density_ua(), 3 * i, 3)


# The rail cannot push a current through more than it holds (compliance, SR-14):
# at a third of the area, 8 mA is more than 55 V over 9.6 kOhm (R_limit and the
# PTC, the series path, R_sense and the skin). The model held
# the current at the set point there until a fix (it clamped the skin's voltage
# at the boundary, and a steady target stayed "regulated" for ever).
def test_a_third_of_the_area_at_8_ma_is_compliance_limited():
    c = _circuit()
    frac = 8.0 * SENSE_OHM / 3300
    t = _regulated(c, frac, 0.0, 1.0)
    _near(c.i_ua, 8000, 1)
    c.immerse_fraction(1 / 3, 0)
    _regulated(c, frac, t, 0.5)
    avail = c.rail_mv() - c.board["sink_headroom_mv"]
    rs = c.p["limit_ptc_ohm"] + c.p["series_ohm"] + SENSE_OHM
    _near(c.i_ua, avail / (rs + 9000) * 1000, 5)
    assert c.i_ua < 6000


# SR-23: the move is linear in time, from where the area is to the target;
# R x C (the skin's time constant) does not change with the area.
def test_the_area_moves_linearly_and_the_skin_time_constant_stays():
    c = _circuit()
    c.update(10.0)
    c.immerse_fraction(0.4, 3.0)
    for dt, want in ((0.0, 1.0), (1.5, 0.7), (3.0, 0.4), (4.0, 0.4)):
        c.update(10.0 + dt)
        _near(c.area_fraction(), want, 1e-9)
    c.immerse_fraction(1.0, 2.0)  # back, from 0.4
    c.update(15.0)
    _near(c.area_fraction(), 0.7, 1e-9)
    c.update(16.0)
    assert c.area_fraction() == 1.0
    # The skin charges to I x R with tau = R x C: the same 1.5 ms at any area.
    for area in (1.0, 0.25):
        c = _circuit()
        c.immerse_fraction(area, 0)
        c.gate = 1.0
        c.v1 = c.v2 = 0.1 * 3300  # the set filter settled: the sink holds 330 mV / R_sense
        c.set_frac = 0.1
        c.update(0.0015)
        vs = 330 / SENSE_OHM * 3000 / area
        _near(c.v_skin / vs, 1 - 2.718281828 ** -1, 0.01)


# SR-23 / SR-10: a full lift is lift() (an open circuit), not an area of 0;
# re-immersion brings the whole hand back; no skin carries current when
# lifted or shorted, so the density is 0.
def test_a_full_lift_is_not_an_area_and_reimmersion_is_the_whole_hand():
    c = _circuit()
    for bad in (0.0, -0.1, 1.5):
        try:
            c.immerse_fraction(bad, 1.0)
        except ValueError:
            continue
        raise AssertionError("accepted area fraction " + str(bad))
    t = _regulated(c, 0.2, 0.0, 0.2)
    c.immerse_fraction(0.5, 0)
    c.lift()
    t = _regulated(c, 0.2, t, 0.2)
    assert c.i_ua == 0 and c.density_ua() == 0
    c.reimmerse()
    assert c.area_fraction() == 1.0
    c.short()
    _regulated(c, 0.2, t, 0.2)
    assert c.i_ua > 0 and c.density_ua() == 0
