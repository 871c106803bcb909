"""The power path in SPICE (tools/circuit/spice.py, the parts of tools/circuit/design.py):
what the battery pin (SR-16) and the USB sense pin (SR-17) of each build see against the
pack's and USB's voltage, with USB and the pack each present or absent and the pack at
full charge, against the board files' thresholds and the pins' absolute maximum.

Pico: one cell through Q7 (an ideal diode, off while USB is in) onto VSYS; the firmware
reads VSYS/3 on GP29 and the Pico's own VBUS sense on GP24. ESP32: the pack through
R30/R31 on GPIO39; USB's VBUS (at J3) through R38/R39 on GPIO4. The figures are in
docs/circuit.md ("What the SPICE runs show").
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import pytest

from firmware.boards import esp32_devkitc, pico
from tools.circuit import design, spice

BOARDS = {"pico": pico.BOARD, "esp32_devkitc": esp32_devkitc.BOARD}
T = 50e-3  # each sweep's length: slow beside the pins' filters (C12: 0.17 ms)
# The logic input levels at IOVDD 3.3 V: RP2040 datasheet, GPIO electrical
# characteristics, V_IH min 2.0 V, V_IL max 0.8 V; ESP32 datasheet, DC characteristics,
# V_IH min 0.75 x VDD, V_IL max 0.25 x VDD (both as recalled: the tables were not
# retrieved while this was written).
VIH = {"pico": 2.0, "esp32_devkitc": 0.75 * spice.V3V3}
VIL = {"pico": 0.8, "esp32_devkitc": 0.25 * spice.V3V3}
# USB 2.0's lowest VBUS at a device (a low-power port after its drops: 4.40 V; USB 2.0
# specification, 7.2.1, recalled) and the highest a port gives (5.25 V) or a poor
# charger might (5.5 V, the sweeps' end).
USB_MIN, USB_MAX, USB_SWEEP_TOP = 4.40, 5.25, 5.5
# The Schottky model's reverse current (spice.py, D1N5819: is = 30 uA) and a margin.
LEAK_A = 35e-6


def _sweep(v0: float, v1: float) -> str:
    return f"PWL(0 {v0} 1m {v0} {T} {v1})"


def _scenarios() -> dict[tuple[str, str], spice.Scenario]:
    s: dict[tuple[str, str], spice.Scenario] = {}
    for board in design.BOARDS:
        low, _, full = design.PACK_V[board]
        s[(board, "pack_sweep")] = spice.Scenario(
            "pack sweep, no USB", T, 20e-6, pack_src=_sweep(low - 0.6, full + 0.1))
        s[(board, "usb_sweep_pack_full")] = spice.Scenario(
            "USB sweep, pack full", T, 20e-6, pack_v=full, vbus_src=_sweep(0, USB_SWEEP_TOP))
        s[(board, "usb_no_pack")] = spice.Scenario(
            "USB at 5.25 V, no pack", 5e-3, 20e-6, pack_fitted=False,
            vbus_src=f"DC {USB_MAX}")
    return s


SCENARIOS = _scenarios()


@lru_cache(maxsize=None)
def _all() -> dict[tuple[str, str], spice.Result]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(lambda kv: (kv[0], spice.run(kv[0][0], kv[1])),
                             SCENARIOS.items()))


def _pin(board: str, field: str) -> str:
    """The net on the board field's pin (on the module for the Pico's GP24, GP29)."""
    return design.MCU_SIGNALS[field][0]


def _reading_mv(board: str, pin_v: float) -> float:
    """What the firmware makes of the battery pin's voltage (hal.read_battery_mv with no
    calibration: the pin over battery_div_ppm)."""
    return pin_v * 1e3 * 1e6 / BOARDS[board]["battery_div_ppm"]


def _crossing(r: spice.Result, x: str, y: str, level: float) -> float:
    """The value of x where y first rises through level."""
    xs, ys = r.v[x], r.v[y]
    for k in range(1, len(ys)):
        if ys[k - 1] < level <= ys[k]:
            f = (level - ys[k - 1]) / (ys[k] - ys[k - 1])
            return xs[k - 1] + f * (xs[k] - xs[k - 1])
    raise AssertionError(f"{y} never reaches {level:.3f} V (max {max(ys):.3f} V)")


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_every_pin_stays_inside_its_absolute_maximum(key):
    board, _ = key
    r = _all()[key]
    assert r.t[-1] >= SCENARIOS[key].t_stop * 0.999
    assert spice.pin_violations(board, r) == [], key


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_battery_reading_is_the_pack_and_crosses_the_limits_where_the_board_says(board):
    """SR-16: with no USB, the firmware's reading follows the pack (the Pico: the cell
    through Q7 and VSYS/3) within 1 %, so it falls through battery_min_mv (the stop) and
    through 110 % of it (the start check, limits.BATTERY_START_PCT) at those pack
    voltages within 1 %; and the full pack stays inside the ADC's trusted range."""
    r = _all()[(board, "pack_sweep")]
    pin = _pin(board, "pin_adc_battery")
    for t in [T * k / 20 for k in range(2, 21)]:
        pack, got = r.at(t, "VPACK"), _reading_mv(board, r.at(t, pin)) / 1e3
        assert abs(got / pack - 1) < 0.01, f"{board}: pack {pack:.3f} V reads {got:.3f} V"
    b = BOARDS[board]
    for limit in (b["battery_min_mv"], b["battery_min_mv"] * 1.1):
        at = _crossing(r, "VPACK", pin, limit / 1e3 * b["battery_div_ppm"] / 1e6)
        assert abs(at / (limit / 1e3) - 1) < 0.01, f"{board}: {limit} mV at {at:.3f} V"
    full = design.PACK_V[board][2]
    at_full = max(v for v, p in zip(r.v[pin], r.v["VPACK"]) if p <= full)
    assert at_full * 1e3 < b["adc_linear_max_mv"], f"{board}: {at_full:.3f} V at {full} V"
    assert max(r.v[_pin(board, "pin_usb_sense")]) < VIL[board]  # no USB: reads 0


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_usb_sense_reads_usb_from_its_lowest_voltage_and_the_pack_is_never_charged(board):
    """SR-17: the USB sense pin rises through V_IH before VBUS reaches USB's lowest
    (4.40 V), and is under V_IL with no cable, with the full pack on; USB's VBUS takes
    no current from the device but the boards' own Schottkys' reverse leakage (VBUS to
    VSYS; 30 uA in the model), and the pack never takes current from USB (on the Pico
    Q7 is off and its body diode blocks)."""
    r = _all()[(board, "usb_sweep_pack_full")]
    sense = _pin(board, "pin_usb_sense")
    usb = spice.USB_NET[board]
    at = _crossing(r, usb, sense, VIH[board])
    assert at < USB_MIN, f"{board}: the sense reads high only from VBUS {at:.2f} V"
    assert r.at(1e-3, sense) < VIL[board]
    into_usb, into_pack = max(r.v["I(VUSB)"]), max(r.v["I(VPACK)"])
    assert into_usb < LEAK_A, f"{board}: {into_usb * 1e6:.1f} uA into USB"
    assert into_pack < 10e-6, f"{board}: {into_pack * 1e6:.1f} uA into the pack"


def test_the_pico_takes_vsys_from_usb_while_the_cable_is_in():
    """Q7 (gate on VBUS) lets the cell go once USB is in: at 5.25 V the cell gives under
    0.1 mA, and GP29 then reads USB's VSYS (treatment is refused on USB, SR-17)."""
    r = _all()[("pico", "usb_sweep_pack_full")]
    t = next(t for t, v in zip(r.t, r.v["VBUS"]) if v >= USB_MAX)
    assert -r.at(t, "I(VPACK)") < 0.1e-3, f"the cell gives {-r.at(t, 'I(VPACK)') * 1e3:.2f} mA"
    assert r.at(t, "VSYS") > design.PACK_V["pico"][2]


@pytest.mark.parametrize("board", design.BOARDS)
def test_usb_with_no_pack_powers_the_board_and_reads_high(board):
    r = _all()[(board, "usb_no_pack")]
    assert r.at(4e-3, _pin(board, "pin_usb_sense")) > VIH[board]
    assert r.at(4e-3, "VSYS") > 4.5
    assert max(r.v["I(VUSB)"]) < LEAK_A
