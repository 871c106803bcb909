"""The analog stage in ngspice (tools/circuit/spice.py, the parts of tools/circuit/design.py):
transient runs of the Pico build, each with its assertion, and the check that the
simulator's circuit parameters (tools/sim/circuit.py with the board's set_filter_ms,
sink_headroom_mv, hw_cap_ua) agree with the SPICE results within 5 %.

Every run also checks every microcontroller pin against its absolute maximum rating
(RP2040: -0.5 V to IOVDD + 0.5 V) while the microcontroller is powered, and the runs of
ESP32_RUNS do the same on the ESP32 build (-0.3 V to 3.6 V), two of them (its lowest
pack, which supplies its op-amps) on that build only. The power path (the battery and
USB sense pins): test_circuit_power_path.py. The figures the runs give are in
docs/circuit.md ("What the SPICE runs show").
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import lru_cache

import pytest

from firmware.boards import pico
from tools.circuit import boost, design, spice
from tools.sim.circuit import Circuit, bench_resistor

BOARD = "pico"
RS = design.R_SENSE
RST = "PWL(0 0 0.1m 0 0.11m 3.3 0.3m 3.3 0.31m 0)"  # the firmware resets the latch at start
EN_AT = 0.5e-3
EN = f"PWL(0 0 {EN_AT} 0 {EN_AT + 10e-6} 3.3)"  # enable with the set at 0 (SR-8's order)
SET_AT = 1e-3
TRIP_A = design.analog(BOARD)["hw_cap_ua"] / 1e6
TRIP_MAX = TRIP_A * (1 + design.trip_tolerance(BOARD))
IEC_NC_A = 10e-6  # IEC 60601-1 table 3 (recalled): DC patient leakage, normal condition
IEC_SFC_A = 50e-6  # the same, single fault condition


def set_step(amps: float) -> str:
    v = amps * RS
    return f"PWL(0 0 {SET_AT} 0 {SET_AT + 10e-6} {v:.6g})"


def sim_current(load_ohm: float, amps: float, rail_v: float = design.RAIL_V,
                extra: dict | None = None) -> float:
    """tools/sim/circuit.py's steady current for a bench resistor, the board's parameters
    with the circuit's sense resistor."""
    board = dict(pico.BOARD, current_sense_ohm=RS, rail_mv=rail_v * 1000)
    params = bench_resistor(load_ohm) | {"adc_noise_lsb": 0.0} | (extra or {})
    c = Circuit(board, seed=1, params=params)
    c.set_frac = amps * RS / (board["set_pwm_high_mv"] / 1000)
    c.gate = 1.0
    for k in range(1, 400):
        c.update(k * 1e-3)
    return c.i_ua / 1e6


def _scenarios() -> dict[str, spice.Scenario]:
    s: dict[str, spice.Scenario] = {}
    duty = 15e-3 * RS / 3.3
    s["step"] = spice.Scenario(
        "step", 21e-3, 2e-6, set_src=f"PULSE(0 3.3 {SET_AT} 20n 20n {duty * 50e-6:.6g} 50u)",
        enable_src=EN, reset_src=RST, load="R 3k")
    for amps in (1e-3, 5e-3, 15e-3, 25e-3):
        for ohm in (1000, 3000, 5000):
            s[f"acc_{amps * 1e3:g}_{ohm}"] = spice.Scenario(
                f"acc {amps} {ohm}", 25e-3, 10e-6, set_src=set_step(amps), enable_src=EN,
                reset_src=RST, load=f"R {ohm}")
    # the pack at the build's lowest and full (design.PACK_V; the Pico's op-amps run
    # from U7's 12 V, the ESP32's from the pack)
    for ohm in (4000, 5000, 6000):
        for name, rail, pack in (("min", design.RAIL_V * 0.97, "low"),
                                 ("max", design.RAIL_V * 1.03, "full")):
            s[f"comp_{ohm}_{name}"] = spice.Scenario(
                f"compliance {ohm} {name}", 25e-3, 10e-6, set_src=set_step(25e-3),
                enable_src=EN, reset_src=RST, load=f"R {ohm}", rail_v=rail, pack_v=pack)
    # The set stuck at full scale, the enable stuck on: the latch must cut; the reset
    # at 15 ms (with the set still stuck) releases it, and it trips again.
    # SR-13's region: under 250 Ohm at 2 mA, 0.4 V at the electrodes, 20 mV at the pin.
    s["low_v_200"] = spice.Scenario("2 mA into 200 Ohm", 25e-3, 10e-6, set_src=set_step(2e-3),
                                    enable_src=EN, reset_src=RST, load="R 200")
    s["comp_2500"] = spice.Scenario("compliance 2500", 25e-3, 10e-6, set_src=set_step(25e-3),
                                    enable_src=EN, reset_src=RST, load="R 2500")
    s["stuck"] = spice.Scenario(
        "stuck set", 18e-3, 0.5e-6, set_src=f"PWL(0 0 {SET_AT} 0 {SET_AT + 10e-6} 3.3)",
        enable_src=EN, reset_src=RST[:-1] + " 15m 0 15.01m 3.3 15.2m 3.3 15.21m 0)",
        load="R 1k")
    for amps, ohm in ((10e-3, 3000), (15e-3, 1000)):  # pulsed DC: the enable pin's PWM
        s[f"pulsed_{amps * 1e3:g}_{ohm}"] = spice.Scenario(
            f"pulsed {amps} {ohm}", 8e-3, 1e-6, set_src=f"DC {amps * RS:.6g}",
            enable_src="PULSE(0 3.3 2m 1u 1u 0.5m 1m)", reset_src=RST, load=f"R {ohm}")
    s["short"] = spice.Scenario("short at 15 mA", 16e-3, 1e-6, set_src=set_step(15e-3),
                                enable_src=EN, reset_src=RST, load="R 3k", short_at=10e-3)
    s["off_enable_low"] = spice.Scenario("enable low", 10e-3, 10e-6, set_src="DC 0",
                                         enable_src="DC 0", reset_src=RST, load="R 3k")
    s["off_unpowered"] = spice.Scenario("MCU unpowered", 10e-3, 10e-6, set_src=None,
                                        enable_src=None, relay_src=None, reset_src=None,
                                        mcu_powered=False, load="R 3k")
    s["off_stuck_set"] = spice.Scenario("enable low, set stuck", 10e-3, 10e-6,
                                        set_src="DC 3.3", enable_src="DC 0", reset_src=RST,
                                        load="R 1k")
    # SR-11's order, shortened: ramp down, output off, relay, output on reversed.
    s["relay"] = spice.Scenario(
        "relay", 80e-3, 5e-6,
        set_src=f"PWL(0 0 {SET_AT} 0 5m {15e-3 * RS} 20m {15e-3 * RS} 22m 0 56m 0 58m "
                f"{5e-3 * RS})",
        enable_src=f"PWL(0 0 {EN_AT} 0 {EN_AT + 10e-6} 3.3 25m 3.3 25.01m 0 55m 0 "
                   "55.01m 3.3)",
        relay_src="PWL(0 0 40m 0 40.01m 3.3)", reset_src=RST, load="HAND")
    # The same with the BSS123s at their highest threshold (2.0 V, datasheet): the level
    # shifter must still turn Q1 on and the relay driver must still pull the relay in.
    s["relay_vth_max"] = replace(s["relay"], name="relay, BSS123 at 2.0 V", bss123_vto=2.0)
    # The ESP32 build's pack at its lowest (2 cells at 3.0 V), which supplies its
    # op-amps: the sink's op-amp (VCC - 1.5 V) must still drive Q2 (V_GS(th) 2.0 V) to
    # 25 mA; and a stuck set then stops short of the trip level (the op-amp's swing is
    # the limit). (The Pico build's op-amps run from U7's 12 V, whatever its cell.)
    s["acc_25_1000_pack6"] = replace(s["acc_25_1000"], name="25 mA at a 6.0 V pack",
                                     pack_v="low")
    s["stuck_pack6"] = replace(s["stuck"], name="stuck set at a 6.0 V pack", pack_v="low")
    return s


SCENARIOS = _scenarios()
# The ESP32 build differs at its ADC pins (the bias networks) and in its op-amps' supply
# (the pack): the runs that drive its pins hardest, and its lowest pack.
ESP32_ONLY = ("acc_25_1000_pack6", "stuck_pack6")
ESP32_RUNS = ("acc_25_1000", "stuck", "off_stuck_set", "comp_4000_max", "low_v_200",
              *ESP32_ONLY)


@lru_cache(maxsize=None)
def _all() -> dict[tuple[str, str], spice.Result]:
    jobs = [(BOARD, k, v) for k, v in SCENARIOS.items() if k not in ESP32_ONLY]
    jobs += [("esp32_devkitc", k, SCENARIOS[k]) for k in ESP32_RUNS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(lambda j: ((j[0], j[1]), spice.run(j[0], j[2])), jobs))


def results() -> dict[str, spice.Result]:
    return {k: v for (b, k), v in _all().items() if b == BOARD}


def res(name: str) -> spice.Result:
    return results()[name]


def steady(r: spice.Result, t0: float, t1: float) -> float:
    w = r.window("i_load", t0, t1)
    return sum(w) / len(w)


def near_set(amps: float, set_a: float) -> bool:
    """The sink's open-loop accuracy, before the firmware's loop trims it: 2 % + 0.1 mA
    (the two op-amps' offsets, 3 mV each, are 0.07 mA)."""
    return abs(amps - set_a) <= 0.02 * set_a + 0.1e-3


def inside_compliance(amps: float, ohm: float) -> bool:
    return sim_current(ohm, amps) >= amps * 0.999


def test_every_run_reached_its_end():
    for (board, name), r in _all().items():
        assert r.t[-1] >= SCENARIOS[name].t_stop * 0.999, (board, name)


@pytest.mark.parametrize("board,name",
                         [(BOARD, k) for k, v in sorted(SCENARIOS.items())
                          if v.mcu_powered and k not in ESP32_ONLY]
                         + [("esp32_devkitc", k) for k in ESP32_RUNS])
def test_every_pin_stays_inside_its_absolute_maximum(board, name):
    """(The unpowered run: test_unpowered_pins_stay_under_0_5_v.)"""
    r = _all()[(board, name)]
    assert r.t[-1] >= SCENARIOS[name].t_stop * 0.999
    assert spice.pin_violations(board, r) == [], (board, name)


def test_set_path_has_the_two_poles_the_simulator_assumes():
    """The filtered 20 kHz PWM: the load current follows two equal first-order stages
    of set_filter_ms each (tools/sim/circuit.py) within 5 % of the final current."""
    r = res("step")
    final = steady(r, 19e-3, 21e-3)
    assert near_set(final, 15e-3), f"{final * 1e3:.3f} mA"
    tau = pico.BOARD["set_filter_ms"] / 1000
    worst = 0.0
    for k in range(1, 181):
        t = SET_AT + k * 1e-4
        want = final * spice.two_pole(t - SET_AT, tau)
        got = r.at(t, "i_load")
        worst = max(worst, abs(got - want) / final)
    assert worst < 0.05, f"the step response is {worst:.1%} of the final current off"


@pytest.mark.parametrize("amps", (1e-3, 5e-3, 15e-3, 25e-3))
@pytest.mark.parametrize("ohm", (1000, 3000, 5000))
def test_sink_accuracy(amps, ohm):
    """Inside compliance: the sense current (what the firmware reads) is the set point
    within 2 % + 0.1 mA (the op-amps' offsets, which the firmware's loop trims), and the
    load current differs from it by under 60 uA: the difference stage draws V_lo / 1 MOhm
    from the load side of the sink, which the firmware cannot see. Outside it: the current is what
    the simulator's compliance model gives, within 5 %."""
    r = res(f"acc_{amps * 1e3:g}_{ohm}")
    i_load = steady(r, 22e-3, 25e-3)
    w = r.window("SENSE", 22e-3, 25e-3)
    i_sense = sum(w) / len(w) / RS
    if inside_compliance(amps, ohm):
        assert near_set(i_sense, amps), f"sense {i_sense * 1e3:.4f} mA"
        assert abs(i_load - i_sense) <= 60e-6, f"load - sense {(i_load - i_sense) * 1e6:.1f} uA"
    else:
        want = sim_current(ohm, amps)
        assert abs(i_load / want - 1) < 0.05, f"{i_load * 1e3:.3f} mA, sim {want * 1e3:.3f} mA"
    assert max(r.window("i_load", SET_AT, 25e-3)) <= max(amps, i_load) * 1.05 + 50e-6


def test_25_ma_at_the_lowest_pack_and_a_stuck_set_stays_under_the_trip_level():
    """The ESP32 build, whose op-amps run from its pack, at its lowest pack."""
    assert near_set(steady(_all()[("esp32_devkitc", "acc_25_1000_pack6")], 22e-3, 25e-3),
                    25e-3)
    r = _all()[("esp32_devkitc", "stuck_pack6")]
    assert max(r.i_load) < TRIP_A  # about 31 mA: the firmware's SR-5 (30 mA) acts
    assert min(r.window("OK_G", 1e-3, 18e-3)) > 3.0


@pytest.mark.parametrize("board,name", [(BOARD, "low_v_200"), (BOARD, "acc_1_1000"),
                                        (BOARD, "acc_15_3000"),
                                        ("esp32_devkitc", "low_v_200")])
def test_the_electrode_voltage_reads_right_down_to_0_4_v(board, name):
    """The difference stage's ADC pin against the electrode voltage x voltage_div_ppm +
    voltage_bias_mv (the circuit's values), within 10 mV (0.2-0.3 V at the electrodes:
    the op-amp's offset, which the calibration trims). With the LM358's class-B output
    modelled (LM358W) and no pull-down at its output, it stopped at 0.62 V: every
    electrode voltage under about 12 V read as 12 V and a short (SR-13) would not show."""
    r = _all()[(board, name)]
    a = design.analog(board)
    v_el = r.at(24e-3, "OUT_HI") - r.at(24e-3, "OUT_LO")
    want = v_el * a["voltage_div_ppm"] / 1e6 + a["voltage_bias_mv"] / 1000
    got = r.at(24e-3, "ADC_V")
    assert abs(got - want) < 10e-3, f"{board} {name}: {got * 1e3:.1f} mV, {want * 1e3:.1f} mV"


# The compliance runs: 25 mA set into 4, 5 and 6 kOhm with the rail at 58 V -3 % (and
# the cell at 3.0 V) and +3 % (4.2 V), and into 2.5 kOhm at 58 V.
COMPLIANCE_RUNS = (*(f"comp_{ohm}_{rail}" for ohm in (4000, 5000, 6000)
                     for rail in ("min", "max")), "comp_2500")


def _compliance(name: str, extra: dict | None = None) -> tuple[float, float]:
    """(the SPICE run's load current, the simulator's for the same load and rail)"""
    sc = SCENARIOS[name]
    ohm = float(sc.load.split()[1])
    return steady(res(name), 22e-3, 25e-3), sim_current(ohm, 25e-3, sc.rail_v, extra)


@pytest.mark.parametrize("name", COMPLIANCE_RUNS)
def test_compliance_matches_the_simulator(name):
    """The highest current at 25 mA set: the simulator's compliance model (rail -
    rail_out_ohm x I - sink_headroom_mv over R_limit + PTC + load + R_sense) within 5 %."""
    got, want = _compliance(name)
    assert got < 25e-3
    assert abs(got / want - 1) < 0.05, f"{got * 1e3:.3f} mA, sim {want * 1e3:.3f} mA"


def test_without_r_limit_and_the_ptc_the_simulator_is_over_5_percent_off():
    """The control: the model without its series path (limit_ptc_ohm 0, the simulator
    until issue 18 item 3) is optimistic at 25 mA into 2.5 kOhm by over the 5 % the test
    above allows, so that test can fail."""
    got, old = _compliance("comp_2500", {"limit_ptc_ohm": 0.0})
    assert old > got and abs(got / old - 1) > 0.05, (
        f"{got * 1e3:.3f} mA, old model {old * 1e3:.3f} mA")


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_boards_series_path_is_r_limit_and_the_ptc(board):
    """The board description's limit_ohm (the firmware's sink headroom, SR-14, and the
    simulator's series path, tools/sim/circuit.py) is design.py's R1 + F2, to the ohm."""
    got = importlib.import_module(f"firmware.boards.{board}").BOARD["limit_ohm"]
    want = design.part(board, "R1").ohm + design.part(board, "F2").ohm
    assert got == round(want)


def _trip_times(r: spice.Result, t_from: float) -> tuple[float, float, float]:
    """(time the comparator fires, time the current is back under 1 mA, the peak
    current from t_from to then)"""
    t_fire = next(t for t, v in zip(r.t, r.v["CMP_N"]) if t > t_from and v < 1.65)
    t_cut = next(t for t, i in zip(r.t, r.i_load) if t > t_fire and i < 1e-3)
    return t_fire, t_cut, max(r.window("i_load", t_from, t_cut))


def test_stuck_set_trips_the_latch_within_100_us_under_the_trip_tolerance():
    """The set stuck at full scale (40 mA) and the enable on: the current rises along the
    set filter, the comparator fires at the trip level, and the current is under 1 mA
    within 100 us (Q1's turn-off through R2); it never exceeds the trip level plus its
    tolerance (design.trip_tolerance)."""
    r = res("stuck")
    t_fire, t_cut, peak = _trip_times(r, SET_AT)
    assert peak <= TRIP_MAX, f"peak {peak * 1e3:.2f} mA over {TRIP_MAX * 1e3:.2f} mA"
    assert t_cut - t_fire < 100e-6, f"cut {(t_cut - t_fire) * 1e6:.1f} us after the trip"
    # The latch holds (trip pin low, no current) until the reset pulse at 15 ms.
    assert max(r.window("OK_G", t_cut + 10e-6, 15e-3)) < 0.5
    assert max(r.window("i_load", t_cut + 100e-6, 15e-3)) < IEC_NC_A
    # The reset releases it: current flows again (the set is still stuck) and it trips.
    assert max(r.window("i_load", 15e-3, 18e-3)) > 1e-3
    assert r.at(17.9e-3, "OK_G") < 0.5


def test_trip_level_matches_the_board_file():
    """The current at which the latch fires in SPICE against hw_cap_ua (5 %)."""
    r = res("stuck")
    t_fire = next(t for t, v in zip(r.t, r.v["OK_G"]) if t > SET_AT and v < 1.65)
    fired_at = max(r.window("i_load", SET_AT, t_fire))
    assert abs(fired_at / (pico.BOARD["hw_cap_ua"] / 1e6) - 1) < 0.05, f"{fired_at * 1e3:.2f} mA"


@pytest.mark.parametrize("amps,ohm", ((10e-3, 3000), (15e-3, 1000)))
def test_pulsed_dc_has_no_spike_at_the_pulse_edges(amps, ohm):
    """Pulsed DC (the enable pin at 1 kHz, 50 %): while Q1 is off, R35 and D5 hold the
    sink off, so each pulse rises from 0 instead of from a wound-up sink (before them:
    peaks of 16.9 mA at 10 mA set, 37.6 mA at 15 mA). The runs give at most 11 % over
    the set at the edges; the test allows 15 %, and no trip."""
    r = res(f"pulsed_{amps * 1e3:g}_{ohm}")
    assert max(r.window("i_load", 2e-3, 8e-3)) <= amps * 1.15
    assert min(r.window("OK_G", 2e-3, 8e-3)) > 3.0
    for k in range(2, 8):  # the middle of each on-phase: the set point
        assert abs(r.at(k * 1e-3 + 0.4e-3, "i_load") / amps - 1) < 0.1


def test_short_at_15_ma_stays_under_the_trip_level():
    """A short (0.1 Ohm, in 0.1 us) across the trays while 15 mA flows: Q2's output
    capacitance discharges into the short (a spike of a few tens of nC, too short for the
    comparator's 1 us filter), then the sink holds 15 mA: no trip. Cutting the session
    is the firmware's SR-13."""
    r = res("short")
    spike = [(t, i) for t, i in zip(r.t, r.i_load) if 10e-3 <= t <= 10.01e-3]
    charge = sum((t1 - t0) * max(0.0, i0 - 15e-3)
                 for (t0, i0), (t1, _) in zip(spike, spike[1:]))
    assert charge < 50e-9, f"{charge * 1e9:.1f} nC"
    assert max(r.window("i_load", 10.01e-3, 16e-3)) <= 15e-3 * 1.05
    assert near_set(steady(r, 15e-3, 16e-3), 15e-3)
    assert min(r.window("OK_G", 10e-3, 16e-3)) > 3.0


@pytest.mark.parametrize("name", ("off_enable_low", "off_unpowered"))
def test_output_off_leaks_under_10_ua(name):
    """Q1's and Q2's leakage at their datasheet maximum (25 uA at 100 V): the load
    current stays under IEC 60601-1's 10 uA (normal condition)."""
    r = res(name)
    w = r.window("i_load", 1e-3, SCENARIOS[name].t_stop)
    assert max(abs(x) for x in w) < IEC_NC_A, f"{max(abs(x) for x in w) * 1e6:.2f} uA"


def test_output_off_with_the_set_stuck_leaks_under_10_ua():
    """Enable low but the set stuck at full scale (a single fault): R35 and D5 hold the
    sink off while Q1 is off, so the load current stays under IEC 60601-1's 10 uA (normal
    condition), not only under its 50 uA (single fault)."""
    r = res("off_stuck_set")
    w = r.window("i_load", 1e-3, 10e-3)
    assert max(abs(x) for x in w) < IEC_NC_A, f"{max(abs(x) for x in w) * 1e6:.2f} uA"


def test_unpowered_pins_stay_under_0_5_v():
    """With the board unpowered (the cell on) its pins must stay under IOVDD + 0.5 V =
    0.5 V. U7's enable is on the board's 3.3 V, and the rail boost's FA/SD is pulled
    high (2.5 V) while Q9 has no 3.3 V, so the rail is only the cell through both
    boosts' diodes (about 3 V), and the rail divider gives 0.16 V."""
    r = res("off_unpowered")
    # Our circuit's pins; the Pico's own VSYS/3 divider on GP29 is the module's (with
    # the cell on, VSYS has the cell whether or not the regulator runs).
    worst = {net: max(r.v[net]) for net in spice.mcu_nets(BOARD, on_module=False)}
    assert max(worst.values()) < 0.5, worst
    # U2 is held off by its own enable network (Q9 has no 3.3 V): FA/SD over its
    # shutdown level all along, the rail only the cell through the two boosts' diodes
    assert min(r.v["U2_FA"]) > boost.FA_SD_HIGH_MAX + 0.2
    assert max(r.v["RAIL"]) < design.PACK_V[BOARD][2]


def test_the_rail_boost_runs_with_the_board_powered():
    """The other side of U2's enable: with the board's 3.3 V, Q9 holds U2_SDN low, D8
    blocks and FA/SD sees only R43 (0 V here: its oscillator is not modelled), so the
    rail is the boost's."""
    r = res("off_enable_low")
    assert max(r.v["U2_SDN"]) < 0.1 and max(r.v["U2_FA"]) < 0.1
    assert min(r.v["RAIL"]) > design.RAIL_V - 0.5


@pytest.mark.parametrize("name", ("relay", "relay_vth_max"))
def test_relay_switches_with_no_current_and_reverses_the_polarity(name):
    """SR-11's order, shortened (the hand model's skin capacitance discharges through the
    skin in about 1 ms; SR-11 waits 500 ms): 15 mA, ramp down, output off at 25 ms, relay
    at 40 ms, output on at 55 ms and 5 mA. No current at the electrodes while the
    contacts move (Q1's and Q2's leakage at their datasheet maximum included)."""
    r = res(name)
    assert near_set(steady(r, 18e-3, 20e-3), 15e-3)  # tray A +
    w = r.window("i_load", 39e-3, 54e-3)
    assert max(abs(x) for x in w) < IEC_NC_A, f"{max(abs(x) for x in w) * 1e6:.2f} uA"
    assert near_set(-steady(r, 75e-3, 80e-3), 5e-3)  # now tray B +


def _max_mean(t: list[float], x: list[float], span: float) -> float:
    """The highest mean of x over any window of `span` seconds."""
    acc = [0.0]
    for k in range(1, len(t)):
        acc.append(acc[-1] + (t[k] - t[k - 1]) * (x[k] + x[k - 1]) / 2)
    best, j = 0.0, 0
    for k in range(len(t)):
        while t[k] - t[j] > span:
            j += 1
        if t[k] - t[j] >= span * 0.5:
            best = max(best, (acc[k] - acc[j]) / (t[k] - t[j]))
    return best


def test_every_resistor_dissipates_under_half_its_rating_in_every_run():
    """Each resistor of the Pico build: its highest power averaged over 1 ms in any run
    (a resistor's rating is thermal: the sub-microsecond spikes of a short do not heat
    it) against its rating in design.py. The rail boost's own resistors (R40-R42, R44)
    are not in the deck (spice.BOOST_AS_SOURCE): their power is boost.py's calculation."""
    import re

    worst: dict[str, float] = {}
    for r in results().values():
        zero = [0.0] * len(r.t)
        for p in design.parts(BOARD):
            if p.symbol != "R" or p.ref in spice.BOOST_AS_SOURCE:
                continue
            a, b = (zero if n == "GND" else r.v[n] for n in p.pins.values())
            power = [(x - y) ** 2 / float(p.ohm) for x, y in zip(a, b)]
            worst[p.ref] = max(worst.get(p.ref, 0.0), _max_mean(r.t, power, 1e-3))
    for p in design.parts(BOARD):
        if p.symbol == "R" and p.ref not in spice.BOOST_AS_SOURCE:
            watt = float(re.search(r"(\d+(?:\.\d+)?) W", p.rating).group(1))
            assert worst[p.ref] <= watt / 2, f"{p.ref}: {worst[p.ref]:.3f} W of {watt} W"
