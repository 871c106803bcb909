"""The analog stage of the reference circuit (design.py) in ngspice (Debian's `ngspice`,
run as `ngspice -b`). The deck is written from design.parts(): the same parts, values
and nets as the KiCad netlist. The microcontroller is replaced by what it does to its
pins (sources on its outputs, nothing on its inputs), the pack and the two modules by
sources.

Device models are written here from datasheet figures, each cited where it is used;
no vendor model file is copied in. They are simple on purpose (MOSFETs with
fixed capacitances (ngspice's VDMOS model, which has a body diode and
a smooth subthreshold region), a one-pole op-amp with slew and output limits, a comparator and
gates as behavioural sources): what they model is listed with each, and what they leave
out is in docs/circuit.md.

    run(board, scenario) -> Result   (the time series of every node and the load current)
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from tools.circuit import boost, design, ovp

# ---------------------------------------------------------------------------------
# Device models. Figures at 25 C; "typ" where the datasheet gives one, else the
# limit that is worse for the check at hand (said at each).
# ---------------------------------------------------------------------------------
# The LM358's input and gain stages (the figures in MODELS), with one of two outputs.
_LM358_INPUT = r"""Ibp inp vee -20n
Ibn inn vee -20n
* gm = 0.1 S into 1 MOhm (AVD 1e5), Cc = gm / (2 pi GBP) = 22.7 nF, slew = Imax / Cc
Bg vee n1 I=6.8m*tanh(0.1*(v(inp)-v(inn)+3m)/6.8m)
Ro n1 vee 1meg
Cc n1 vee 22.7n
* output swing: n1 clamped to VCC - 1.5 V and to -0.1 V (a stiff diode: 1.05 V at the
* 6.8 mA the input stage can give; at 0 V it draws under 0.1 mA, 1 mV of input)
Dhi n1 nhi DC
Vhi vcc nhi 2.55
Dlo nlo n1 DC
Vlo nlo vee 0.95
.model DC d is=1e-20 n=1
"""
_OUT_PLAIN = r"""Eo no vee n1 vee 1
* The output: 10 Ohm. Its limits (30 mA source; the weak sink near 0 V) are not here.
Rout no out 10
"""
_OUT_CLASS_B = r"""* The class-B output: it sources through Dp (np = n1 + 0.6 V makes up the diode's
* drop), sinks strongly through Dn only down to about 0.65 V (ns = max(n1, 0.65 V) -
* 0.6 V, a smooth max), and below that only through a current sink: 12 uA min at
* VO = 200 mV (the minimum used). In the sink's loop (U3) this output stopped ngspice's
* step control; the difference stage (U4), whose output sits near 0 V at low electrode
* voltages, has it (LM358W).
Bnp np vee V=v(n1,vee)+0.6
Dp np outs DO
Rp outs out 10
Bns ns vee V=0.5*(v(n1,vee)+0.65+sqrt((v(n1,vee)-0.65)*(v(n1,vee)-0.65)+1e-4))-0.6
Dn out nsk DO
Rn nsk ns 10
Bsink out vee I=12u*tanh(v(out,vee)/0.02)
.model DO d is=1e-14 n=1
"""


def _lm358(name: str, output: str) -> str:
    return (f".subckt {name} inp inn out vcc vee\n{_LM358_INPUT}{output}"
            "Rload out vee 100meg\nIcc vcc vee 0.5m\n.ends\n")


MODELS = r"""
* --- IRF9540N, P-MOSFET (Infineon/IR IRF9540N datasheet, Electrical Characteristics
* p.2): VGS(th) -2.0 to -4.0 V (mid -3.0 V used); gfs >= 5.3 S at ID = -11 A
* (KP = gfs^2 / (2 ID) = 1.28); Ciss 1300 pF, Coss 400 pF, Crss 240 pF at VDS = -25 V;
* IDSS -25 uA max at VDS = -100 V (used as the off-state leakage: a current that
* saturates at 25 uA, the datasheet's limit, not its typical value).
.subckt IRF9540N g d s
M1 d g s PM
.model PM vdmos pchan vto=-3.0 kp=1.28 ksubthres=0.1 cgs=1060p cgdmin=240p cgdmax=240p
+ cjo=160p is=1e-12 n=1.5 rs=0.02 rd=0.05
Bleak s d I=25u*tanh(v(s,d)/5)
.ends
* --- IRL540N, logic-level N-MOSFET (Infineon/IR IRL540N datasheet, PD-91300,
* Electrical Characteristics p.2): VGS(th) 1.0 to 2.0 V (2.0 V used: the most gate
* drive needed, the worst case for the op-amp's swing); Ciss 1800 pF, Crss 140 pF,
* Coss 350 pF at VDS = 25 V; IDSS 25 uA max at VDS = 100 V. These figures were not
* retrieved into this repository: check them against the datasheet. gfs is not used
* (KP = 12: at 35 mA the gate overdrive is 0.08 V, small beside VGS(th)).
.subckt IRL540N g d s
M1 d g s NM
.model NM vdmos vto=2.0 kp=12 ksubthres=0.1 cgs=1660p cgdmin=140p cgdmax=140p
+ cjo=210p is=1e-12 n=1.5 rs=0.01 rd=0.02
Bleak d s I=25u*tanh(v(d,s)/5)
.ends
* --- BSS123, N-MOSFET (onsemi/Fairchild BSS123 datasheet Rev F1, Electrical
* Characteristics): VGS(th) 0.8-1.4-2.0 V (typ 1.4 V used; 2.0 V is checked by a run
* of its own); RDS(on) 10 Ohm max at VGS = 4.5 V, ID = 0.17 A (KP = 1/(10 x 3.1) =
* 0.032); Ciss 29 pF typ, Crss 2 pF typ; IDSS 1 uA max at VDS = 100 V.
.subckt BSS123 g d s params: vto=1.4
M1 d g s NS
.model NS vdmos vto={vto} kp=0.032 ksubthres=0.1 cgs=27p cgdmin=2p cgdmax=2p cjo=10p
+ is=1e-14 n=1.5
Bleak d s I=1u*tanh(v(d,s)/5)
.ends
* --- LM358, one amplifier (TI SLOS068R, Electrical Characteristics LM358, VCC = 5 V):
* VIO 3 mV typ (7 mV max), in the direction that raises the current; IIB -20 nA typ
* (out of the pins); AVD 100 V/mV typ; VOH = VCC - 1.5 V (RL >= 2 kOhm); output source
* 30 mA typ (VCC = 15 V, VID = 1 V); output sink 12 uA min at VO = 200 mV, 10 mA min at
* VID = -1 V, VO = 15 V (a class-B output that sinks little near 0 V). ST LM358
* datasheet, table 3: GBP 0.7 MHz min at VCC = 30 V, SR 0.3 V/us min (the minimums
* used). Input common-mode range 0 to VCC - 1.5 V is not modelled: the circuit keeps
* the inputs inside it (docs/circuit.md).
* LM358W (for U4): the same with the LM358's class-B output stage.
""" + _lm358("LM358", _OUT_PLAIN) + _lm358("LM358W", _OUT_CLASS_B) + r"""
* --- LM393, one comparator (ST LM393 datasheet, table 3, VCC = 5 V): VIO 5 mV max
* (used so that the trip comes later); response time 1.3 us for 5 mV overdrive,
* 300 ns large signal (a 0.5 us first-order lag used); open-collector output, VOL 400 mV
* max at 4 mA (about 100 Ohm on); output leakage 0.1 nA typ. `vio`: the offset, in the
* direction that makes the output go low later (the over-voltage cut's worst-case runs
* set it; the input bias current is not modelled, tools/circuit/ovp.py counts it).
.subckt LM393 inp inn out vcc vee params: vio=5m
Bx nx vee V=0.5*(1+tanh((v(inn)-v(inp)-{vio})/1m))
Rx nx nd 1k
Cx nd vee 0.5n
Bo out vee I=v(nd,vee)*v(out,vee)/100
Rleak out vee 1e10
Icc vcc vee 0.4m
.ends
* --- 74HC00, one NAND (Nexperia 74HC00 datasheet, recalled, dynamic characteristics: tpd
* 25 ns typ at VCC = 2.0 V, 9 ns at 4.5 V; a 15 ns lag used at 3.3 V). The output is
* VCC or 0 through 50 Ohm; the inputs switch at VCC/2. Unpowered (VCC = 0): output 0.
.subckt HC00 a b y vcc vee
Bn nn vee V=v(vcc,vee)*(1-0.5*(1+tanh((v(a,vee)-v(vcc,vee)/2)/0.05))
+ *0.5*(1+tanh((v(b,vee)-v(vcc,vee)/2)/0.05)))
Rn nn nd 1k
Cn nd vee 15p
Eo ny vee nd vee 1
Ro ny y 50
.ends
.model D1N4148 d is=2.5n n=1.75 rs=0.6 bv=100
* 1N5819: 1 A, 40 V Schottky. The microcontroller boards' own 1 A Schottkys (the Pico's
* MBR120VLSFT1G from VBUS to VSYS, Pico datasheet 4.5; the DevKitC's BAT760 from USB's
* VBUS to its 5V pin, Espressif's esp32_devkitc_v4 schematic) take this model too (their
* own curves are not modelled: about 0.2-0.3 V at tens of mA, as this one).
.model D1N5819 d is=30u n=1.05 rs=0.05 bv=40
* --- DMG2305UX, P-MOSFET (Pico datasheet 4.5, powering Pico: V_GS(th) 0.9 V max,
* R_on 100 mOhm at V_GS -2.5 V; the worst V_GS(th) used, KP = 1 / (0.1 x 1.6) = 6.25).
.subckt DMG2305UX g d s
M1 d g s PSW
.model PSW vdmos pchan vto=-0.9 kp=6.25 ksubthres=0.05 cgs=500p cgdmin=100p cgdmax=100p
+ cjo=100p is=1e-12 n=1.2 rs=0.01 rd=0.02
.ends
* BZX79-C15: 15 V zener (Nexperia BZX79 datasheet: VZ 14.1-15.9 V at 5 mA)
.model DZ15 d is=1e-12 n=1.5 bv=15 ibv=5m
* BZX79-C5V1: 5.1 V zener (VZ 4.8-5.4 V at 5 mA: Fairchild's BZX79C table, boost.py)
.model DZ5V1 d is=1e-12 n=1.5 bv=5.1 ibv=5m
"""


def _lm4040(vz: float) -> str:
    """LM4040A20 (TI SLOS456, LM4040A20I table): V_Z 2.048 V at 100 uA (`vz`: a run's
    corner), dynamic impedance 0.8 Ohm max at 1 mA; a diode whose breakdown is V_Z at
    100 uA (its steepness a model choice: about 1 mV per decade of current, the
    datasheet's 1 mV max change over I_Z,min..1 mA)."""
    return f".model LM4040 d is=1e-14 n=1 bv={vz:.6g} ibv=100u nbv=0.02 rs=0.8\n"


# The rail boost (design.rail_boost): its enable network (R43, R45, D7, D8, Q9) is in
# the deck as drawn; the LM3478 (U2) is a switch at its FA/SD shutdown level and its
# minimum supply (boost.py's figures) between the regulated rail (`rail_v` behind
# `rail_out_ohm`) and, off, its input less 0.4 V (through L1 and D6). Its power stage
# and its loop are not simulated: these parts are left out of the deck.
BOOST_AS_SOURCE = {"L1", "Q8", "R40", "D6", "C14", "C15", "C16", "C17", "R41", "R42",
                   "C20", "R44", "C18", "C19"}
# With R41 open (Scenario.boost == "r41_open") the LM3478 has FB at 0 V and runs at its
# current limit while it is enabled: a current source into C14 (47 uF at its -20 %) and
# C15 (`r41_open_amps`, ovp.charge_current_max: the input power at the current limit's
# highest peak, all delivered). It stops when FA/SD has been over its shutdown level for
# 30 us (SNVS085X): an RC of 30 us / ln 2 on that condition, off past half (for a step on
# FA/SD, the 30 us exactly; the restart is delayed the same). Its ripple, its inductor's
# saturation, its start-up and its restart behaviour are not modelled.
FA_SD_TAU = ovp.FA_SD_DELAY / math.log(2)

# The microcontroller: absolute maximum voltage on an I/O pin. RP2040 datasheet,
# absolute maximum ratings: -0.5 V to IOVDD + 0.5 V; ESP32 datasheet, absolute maximum
# ratings: -0.3 V to 3.6 V (both as recalled: the tables were not retrieved while this
# was written). And the RP2040's ADC pins: input range 0 to ADC_AVDD (3.3 V here)
# (RP2040 datasheet, 5.2.3 pin specifications, "ADC characteristics" table, V_PIN_ADC).
PIN_MIN = {"pico": -0.5, "esp32_devkitc": -0.3}
PIN_MAX_OVER_IOVDD = {"pico": 0.5, "esp32_devkitc": 0.3}
ADC_MAX = {"pico": 3.3, "esp32_devkitc": 3.6}
MCU_OUT_OHM = 50.0  # an output pad's source resistance (an estimate: not specified)
# The microcontroller boards' own dividers onto pins the header does not show (design.py
# ON_MODULE), as net -> (from net, top ohm, bottom ohm). Pico: VSYS/3 on GP29 (Pico
# datasheet: GPIO29 measures VSYS/3; 200 k over 100 k as in the Pico schematic,
# recalled: the firmware uses the ratio only) and the VBUS sense on GP24 (10 k over 10 k
# as drawn in the Pico datasheets' power figures, R1 and R10, recalled).
ON_MODULE_NETS = {"pico": {"ADC_B": ("VSYS", 200e3, 100e3), "USB_S": ("VBUS", 10e3, 10e3)},
                  "esp32_devkitc": {}}
# Where USB's VBUS enters each build (a 0.5 Ohm cable and connector from the source):
# the Pico's VBUS pin; on the ESP32 the panel breakout J3, cabled on to the DevKitC's
# port, whose VBUS reaches the 5V pin (VSYS here) through the DevKitC's own Schottky.
USB_NET = {"pico": "VBUS", "esp32_devkitc": "USB_VBUS"}
V3V3 = 3.3
V5 = 5.0
# The push buttons, Omron B3F (Omron B3F datasheet, characteristics): insulation
# resistance 100 MOhm min (at 250 V DC), contact resistance 100 mOhm max.
SW_OPEN_OHM, SW_CLOSED_OHM = 100e6, 0.1


@dataclass
class Scenario:
    """What drives the circuit. Every source is a SPICE source text ("DC 0",
    "PULSE(...)", "PWL(...)") or None (the pin floats)."""

    name: str
    t_stop: float
    t_step: float = 2e-6
    set_src: str | None = "DC 0"
    enable_src: str | None = "DC 0"
    relay_src: str | None = "DC 0"
    reset_src: str | None = "DC 0"
    mcu_powered: bool = True
    # volts, or the build's own (design.PACK_V): "low", "nominal" (None), "full"
    pack_v: float | str | None = None
    pack_src: str | None = None  # a source text for the pack (a sweep), over pack_v
    pack_fitted: bool = True
    vbus_src: str | None = None  # USB's VBUS as a source text; None: no USB cable
    rail_v: float = design.RAIL_V
    rail_out_ohm: float = 100.0  # the simulator's boost output resistance (an assumption)
    load: str = "R 3k"  # between the trays: "R <ohm>", or "HAND" (tools/sim model)
    short_at: float | None = None  # a 0.1 Ohm short across the trays from this time
    bss123_vto: float = 1.4
    ic: dict[str, float] = field(default_factory=dict)
    # The rail boost: "regulated" (rail_v behind rail_out_ohm) or "r41_open" (its
    # feedback's top open: a current source while enabled, BOOST_AS_SOURCE's note).
    boost: str = "regulated"
    r41_open_amps: float = field(default_factory=ovp.charge_current_max)
    # The over-voltage cut (design.rail_ovp): U8's V_Z, U5B's offset, resistors' values
    # (ref -> ohm, a corner of their tolerances), the board's 3.3 V; ovp_fitted False:
    # U5B's output is not connected to Q9's gate (the control).
    ovp_vz: float = ovp.VZ
    ovp_vio: float = 5e-3
    ohms: dict[str, float] = field(default_factory=dict)
    v3v3: float = V3V3
    ovp_fitted: bool = True
    # the regulated boost with FA/SD's 30 us shutdown delay (as in "r41_open"); without
    # it (the default) FA/SD acts at once
    fa_sd_delay: bool = False
    # the regulated rail rising from 0 V to rail_v over this time (0: at rail_v from the
    # start); a straight ramp, not the LM3478's start-up
    rail_ramp_s: float = 0.0
    # push buttons pressed: ref -> a source text of 0 (open) to 1 (closed) over time, e.g.
    # the trip test button SW4 (docs/bringup.md); any other button stays open
    press: dict[str, str] = field(default_factory=dict)


def _mos(p: design.Part) -> tuple[str, str, str]:
    """(gate, drain, source) nets of a MOSFET part (pin numbers differ by symbol)."""
    if p.symbol == "BSS123":
        return p.pins["1"], p.pins["3"], p.pins["2"]
    if p.symbol == "Q_PMOS_GSD":
        return p.pins["1"], p.pins["3"], p.pins["2"]
    return p.pins["1"], p.pins["2"], p.pins["3"]


def deck(board: str, sc: Scenario) -> str:
    parts = design.parts(board)
    lines = [f"* ionto {board} {sc.name}", MODELS, _lm4040(sc.ovp_vz)]
    levels = ("low", "nominal", "full")
    pack_v = (float(sc.pack_v) if sc.pack_v is not None and sc.pack_v not in levels else
              design.PACK_V[board][levels.index(sc.pack_v or "nominal")])
    n = lambda net: "0" if net == "GND" else net  # noqa: E731
    for p in parts:
        ref = p.ref
        if ref in BOOST_AS_SOURCE:
            continue
        if p.symbol == "R":
            lines.append(f"R{ref} {n(p.pins['1'])} {n(p.pins['2'])} "
                         f"{sc.ohms.get(ref, p.ohm):.10g}")
        elif p.symbol in ("C", "C_Polarized"):
            lines.append(f"C{ref} {n(p.pins['1'])} {n(p.pins['2'])} {p.farad:g}")
        elif p.symbol == "Polyfuse":  # Bourns MF-R005: R min 7.3 Ohm (Bourns MF-R series
            # datasheet, electrical characteristics: 7.3-11.1 Ohm; trip 5 s max at 0.5 A,
            # slower than these runs, not modelled)
            lines.append(f"R{ref} {n(p.pins['1'])} {n(p.pins['2'])} {p.ohm:g}")
        elif p.symbol == "Fuse":
            lines.append(f"R{ref} {n(p.pins['1'])} {n(p.pins['2'])} 0.1")
        elif p.model in ("IRF9540N", "IRL540N", "BSS123", "DMG2305UX"):
            g, d, s = _mos(p)
            extra = f" vto={sc.bss123_vto}" if p.model == "BSS123" else ""
            lines.append(f"X{ref} {n(g)} {n(d)} {n(s)} {p.model}{extra}")
        elif p.model in ("D1N4148", "D1N5819", "DZ15", "DZ5V1", "LM4040"):
            lines.append(f"D{ref} {n(p.pins['2'])} {n(p.pins['1'])} {p.model}")  # A, K
        elif p.model == "LM358":
            q = p.pins
            m = "LM358W" if ref == "U4" else "LM358"
            lines.append(f"X{ref}A {n(q['3'])} {n(q['2'])} {n(q['1'])} {n(q['8'])} 0 {m}")
            lines.append(f"X{ref}B {n(q['5'])} {n(q['6'])} {n(q['7'])} {n(q['8'])} 0 {m}")
        elif p.model == "LM393":
            q = p.pins
            lines.append(f"X{ref}A {n(q['3'])} {n(q['2'])} {n(q['1'])} {n(q['8'])} 0 LM393")
            out_b = n(q["7"]) if sc.ovp_fitted else f"{ref}B_open"
            lines.append(f"X{ref}B {n(q['5'])} {n(q['6'])} {out_b} {n(q['8'])} 0 LM393 "
                         f"vio={sc.ovp_vio:.6g}")
            if not sc.ovp_fitted:
                lines.append(f"R{ref}B_open {out_b} 0 100meg")
        elif p.model == "HC00":
            q = p.pins
            for unit, (a, b, y) in zip("ABCD", (("1", "2", "3"), ("4", "5", "6"),
                                                ("9", "10", "8"), ("12", "13", "11"))):
                lines.append(f"X{ref}{unit} {n(q[a])} {n(q[b])} {n(q[y])} {n(q['14'])} 0 HC00")
        elif p.model == "G5V2H1":
            # Omron G5V-2-H1 DC5 (Omron G5V-2 datasheet, coil data, high-sensitivity
            # type): 166.7 Ohm, 30 mA rated, 0.46 H armature ON; must operate 75 % of the
            # rated voltage, must release 5 %; operate time 7 ms max, release 3 ms max;
            # contact resistance 100 mOhm max; insulation 1000 MOhm min. The contacts
            # follow the coil current (break before make: the NC side opens below
            # 10 mA... the NO side closes above 20 mA).
            q = p.pins
            lines.append(f"L{ref} {n(q['1'])} {ref}_c 0.46")
            lines.append(f"R{ref}c {ref}_c {ref}_m 166.7")
            lines.append(f"V{ref}i {ref}_m {n(q['16'])} 0")
            nc = f"(1e-9+10*0.5*(1-tanh((i(V{ref}i)-0.010)/0.001)))"
            no = f"(1e-9+10*0.5*(1+tanh((i(V{ref}i)-0.020)/0.001)))"
            for com, a, b in ((q["4"], q["6"], q["8"]), (q["13"], q["11"], q["9"])):
                lines.append(f"B{ref}{com}nc {n(com)} {n(a)} I=v({n(com)},{n(a)})*{nc}")
                lines.append(f"B{ref}{com}no {n(com)} {n(b)} I=v({n(com)},{n(b)})*{no}")
        elif p.symbol == "LED":
            lines.append(f"D{ref} {n(p.pins['2'])} {n(p.pins['1'])} D1N4148")
        elif p.symbol == "Buzzer":
            lines.append(f"R{ref} {n(p.pins['2'])} {n(p.pins['1'])} 167")  # 5 V, 30 mA
        elif p.symbol == "SW_Push":  # Omron B3F (design.py): 100 MOhm open (its
            # insulation resistance, min), 0.1 Ohm closed (its contact resistance, max)
            a, b = n(p.pins["1"]), n(p.pins["2"])
            if ref in sc.press:
                lines.append(f"V{ref}c {ref}_c 0 {sc.press[ref]}")
                lines.append(f"B{ref} {a} {b} I=v({a},{b})*({1 / SW_OPEN_OHM:g}"
                             f"+v({ref}_c)/{SW_CLOSED_OHM:g})")
            else:
                lines.append(f"R{ref} {a} {b} {SW_OPEN_OHM:g}")  # not pressed
        elif p.ref == "J1":  # the pack (or nothing)
            if sc.pack_fitted:
                lines.append(f"VPACK {n(p.pins['1'])} 0 {sc.pack_src or f'DC {pack_v}'}")
            else:
                lines.append(f"RPACK {n(p.pins['1'])} 0 100meg")
        elif p.ref == "J3":  # the ESP32's USB socket: a source when a cable is in
            continue
        elif p.ref == "J2":  # the trays: the load, through an ammeter
            lines.append(f"VLOAD {n(p.pins['1'])} load_a 0")
            if sc.load == "HAND":  # tools/sim/circuit.py DEFAULTS: 300 Ohm series,
                # skin 1.8 kOhm || 0.5 uF (its end value)
                lines += ["RLs load_a load_m 300", f"RLk load_m {n(p.pins['2'])} 1800",
                          f"CLk load_m {n(p.pins['2'])} 0.5u"]
            else:
                lines.append(f"RL load_a {n(p.pins['2'])} {sc.load.split()[1]}")
            if sc.short_at is not None:
                lines.append(f"VSH short_c 0 PWL(0 0 {sc.short_at} 0 {sc.short_at + 1e-7} 1)")
                # after the ammeter: its current is part of the load current
                lines.append(f"BSH load_a {n(p.pins['2'])} "
                             f"I=v(load_a,{n(p.pins['2'])})*(1e-9+10*v(short_c))")
        elif p.ref == "U1":  # buck module: 5 V while its input is there
            if sc.pack_fitted:
                lines.append(f"VBUCK {n(p.pins['3'])} 0 DC {V5}")
            else:
                lines.append(f"RBUCK {n(p.pins['3'])} 0 1k")
        elif p.ref == "U7":  # the Pico build's 12 V boost: on with the board's 3.3 V;
            # off, its input through its inductor and diode (the pack less 0.4 V)
            if sc.pack_fitted and sc.mcu_powered:
                lines.append(f"VU7 u7_i 0 DC {design.V12}")
                lines.append(f"RU7 u7_i {n(p.pins['3'])} 0.1")
            else:
                lines.append(f"DU7 {n(p.pins['1'])} {n(p.pins['3'])} D1N5819")
                lines.append(f"RU7 {n(p.pins['3'])} 0 10k")
        elif p.model == "LM3478":  # the rail boost (U2): see BOOST_AS_SOURCE
            q = p.pins
            vin = n(q["8"])
            if sc.pack_fitted and (sc.boost == "r41_open" or sc.fa_sd_delay):
                fa = n(q["7"])
                lines.append(f"BSDH u2_sdh 0 V=0.5*(1+tanh((v({fa})-{boost.FA_SD_HIGH_MAX})"
                             "/0.02))")
                lines.append("RSDQ u2_sdh u2_sdq 1k")
                lines.append(f"CSDQ u2_sdq 0 {FA_SD_TAU / 1e3:.6g}")
            if sc.pack_fitted and sc.boost == "r41_open":
                on = (f"0.5*(1-tanh((v(u2_sdq)-0.5)/0.02))"
                      f"*0.5*(1+tanh((v({vin})-{boost.VIN_MIN})/0.02))")
                lines.append(f"BBOOST 0 RAIL I={sc.r41_open_amps:.6g}*{on}")
                for c in ("C14", "C15"):
                    cp = design.part(board, c)
                    lines.append(f"C{c} RAIL 0 {cp.farad * (1 - (cp.tol or 0)):.6g}")
            elif sc.pack_fitted:
                # on while FA/SD is under its shutdown level and the input above the
                # controller's minimum; off, the input through L1 and D6, less 0.4 V
                fa_on = ("0.5*(1-tanh((v(u2_sdq)-0.5)/0.02))" if sc.fa_sd_delay else
                         f"0.5*(1-tanh((v({n(q['7'])})-{boost.FA_SD_HIGH_MAX})/0.02))")
                on = f"{fa_on}*0.5*(1+tanh((v({vin})-{boost.VIN_MIN})/0.02))"
                rail = (f"{sc.rail_v}*min(time/{sc.rail_ramp_s:g},1)" if sc.rail_ramp_s
                        else f"{sc.rail_v}")
                lines.append(f"BBOOST rail_i 0 V={on}*{rail}+(1-{on})"
                             f"*max(v({vin})-0.4,0)")
                lines.append(f"RBOOST rail_i RAIL {sc.rail_out_ohm}")
            else:
                lines.append("RBOOST RAIL 0 10k")
            # FA/SD itself: a high-impedance input here (its oscillator is not modelled)
            lines.append(f"R{ref}fa {n(q['7'])} 0 100meg")
        elif p.lib == "":  # the microcontroller's sockets
            continue
        else:
            raise ValueError(f"no SPICE model for {p.ref} ({p.symbol})")
    # The microcontroller: its 3V3 regulator, its VSYS load, and its outputs.
    if sc.mcu_powered:
        lines.append(f"V3V3 V3V3 0 DC {sc.v3v3}")
    else:
        lines.append("R3V3 V3V3 0 10")  # an unpowered regulator and chip: about 10 Ohm
    lines.append("RVSYS VSYS 0 250")  # the board's own draw (about 20 mA, an estimate)
    # The board's own parts on its power path: its Schottky from VBUS to VSYS (the 5V pin
    # on the DevKitC), its dividers (ON_MODULE_NETS); USB's VBUS when a cable is in.
    usb = USB_NET[board]
    lines.append(f"DMOD {n(usb)} VSYS D1N5819")
    for net, (src, top, bot) in ON_MODULE_NETS[board].items():
        lines.append(f"RMOD{net}t {src} {net} {top:g}")
        lines.append(f"RMOD{net}b {net} 0 {bot:g}")
    if sc.vbus_src is not None:
        lines.append(f"VUSB usb_src 0 {sc.vbus_src}")
        lines.append(f"RUSB usb_src {usb} 0.5")
    else:
        lines.append(f"RUSB {usb} 0 100meg")
    drives = {"SET_PWM": sc.set_src, "EN": sc.enable_src, "RELAY": sc.relay_src,
              "TRIP_RST": sc.reset_src}
    nets = design.nets(board)
    for net, src in drives.items():
        if src is not None and sc.mcu_powered:
            lines.append(f"V{net} {net}_src 0 {src}")
            lines.append(f"R{net}o {net}_src {net} {MCU_OUT_OHM}")
    for net in mcu_nets(board):  # every MCU pin: a high resistance keeps it defined
        if net in nets:
            lines.append(f"R{net}_hiz {net} 0 100meg")
    # The latch powers up in either state; these runs start it tripped (the safe one)
    # and reset it as the firmware does.
    ic = {"TRIPPED": V3V3 if sc.mcu_powered else 0.0, "LATCH_OK": 0.0, **sc.ic}
    ics = " ".join(f"v({k})={v}" for k, v in ic.items())
    if ics:
        lines.append(f".ic {ics}")
    # The over-voltage cut (U5B with R50's positive feedback) is bistable: a hint for the
    # operating point, its state with the rail under the threshold (a hint, not a force)
    if sc.mcu_powered and "Q9_G" in nets:
        lines.append(f".nodeset v(Q9_G)={sc.v3v3:g} v(OVP_VZ)={sc.ovp_vz:g} "
                     f"v(OVP_REF)={sc.ovp_vz:g}")
    lines.append(".options method=gear reltol=1e-4 abstol=1e-10 vntol=1e-6 itl4=100")
    lines.append(f".tran {sc.t_step:g} {sc.t_stop:g} 0 {sc.t_step:g}")
    # the nets in the deck: not those only the rail boost's power stage touches
    in_deck = {net for net, pins in nets.items()
               if any(r not in BOOST_AS_SOURCE and not (r == "U2" and pin not in ("7", "8"))
                      for r, pin in pins)}
    vecs = ["i(VLOAD)"] + [f"v({x})" for x in
                           sorted((in_deck | set(ON_MODULE_NETS[board])) - {"GND"})]
    vecs += [f"i({x})" for x, there in (("VUSB", sc.vbus_src is not None),
                                        ("VPACK", sc.pack_fitted)) if there]
    lines.append(".control")
    lines.append("set wr_singlescale")
    lines.append("set wr_vecnames")
    lines.append("option numdgt=7")
    lines.append("run")
    lines.append("wrdata out.txt " + " ".join(vecs))
    lines.append("quit")
    lines.append(".endc")
    lines.append(".end")
    return "\n".join(lines) + "\n"


def mcu_nets(board: str, on_module: bool = True) -> list[str]:
    """Every net on a microcontroller pin but its supply pins; on_module: with the pins
    the board's own dividers drive (ON_MODULE_NETS)."""
    out = list(ON_MODULE_NETS[board]) if on_module else []
    for p in design.parts(board):
        if p.lib == "":
            for net in p.pins.values():
                if net not in ("NC", "GND", "V3V3", "VSYS", "VBUS"):
                    out.append(net)
    return sorted(set(out))


def pin_violations(board: str, r: Result) -> list[str]:
    """Every microcontroller pin (the board's own dividers' included) outside its
    absolute maximum in a run, and every ADC pin outside the ADC's input range."""
    hi = V3V3 + PIN_MAX_OVER_IOVDD[board]
    out = []
    for net in mcu_nets(board):
        lo_v, hi_v = min(r.v[net]), max(r.v[net])
        if lo_v < PIN_MIN[board] or hi_v > hi:
            out.append(f"{net}: {lo_v:.3f} to {hi_v:.3f} V (limits {PIN_MIN[board]}, {hi} V)")
        elif net.startswith("ADC_") and hi_v > ADC_MAX[board]:  # issue 18: 3.5 V before
            out.append(f"{net}: {hi_v:.3f} V (the ADC's range: {ADC_MAX[board]} V)")
    return out


@dataclass
class Result:
    t: list[float]
    v: dict[str, list[float]]  # net -> volts; "I(VUSB)", "I(VPACK)": amps into the source's +
    i_load: list[float]  # amps, tray A -> tray B (positive: normal polarity)
    text: str

    def at(self, t: float, name: str) -> float:
        xs = self.i_load if name == "i_load" else self.v[name]
        for k, tk in enumerate(self.t):
            if tk >= t:
                if k == 0:
                    return xs[0]
                t0 = self.t[k - 1]
                f = (t - t0) / (tk - t0) if tk > t0 else 1.0
                return xs[k - 1] + (xs[k] - xs[k - 1]) * f
        return xs[-1]

    def window(self, name: str, t0: float, t1: float) -> list[float]:
        xs = self.i_load if name == "i_load" else self.v[name]
        return [x for tk, x in zip(self.t, xs) if t0 <= tk <= t1]


def ngspice() -> str:
    exe = shutil.which("ngspice")
    if exe is None:
        raise RuntimeError("ngspice is not installed: apt-get install ngspice (make does it)")
    return exe


def run(board: str, sc: Scenario) -> Result:
    """Run a scenario. When ngspice's step control gives up ("timestep too small", a
    run that stops early), the run is repeated with a 4 and then 16 times smaller
    largest step."""
    err: RuntimeError | None = None
    for div in (1, 4, 16):
        try:
            r = _run(board, replace(sc, t_step=sc.t_step / div))
        except RuntimeError as e:
            err = e
            continue
        if r.t and r.t[-1] >= sc.t_stop * 0.999:
            return r
    raise err or RuntimeError(f"{sc.name}: ngspice stopped early at every step size")


def _run(board: str, sc: Scenario) -> Result:
    text = deck(board, sc)
    with tempfile.TemporaryDirectory(prefix="ionto-spice-") as tmp:
        (Path(tmp) / "deck.cir").write_text(text)
        r = subprocess.run([ngspice(), "-b", "deck.cir"], cwd=tmp, capture_output=True,
                           text=True, timeout=300)
        out = Path(tmp) / "out.txt"
        if not out.exists():
            raise RuntimeError(f"ngspice failed ({sc.name}):\n{r.stdout[-3000:]}\n"
                               f"{r.stderr[-3000:]}")
        rows = out.read_text().split("\n")
    head = rows[0].split()
    cols: list[list[float]] = [[] for _ in head]
    for row in rows[1:]:
        xs = row.split()
        if len(xs) != len(head):
            continue
        for k, x in enumerate(xs):
            cols[k].append(float(x))
    t = cols[0]
    v = {}
    i_load: list[float] = []
    for name, col in zip(head[1:], cols[1:]):
        if name.lower() == "i(vload)":
            i_load = col  # through VLOAD from tray A: positive = normal polarity
        elif name.lower().startswith("i("):
            v[name.upper()] = col
        else:
            v[name[2:-1].upper()] = col
    return Result(t, v, i_load, text)


def two_pole(t: float, tau: float) -> float:
    """The simulator's set filter: two equal first-order stages, a unit step at 0."""
    if t <= 0:
        return 0.0
    return 1.0 - math.exp(-t / tau) * (1.0 + t / tau)
