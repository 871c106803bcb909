# Issue 14 D1 on the simulated board (test_compliance_4k.py,
# test_compliance_5k_6k.py): a hands session (15 mA, 20 min, midway reversal)
# through the whole firmware on the reference rail (58 V) with a skin the
# rail cannot push 15 mA through (compliance, SR-14). Plain code: CPython and
# the unix port.
import sys

from support import journal, near  # noqa: F401  (the tests import them from here)

from tools.sim.simboard import SimBoard

SET_UA = 15000  # the hands profile (firmware/profiles.py DEFAULTS)
PLANNED_S = 1200
UP_UA_S = 500  # SR-8: up at 0.5 mA/s (the default), down at 1 mA/s
DOWN_UA_S = 1000
START_AT_S = 1.0  # the person holds the button 2.5 s (SR-20: 2 s)
RUN_S = 1240  # start, 20 min, the ramp down, the journal
# firmware/names.py STATUS and firmware/states.py, by index and code
STATE = 0
REACHED_PCT = 6
ELAPSED_S = 8
LIMITED = 18
TREAT = 3


def board(skin_ohm, seed, name):
    # A constant skin (no fall over the session; the model's slow random walk
    # of +- skin_walk_pct stays), on a fresh flash of its own per interpreter.
    flash = "build/sim_flash/test_compliance_" + name + "_" + sys.implementation.name
    b = SimBoard("pico", seed=seed, flash_dir=flash,
                 params={"skin_start_ohm": skin_ohm, "skin_end_ohm": skin_ohm})
    b.press_button(START_AT_S, 2.5)
    return b




def limits_ua(b, skin_ohm):
    # The most the rail pushes through this load, low and high over the skin's
    # walk: the rail (sagging by its output resistance) less the sink's
    # headroom, over R_limit and the PTC, the series path, the sense resistor
    # and the skin (tools/sim/circuit.py): about (58 V - 2 V) / (load + 0.4 kOhm).
    p = b.circuit.p
    bd = b.board
    avail = bd["rail_mv"] - bd["sink_headroom_mv"]
    fixed = (p["limit_ptc_ohm"] + p["series_ohm"] + bd["current_sense_ohm"]
             + p["rail_out_ohm"])
    walk = p["skin_walk_pct"] / 100
    lo = int(avail * 1000 / (fixed + skin_ohm * (1 + walk)))
    hi = int(avail * 1000 / (fixed + skin_ohm * (1 - walk)))
    return lo, hi


def loads_ohm(b, skin_ohm):
    # The load the firmware measures (V / I at the electrodes): series and
    # skin, over the skin's walk.
    p = b.circuit.p
    walk = p["skin_walk_pct"] / 100
    return p["series_ohm"] + skin_ohm * (1 - walk), p["series_ohm"] + skin_ohm * (1 + walk)


def check_session(b, skin_ohm, snap):
    # The session of a limited skin: treatment at the compliance limit,
    # reversed once at half time through zero, ended by its timer. Returns
    # the journal record.
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    assert b.hw.level[b.board["pin_enable"]] == 0
    recs = journal(b)
    assert len(recs) == 1, recs
    rec = recs[0]
    # SR-11: once, at half time, the relay switched with no current.
    c = b.circuit
    assert (c.relay_switches, c.relay_switches_under_current) == (1, 0), (
        c.relay_switches, c.relay_switches_under_current)
    assert (rec["reversals"], rec["end"], rec["fault"], rec["pauses"]) == (
        1, "timer", "none", 0), rec
    lo, hi = limits_ua(b, skin_ohm)
    assert hi < SET_UA, (lo, hi)  # the skin is one the rail cannot push 15 mA through
    # In treatment, mid-session: limited, at the limit, and says so (status).
    assert snap[STATE] == TREAT and snap[LIMITED] == 1, snap
    assert lo * 100 // SET_UA - 2 <= snap[REACHED_PCT] <= hi * 100 // SET_UA + 1, (snap, lo, hi)
    return rec


def check_record(rec, lo, hi, load_lo, load_hi):
    # The journal record of a limited session, field by field.
    assert (rec["v"], rec["id"], rec["profile"], rec["set_ua"], rec["planned_s"]) == (
        1, 1, 0, SET_UA, PLANNED_S), rec
    assert (rec["start"], rec["schedule"], rec["polarity"], rec["reversed_start"]) == (
        None, "none", 1, 0), rec
    # min / max: single 1 ms readings while treating (ADC noise of 2 LSB,
    # the RP2040's widened codes: 8 uA each), at the limit over the skin's walk.
    assert lo - 200 <= rec["min_ua"] <= rec["max_ua"] <= hi + 200, (rec, lo, hi)
    i_lim = (rec["min_ua"] + rec["max_ua"]) // 2
    up_s = i_lim // UP_UA_S  # the ramp up to the limit (after the start, after the reversal)
    down_s = i_lim // DOWN_UA_S  # the ramp down (the reversal's, the end's)
    # The timer: 20 min of current, plus the final ramp down (current-on time).
    near(rec["on_s"], PLANNED_S + down_s, 2)
    # The mean is the charge over the on time; the ramps carry half the limit.
    near(rec["mean_ua"], rec["charge_ma_min"] * 60000 // rec["on_s"], 60000 // rec["on_s"] + 1)
    on_s = rec["on_s"]
    assert (lo * (on_s - up_s - down_s) // on_s - 100 <= rec["mean_ua"]
            <= hi * (on_s - up_s - down_s) // on_s + 50), (rec, lo, hi)
    # The load at the first and last moments of treatment: series + skin.
    ohm = load_lo * 98 // 100, load_hi * 102 // 100  # + the ADC's gain error
    assert ohm[0] <= rec["load_start_ohm"] <= ohm[1], (rec, ohm)
    assert ohm[0] <= rec["load_end_ohm"] <= ohm[1], (rec, ohm)
    # SR-14: limited for the whole treatment (the on time less two ramps up,
    # until the ramp meets the limit, and two ramps down, released within
    # 20 ms), and what it reached of the set point.
    near(rec["limited_s"], on_s - 2 * up_s - 2 * down_s, 6)
    assert rec["reached_pct"] == (rec["max_ua"] * 100 + SET_UA // 2) // SET_UA < 100, rec
    assert rec["overruns"] == 0, rec
