"""The rail's independent over-voltage cut (design.rail_ovp): U5B, the LM393's unused
half, compares the rail through a divider of its own (R46/R47, C21) with a reference of
its own (U8, an LM4040 2.048 V shunt reference fed from the board's 3.3 V through R48,
into U5B's + input through R49); R50 from U5B's output to its + input gives the
hysteresis. U5B's open-collector output is the gate of Q9 (R51 pulls it up to 3.3 V):
above the threshold it pulls the gate low, Q9 turns off, R45 lifts U2_SDN and D8 takes
the LM3478's FA/SD high, and U2 stops (its existing enable path). It is there for the
one fault the boost's own parts do not cover: an open R41 (FB at 0 V, the controller
at its current limit, the rail rising until a part fails).

This file holds the figures of the parts and computes, from design.py's values, the
threshold's worst cases (every tolerance at its corner) and the bound on the rail in
that fault. host_tests/test_circuit_ovp.py checks them; docs/circuit.md quotes them.

Figures and where they were read ("RECALLED": not read while this was written):
- LM4040A20 (TI SLOS456, LM4040A20I electrical characteristics): V_Z 2.048 V at
  I_Z = 100 uA, tolerance +-2 mV at 25 C, +-15 mV over the full range (-40 to 85 C);
  minimum cathode current 75 uA max at 25 C, 80 uA over the full range; V_Z change with
  I_Z between I_Z,min and 1 mA: 0.8 mV max at 25 C, 1 mV full range.
- LM393: input offset 5 mV max at 25 C, 9 mV over Tmin-Tmax; input bias current 250 nA
  max at 25 C, 400 nA over Tmin-Tmax, out of the inputs (PNP input stage) (ST LM393
  datasheet, Doc ID 2164 Rev 14, table 3 and its note 2; the same in TI SLCS162,
  LM393-MIL, electrical characteristics, 0-70 C: 9 mV, -400 nA).
  Input common-mode range 0 V to V_CC - 2 V (TI SLCS005AF, the design example's table).
- LM3478: FA/SD high for longer than 30 us turns the device off (TI SNVS085X, pin
  functions); its current-sense threshold (0.19 V max) is boost.py's (RECALLED).
- The board's 3.3 V: the Pico's RT6150 regulates its feedback at 0.495-0.505 V (+-1 %,
  25 C; Richtek RT6150A/B datasheet, electrical characteristics, the adjustable
  version); the DevKitC's AMS1117-3.3 is trimmed to 1.5 % (AMS1117 datasheet,
  description). Neither fixed-3.3 V output's full tolerance was read: +-5 % is taken,
  wider than both. The threshold depends on the 3.3 V only through R49 / (R49 + R50 +
  R51), about 2 % of its deviation from V_Z.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass

from tools.circuit import boost, design

VZ, VZ_TOL_FULL, VZ_TOL_25C = 2.048, 0.015, 0.002  # LM4040A20, volts
VZ_IZ_SHIFT = 0.001  # V_Z change over I_Z,min..1 mA, full range
IZ_MIN = 80e-6  # minimum cathode current, full range
VIO_MAX = 0.009  # LM393 input offset, Tmin-Tmax (ST LM393 table 3)
IIB_MAX = 400e-9  # LM393 input bias current, Tmin-Tmax, out of each input (ST table 3)
VOL_MAX = 0.4  # LM393 output low at 4 mA (ST LM393 datasheet, table 3)
V3V3 = 3.3
V3V3_TOL = 0.05  # the board's 3.3 V (see above: wider than either regulator's)
FA_SD_DELAY = 30e-6  # LM3478: FA/SD high this long turns it off (SNVS085X)
# The loop from the comparator's input to the controller's stop, besides the 30 us:
# the comparator (1.3 us at 5 mV overdrive, ST LM393 table 3), Q9's gate and U2_SDN's
# rise through R45 (tens of pF: under 2 us), the controller's last cycle (3.3 us at
# 300 kHz). 10 us is taken for all of them.
LOOP_EXTRA = 10e-6
C_RAIL_TOL = 0.20  # C14, 47 uF -20 %


@dataclass(frozen=True)
class Parts:
    rt: float  # R46, rail -> sense node
    rb: float  # R47, sense node -> GND
    rs: float  # R49, reference -> + input
    rh: float  # R50, output -> + input (hysteresis)
    rg: float  # R51, 3.3 V -> output (Q9's gate)
    rz: float  # R48, 3.3 V -> reference
    c: float  # C21, the sense node's filter


def parts(board: str = "pico") -> tuple[Parts, dict[str, float]]:
    """The values and tolerances of design.py's parts."""
    refs = {"rt": "R46", "rb": "R47", "rs": "R49", "rh": "R50", "rg": "R51", "rz": "R48"}
    vals, tols = {}, {}
    for k, ref in refs.items():
        p = design.part(board, ref)
        vals[k], tols[k] = float(p.ohm), float(p.tol or 0)  # type: ignore[arg-type]
    vals["c"] = float(design.part(board, "C21").farad)  # type: ignore[arg-type]
    return Parts(**vals), tols


def plus_input(p: Parts, vz: float, v3: float, out_high: bool, ib: float = 0.0,
               vol: float = 0.0) -> float:
    """U5B's + input: V_Z through R49, the output through R50 (high: R51 from the 3.3 V,
    Q9's gate draws nothing; low: the output at `vol`), the bias current `ib` out of
    the pin."""
    if out_high:
        g_out, v_out = 1 / (p.rh + p.rg), v3
    else:
        g_out, v_out = 1 / p.rh, vol
    return (vz / p.rs + v_out * g_out + ib) / (1 / p.rs + g_out)


def rail_at(p: Parts, v_plus: float, vio: float, ib: float) -> float:
    """The rail at which U5B's - input (the divider, plus the bias current `ib` out of
    the pin through the divider's resistance) reaches v_plus + vio."""
    rth = p.rt * p.rb / (p.rt + p.rb)
    return (v_plus + vio - ib * rth) * (p.rt + p.rb) / p.rb


def nominal(board: str = "pico") -> tuple[float, float]:
    """(rising, falling) threshold with every part at its value, 3.3 V exact."""
    p, _ = parts(board)
    return (rail_at(p, plus_input(p, VZ, V3V3, True), 0, 0),
            rail_at(p, plus_input(p, VZ, V3V3, False), 0, 0))


@dataclass(frozen=True)
class Corner:
    rail: float
    parts: Parts
    vz: float
    v3: float
    vio: float  # the offset and both bias currents as one offset at U5B's inputs (the
    # SPICE model has no bias current: spice.Scenario.ovp_vio)


def _corners(board: str, tols: dict[str, float] | None = None):
    p0, t0 = parts(board)
    tols = t0 if tols is None else tols
    keys = ("rt", "rb", "rs", "rh", "rg")
    vz_dev = VZ_TOL_FULL + VZ_IZ_SHIFT
    for signs in itertools.product((-1, 1), repeat=len(keys)):
        vals = {k: getattr(p0, k) * (1 + s * tols[k]) for k, s in zip(keys, signs)}
        p = Parts(**vals, rz=p0.rz, c=p0.c)
        for vz, v3, vio, ib_m, ib_p in itertools.product(
                (VZ - vz_dev, VZ + vz_dev), (V3V3 * (1 - V3V3_TOL), V3V3 * (1 + V3V3_TOL)),
                (-VIO_MAX, VIO_MAX), (0.0, IIB_MAX), (0.0, IIB_MAX)):
            yield p, vz, v3, vio, ib_m, ib_p


def rising_worst(board: str = "pico", tols: dict[str, float] | None = None
                 ) -> tuple[Corner, Corner]:
    """(lowest, highest) rising threshold over every corner of the tolerances."""
    out = []
    for p, vz, v3, vio, ib_m, ib_p in _corners(board, tols):
        v = rail_at(p, plus_input(p, vz, v3, True, ib_p), vio, ib_m)
        vio_eff = v * p.rb / (p.rt + p.rb) - plus_input(p, vz, v3, True)
        out.append(Corner(v, p, vz, v3, vio_eff))
    return min(out, key=lambda c: c.rail), max(out, key=lambda c: c.rail)


def falling_worst(board: str = "pico") -> tuple[float, float]:
    """(lowest, highest) falling threshold (U5B's output low, at 0 to VOL_MAX)."""
    xs = [rail_at(p, plus_input(p, vz, v3, False, ib_p, vol), vio, ib_m)
          for p, vz, v3, vio, ib_m, ib_p in _corners(board)
          for vol in (0.0, VOL_MAX)]
    return min(xs), max(xs)


def charge_current_max(board: str = "pico") -> float:
    """A bound on the current the boost can push into the rail with FB at 0 V: the
    input power at the current limit's highest peak (V_SENSE max / R_SEN, every cycle)
    at the highest input, all of it delivered, at the lowest threshold voltage (58 V
    taken: every trip is above it)."""
    r_sen = float(design.part(board, "R40").ohm)  # type: ignore[arg-type]
    return boost.vin_range(board)[1] * boost.VSENSE_MAX / r_sen / design.RAIL_V


def rail_capacitance_min(board: str = "pico") -> float:
    return sum(float(design.part(board, r).farad) * (1 - (design.part(board, r).tol or 0))  # type: ignore[arg-type]
               for r in ("C14", "C15"))


def overshoot_max(board: str = "pico") -> float:
    """Volts the rail can rise past the threshold before U2 stops: the rail's highest
    slope (charge_current_max into the smallest capacitance) over the loop's delay (the
    sense filter's lag R46||R47 x C21 for a ramp, the 30 us of FA/SD, LOOP_EXTRA)."""
    p, _ = parts(board)
    lag = p.rt * p.rb / (p.rt + p.rb) * p.c + FA_SD_DELAY + LOOP_EXTRA
    return charge_current_max(board) / rail_capacitance_min(board) * lag


def peak_bound(board: str = "pico") -> float:
    """The highest rail with R41 open: the highest rising threshold plus the overshoot."""
    return rising_worst(board)[1].rail + overshoot_max(board)


def main() -> int:
    for board in design.BOARDS:
        lo, hi = rising_worst(board)
        flo, fhi = falling_worst(board)
        rise, fall = nominal(board)
        print(f"{board}: rising {rise:.2f} V nominal, {lo.rail:.2f}-{hi.rail:.2f} V worst; "
              f"falling {fall:.2f} V nominal, {flo:.2f}-{fhi:.2f} V worst; "
              f"the boost's worst case {boost.vout_worst(board)[1]:.2f} V")
        print(f"  R41 open: charge <= {charge_current_max(board):.2f} A into "
              f">= {rail_capacitance_min(board) * 1e6:.1f} uF, overshoot <= "
              f"{overshoot_max(board):.2f} V, peak <= {peak_bound(board):.2f} V")
    return 0


if __name__ == "__main__":
    sys.exit(main())
