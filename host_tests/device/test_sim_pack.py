# The pack the circuit model (tools/sim/circuit.py, pack()) gives each board, issue 18
# item 2: the Pico family (pico, pico2, pico_oled, pico_rtc; picow and pico2w, which read
# no battery but take the same power path) one Li-ion cell, the rail held down to U7's
# lowest input; the ESP32 DevKitC its 2S pack. What the figures are against
# tools/circuit/design.py: host_tests/test_sim_pack_design.py (CPython only).
from firmware import limits
from tools.sim import circuit
from tools.sim.circuit import Circuit, bench_resistor
from tools.sim.simboard import load_board

PICO_FAMILY = ("pico", "pico2", "pico_oled", "pico_rtc", "picow", "pico2w")
BATTERY_START_PCT = limits.BATTERY_START_PCT  # a start needs 110 % of battery_min_mv
LONGEST_S = limits.MAX_ON_MS // 1000  # SR-5: 45 min
STRONGEST_UA = limits.MAX_SET_UA  # SR-5: 25 mA


def _board(name):
    return load_board(name, ".")


def _circuit(name, **params):
    p = bench_resistor(1000.0)
    p["adc_noise_lsb"] = 0.0
    p.update(params)
    return Circuit(_board(name), seed=5, params=p)


def _session(c, ua, seconds):
    # `ua` through the bench resistor for `seconds` (the set filter settles in ms;
    # the model is closed-form over any step).
    c.set_frac = ua * c.r_sense / 1e6 / (c.board["set_pwm_high_mv"] / 1000.0)
    c.gate = 1.0
    t = c.t
    for k in range(1, 400):  # settle
        c.update(t + k * 0.001)
    t = c.t
    n = int(seconds)
    for k in range(1, n + 1):
        c.update(t + k)
    return c


def test_the_pico_family_runs_on_one_cell():
    for name in PICO_FAMILY:
        b = _board(name)
        c = Circuit(b, seed=1)
        assert circuit.pack(b)["cells"] == 1, name
        assert c.battery_mv == 3900.0, (name, c.battery_mv)  # one cell under load
        assert c.p["rail_min_battery_mv"] == 2900.0, name  # U7's lowest input
        if b["battery_min_mv"]:  # the cut-off the firmware stops at: one cell's
            assert b["battery_min_mv"] == circuit.CELL_MIN_MV, name
            # a start is allowed on the simulated pack, and on no pack under 110 %
            assert c.battery_mv >= b["battery_min_mv"] * BATTERY_START_PCT / 100, name
        else:
            assert name in ("picow", "pico2w"), name  # no reading: the same cell


def test_the_esp32_runs_on_its_two_cells():
    b = _board("esp32_devkitc")
    c = Circuit(b, seed=1)
    assert circuit.pack(b)["cells"] == 2
    assert (c.battery_mv, c.p["rail_min_battery_mv"]) == (7800.0, 6400.0)
    assert b["battery_min_mv"] == 2 * circuit.CELL_MIN_MV
    assert c.battery_mv >= b["battery_min_mv"] * BATTERY_START_PCT / 100


def test_a_pack_passed_in_wins_and_an_unknown_port_has_none():
    c = Circuit(_board("pico"), seed=1, params={"battery_mv": 4200.0,
                                                "rail_min_battery_mv": 3100.0})
    assert (c.battery_mv, c.p["rail_min_battery_mv"]) == (4200.0, 3100.0)
    b = dict(_board("pico"))
    b["port"] = "samd"
    try:
        Circuit(b, seed=1)
    except ValueError as e:
        assert "samd" in str(e)
    else:
        raise AssertionError("a board of an unknown port got a pack")


def test_the_pico_rail_holds_down_to_u7s_input_and_sags_below_it():
    # The rail at zero current: the board's rail while U7 makes its 12 V (the cell at
    # or above 2.9 V, under the firmware's 3.0 V cut-off too), in proportion below.
    c = _circuit("pico")
    rail = c.board["rail_mv"]
    for mv, want in ((4200.0, rail), (3000.0, rail), (2900.0, rail), (2610.0, rail * 0.9)):
        c.battery_mv = mv
        assert abs(c.rail_mv() - want) < 1.0, (mv, c.rail_mv(), want)
    # The old 2-cell figure sagged a one-cell rail to under half: gone.
    c.battery_mv = 3000.0
    assert c.rail_mv() > 0.99 * rail


def _drop_45_min_at_25_ma(name):
    c = _session(_circuit(name), STRONGEST_UA, LONGEST_S)
    assert abs(c.i_ua - STRONGEST_UA) < 50, c.i_ua  # regulated throughout
    mah = c.charge_uas / 3.6e6
    start = circuit.pack(c.board)["battery_mv"]
    drop = start - c.battery_mv
    # the law: mV per mAh drawn at the rail, the same over the session
    assert abs(drop - c.p["battery_drop_mv_per_mah"] * mah) < 0.01 * drop, (drop, mah)
    return c, drop


def test_a_45_minute_session_at_25_ma_leaves_the_one_cell_above_its_cut_off():
    # The longest, strongest nominal session (45 min, 25 mA: firmware limits) on a
    # cell at the model's 3.9 V ends above the Pico's 3.0 V cut-off (SR-16 does not
    # end a nominal session), and above the 3.3 V a start needs, after a fall the
    # model draws from the energy the rail took (about 0.2 V).
    c, drop = _drop_45_min_at_25_ma("pico")
    b_min = c.board["battery_min_mv"]
    assert 150 < drop < 250, drop
    assert c.battery_mv > b_min * BATTERY_START_PCT / 100, c.battery_mv
    # From the lowest charged cell M9 draws (3.7 V, tools/ionto/m9.py) too.
    assert 3700.0 - drop > b_min * BATTERY_START_PCT / 100, drop


def test_a_45_minute_session_at_25_ma_on_the_esp32s_pack():
    c, drop = _drop_45_min_at_25_ma("esp32_devkitc")
    assert 150 < drop < 250, drop
    assert c.battery_mv > c.p["rail_min_battery_mv"] > c.board["battery_min_mv"]


def test_the_tick_bench_reads_the_picos_cell():
    # tools/sim/benchmachine.py (M6, M7 on the pico) fixes the battery channel at the
    # cell the model starts the Pico on (its own constant: it cannot import the model).
    from tools.sim import benchmachine

    assert benchmachine.PICO_CELL_MV == circuit.pack(_board("pico"))["battery_mv"]
    assert benchmachine.Bath().battery_mv == benchmachine.PICO_CELL_MV


def test_the_fake_hal_reads_each_boards_pack():
    # tools/sim/fakehal.py (the unit tests' hal) starts at the pack the model starts
    # each board on; 0 where the board has no battery reading, as its hal reads.
    from firmware.boards import load
    from tools.sim.fakehal import FakeHal

    for name in PICO_FAMILY + ("esp32_devkitc",):
        board = load(name)
        want = circuit.pack(board)["battery_mv"] if board["battery_min_mv"] else 0
        assert FakeHal(board).battery_mv == want, name
