"""The treatment rail's boost converter (U2 in design.py): a TI LM3478 low-side
N-MOSFET controller in a plain boost, 6.0-12.6 V in, 58 V out. Its parts are in
design.py (the one circuit source); this file holds the controller's datasheet figures
and the design equations, and computes from design.py's part values what the
converter does: the duty cycle, the inductor's peak current, the current limit, the
output voltage and its worst case. host_tests/test_circuit_boost.py checks the results
(the worst-case rail under 60 V, the ratings against the peaks); docs/circuit.md quotes
them.

Every figure says where it comes from. "SNVS085X" is TI's LM3478 datasheet (revised
December 2017), "SNVSAX8" the LM3478Q-Q1's (April 2018, the same die's electrical
table), "SNVS085V" the 2013 revision. A figure marked RECALLED was not read from the
datasheet while this was written (its page could not be retrieved): check it against
the datasheet named before ordering.

    python -m tools.circuit.boost     # prints the design figures of both builds
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from tools.circuit import design

# --- the LM3478's figures ------------------------------------------------------------
# Read: SNVS085X, features: supply range 2.97-40 V; "+-2.5 % (over temperature) internal
# reference"; pin functions: FB regulates at 1.26 V; FA/SD "a high level on this pin for
# longer than 30 us will turn the device off"; internal push-pull driver, 1 A peak.
VIN_MIN, VIN_MAX = 2.97, 40.0
VREF, VREF_TOL = 1.26, 0.025
# Read: SNVSAX8, Electrical Characteristics (continued), note 6: "The FA/SD pin should
# be pulled to VIN through a resistor to turn the regulator off"; VSL (the internal
# slope-compensation ramp) 52-132 mV over temperature; VSL / VSENSE 0.30-0.70.
VSL_RATIO_MAX = 0.70
# Read: SNVS085V p. 16, "Setting the current limit", eq. 16:
# R_SEN x ISW_LIMIT = VSENSE - D x VSL, and ISW_LIMIT = IOUT / (1 - D) + D VIN / (2 fs L);
# eq. 15 (programming the output voltage): R_F2 = 1.26 V x R_F1 / (VOUT - 1.26 V);
# "a 100 pF capacitor may be connected between the feedback and ground pins".
# RECALLED, to be checked against SNVS085X, Electrical Characteristics (that table,
# and SNVSAX8's first page of it, were not among the stored copies searched for issue 18;
# a second search, by the rows' names, found only the opening of SNVSAX8's page 6: the
# rows from V_SL to the error amplifier, none of these). Not to be filled from the
# sibling LM3488's table (TI SNVS089O, specifications): its V_SENSE, 135/156/180 mV at
# 25 C and 125-190 mV over temperature, is the same as the recalled figures below, so
# the recollection may be the LM3488's.
VSENSE_MIN, VSENSE_MAX = 0.125, 0.190  # current sense threshold (156 mV typ)
FS_MIN = 300e3  # the switching frequency with R_FA = 40 kOhm: about 400 kHz typ
D_MAX = 0.95  # the largest duty cycle the controller gives (more than the 0.91 needed)
FA_SD_HIGH_MAX = 1.4  # FA/SD above this turns the controller off (the "Output = High" limit)
FA_SD_ABS_MAX = 7.0  # FA/SD absolute maximum
IFB_MAX = 1e-6  # FB pin bias current, a bound (into the pin: raises the output)

# --- the other parts' figures ------------------------------------------------------
# Bourns SRU1028-470Y (L1): 47 uH +-30 %, saturation current 1.1 A, RMS current 1.3 A,
# DCR 0.167 Ohm max (read: the distributor's listing of the part, novapart.co / Farnell
# 1362009, which quotes Bourns' table).
L_TOL, L_ISAT = 0.30, 1.1
# MBR1100 (D6): 100 V, 1.0 A (read: onsemi MBR1100 datasheet, the 2006 Pb-free
# revision, maximum ratings: V_RRM 100 V, I_O 1.0 A). V_F 0.85 V max at 1 A, 25 C (read
# from the same JEDEC part's IR datasheet, Bulletin PD-20587 rev. C, and Vishay's, doc
# 93438: electrical specifications; onsemi's own V_F table was not retrieved).
# BZX79-C5V1 (D7): V_Z 4.8-5.4 V at I_ZT 5 mA (read: the BZX79C tables of Fairchild's
# "BZX79C 3V3 - 33 Series" and Yongerjia's BZX79C series; Nexperia's table not
# retrieved). RECALLED: the 1N4148's forward drop, 0.6-0.7 V.
VD = 0.85
VD_SMALL = 0.6
VZ_MIN, VZ_MAX = 4.8, 5.4
# An assumption, not a datasheet figure: 85 % efficiency at full load (the losses in
# the switch, the diode, the inductor's DCR and the sense resistor).
EFFICIENCY = 0.85
IOUT = 0.050  # the rail's required output current (brief: at least 50 mA)


def _ohm(ref: str, board: str = "pico") -> tuple[float, float]:
    p = design.part(board, ref)
    return float(p.ohm), float(p.tol or 0)  # type: ignore[arg-type]


def vin_range(board: str) -> tuple[float, float]:
    """What feeds U2 on a build: the Pico's U7 (12 V; +-5 % taken, its regulation was
    not retrieved), the ESP32's pack (design.PACK_V: 6.0-12.6 V)."""
    if board == "pico":
        return design.V12 * 0.95, design.V12 * 1.05
    lo, _, hi = design.PACK_V[board]
    return lo, hi


def vout_nominal(board: str = "pico") -> float:
    rf1, _ = _ohm("R41", board)
    rf2, _ = _ohm("R42", board)
    return VREF * (1 + rf1 / rf2)


def vout_worst(board: str = "pico") -> tuple[float, float]:
    """(lowest, highest) rail: the reference at +-2.5 %, each feedback resistor at its
    tolerance in the worse direction, the FB bias current (a bound) through R_F1."""
    rf1, t1 = _ohm("R41", board)
    rf2, t2 = _ohm("R42", board)
    hi = VREF * (1 + VREF_TOL) * (1 + rf1 * (1 + t1) / (rf2 * (1 - t2))) + IFB_MAX * rf1 * (1 + t1)
    lo = VREF * (1 - VREF_TOL) * (1 + rf1 * (1 - t1) / (rf2 * (1 + t2)))
    return lo, hi


@dataclass(frozen=True)
class Point:
    vin: float
    duty: float
    i_avg: float  # inductor (input) current, average
    ripple: float  # peak to peak, at the smallest inductance and frequency
    i_peak: float
    ccm: bool
    i_limit_min: float  # the smallest current limit at this duty (eq. 16)


def operating_point(vin: float, board: str = "pico", iout: float = IOUT) -> Point:
    vout = vout_nominal(board)
    l_min = float(design.part(board, "L1").henry) * (1 - L_TOL)  # type: ignore[arg-type]
    duty = 1 - vin * EFFICIENCY / (vout + VD)
    i_avg = vout * iout / (EFFICIENCY * vin)
    ripple = vin * duty / (FS_MIN * l_min)
    ccm = i_avg > ripple / 2
    if ccm:
        i_peak = i_avg + ripple / 2
    else:  # discontinuous: each cycle stores what the output takes beyond the input
        i_peak = (2 * iout * (vout + VD - vin) / (EFFICIENCY * l_min * FS_MIN)) ** 0.5
    r_sen, _ = _ohm("R40", board)
    i_limit = VSENSE_MIN * (1 - duty * VSL_RATIO_MAX) / r_sen
    return Point(vin, duty, i_avg, ripple, i_peak, ccm, i_limit)


def worst_points(board: str) -> list[Point]:
    lo, hi = vin_range(board)
    return [operating_point(lo + (hi - lo) * k / 10, board) for k in range(11)]


def fa_sd_off(vin: float, board: str = "pico", vz: float = VZ_MIN) -> float:
    """FA/SD's voltage with the microcontroller unpowered (Q9 off): R45 from U2's input
    through D8 into R43, the node clamped by D7 (at `vz`: its lowest for the shutdown
    level, its highest for the pin's maximum)."""
    r_pu, _ = _ohm("R45", board)
    r_fa, _ = _ohm("R43", board)
    v_fa = max(vin - VD_SMALL, 0) * r_fa / (r_pu + r_fa)
    return min(v_fa, vz - VD_SMALL)


def main() -> int:
    for board in design.BOARDS:
        lo, hi = vout_worst(board)
        print(f"{board}: rail {vout_nominal(board):.2f} V nominal, {lo:.2f}-{hi:.2f} V worst")
        for p in worst_points(board):
            print(f"  Vin {p.vin:5.2f} V: D {p.duty:.3f}, I_L avg {p.i_avg:.3f} A, ripple "
                  f"{p.ripple:.3f} A, peak {p.i_peak:.3f} A ({'CCM' if p.ccm else 'DCM'}), "
                  f"current limit >= {p.i_limit_min:.3f} A")
    return 0


if __name__ == "__main__":
    sys.exit(main())
