"""The reference circuit as data: every part with its value, rating, footprint and
nets. One source for the KiCad netlist and its ERC (kicad.py), the SPICE deck
(spice.py), the parts list (hardware/bom.csv) and the checks of the board files'
analog constants (host_tests/test_circuit_constants.py).

Two builds share the analog stage and differ at the microcontroller: `pico`
(Raspberry Pi Pico) and `esp32_devkitc` (ESP32 DevKitC V4). Their pins are the board
files' (firmware/boards/pico.py, esp32_devkitc.py); the test checks them against the
nets here.

Symbols are KiCad 6's (Debian `kicad-symbols`, /usr/share/kicad/symbols); footprints
KiCad 6's (Debian `kicad-footprints`); the test checks that each footprint exists.
The microcontroller boards plug into pin sockets: each socket is a part defined here
(lib "") with the board's pin names and directions, so that the ERC sees which pins
drive and which read.

Ratings: a resistor's "V" is its maximum working voltage, a capacitor's its rated
voltage. Resistors are metal film 0.25 W 1 % 250 V (Yageo MFR-25 series) unless a part
says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BOARDS = ("pico", "esp32_devkitc")

# Footprints (KiCad 6 library names; checked to exist by the test).
FP_R = "Resistor_THT:R_Axial_DIN0207_L6.3mm_D2.5mm_P10.16mm_Horizontal"
FP_RV = "Resistor_THT:R_Axial_DIN0207_L6.3mm_D2.5mm_P2.54mm_Vertical"  # stood upright
FP_R1W = "Resistor_THT:R_Axial_DIN0414_L11.9mm_D4.5mm_P15.24mm_Horizontal"
FP_CC = "Capacitor_THT:C_Disc_D5.0mm_W2.5mm_P5.00mm"  # ceramic
FP_CF = "Capacitor_THT:C_Rect_L7.2mm_W3.5mm_P5.00mm_FKS2_FKP2_MKS2_MKP2"  # film
FP_CE = "Capacitor_THT:CP_Radial_D5.0mm_P2.00mm"  # electrolytic
FP_CE63 = "Capacitor_THT:CP_Radial_D6.3mm_P2.50mm"
FP_CE10 = "Capacitor_THT:CP_Radial_D10.0mm_P5.00mm"
FP_DIP8 = "Package_DIP:DIP-8_W7.62mm"
FP_DIP14 = "Package_DIP:DIP-14_W7.62mm"
FP_TO220 = "Package_TO_SOT_THT:TO-220-3_Vertical"
FP_SOT23 = "Package_TO_SOT_SMD:SOT-23"
FP_DO35 = "Diode_THT:D_DO-35_SOD27_P7.62mm_Horizontal"
FP_DO41 = "Diode_THT:D_DO-41_SOD81_P10.16mm_Horizontal"
FP_TERM2 = "TerminalBlock_Phoenix:TerminalBlock_Phoenix_MKDS-1,5-2-5.08_1x02_P5.08mm_Horizontal"
FP_HDR3 = "Connector_PinHeader_2.54mm:PinHeader_1x03_P2.54mm_Vertical"
FP_HDR4 = "Connector_PinHeader_2.54mm:PinHeader_1x04_P2.54mm_Vertical"
FP_SOCK20 = "Connector_PinSocket_2.54mm:PinSocket_1x20_P2.54mm_Vertical"
FP_SOCK19 = "Connector_PinSocket_2.54mm:PinSocket_1x19_P2.54mm_Vertical"

RES = "metal film, 0.25 W, 1 %, 250 V"


@dataclass
class Part:
    ref: str
    lib: str  # KiCad symbol library; "" for a socket part defined here
    symbol: str
    value: str
    footprint: str
    rating: str
    mpn: str  # manufacturer part number (or series, where the value picks the part)
    alt: str  # one alternative
    pins: dict[str, str]  # pin number -> net ("NC": not connected)
    ohm: float | None = None
    farad: float | None = None
    henry: float | None = None
    tol: float | None = None  # relative tolerance of ohm / farad
    model: str | None = None  # spice.py's model of a semiconductor or IC
    role: str = ""
    pin_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # sockets: name, func


def _fmt(x: float, unit: str) -> str:
    for scale, prefix in ((1e6, "M"), (1e3, "k"), (1.0, ""), (1e-6, "u"), (1e-9, "n"),
                          (1e-12, "p")):
        if abs(x) >= scale * 0.999:
            v = x / scale
            s = f"{v:.3g}"
            return s + prefix + unit if unit else (s + prefix if prefix else s)
    return f"{x:g}{unit}"


def R(ref, ohm, a, b, role="", rating=RES, fp=FP_R, tol=0.01, mpn=None, alt=None):  # noqa: N802
    code = _fmt(ohm, "").replace(".", "").upper() if ohm >= 1000 else f"{ohm:g}R"
    if ohm >= 1000:  # Yageo's value code: 49K9, 1M, 10K
        s = _fmt(ohm, "")
        code = s[:-1].replace(".", s[-1].upper()) if "." in s else s.upper()
    return Part(ref, "Device", "R", _fmt(ohm, ""), fp, rating,
                mpn or f"Yageo MFR-25FBF52-{code}", alt or "Vishay MBB0207 series, same value, 1 %",
                {"1": a, "2": b}, ohm=ohm, tol=tol, role=role)


def _cap_mpn(farad: float, volt: int, tol: float) -> tuple[str, str]:
    """A radial 5 mm ceramic's part number in TDK's FG28 and KEMET's C322C schemes
    (value code "104" = 10 x 10^4 pF; C0G under 1 nF, X7R above): the series' naming,
    not each number checked against a distributor's stock."""
    pf = round(farad * 1e12)
    exp = len(str(pf)) - 2
    code = f"{pf // 10 ** exp}{exp}" if exp >= 0 else f"{pf}9"
    t = "J" if tol <= 0.05 else "K"
    c0g = farad < 1e-9
    tdk_v = {100: "2A", 50: "1H", 25: "1E", 16: "1C"}[volt]
    kemet_v = {100: "1", 50: "5", 25: "3", 16: "4"}[volt]
    return (f"TDK FG28{'C0G' if c0g else 'X7R'}{tdk_v}{code}{t}NT06",
            f"KEMET C322C{code}{t}{kemet_v}{'G' if c0g else 'R'}5TA")


# Aluminium electrolytics by (farad, volt): part number, alternative, footprint. Nichicon
# UPW (low impedance) and Panasonic FC, by the series' naming: not checked against a
# distributor's stock.
ELECTROLYTIC = {
    (47e-6, 100): ("Nichicon UPW2A470MPD", "Panasonic EEU-FC2A470", FP_CE10),
    (100e-6, 25): ("Nichicon UPW1E101MED", "Panasonic EEU-FC1E101", FP_CE63),
}


def C(ref, farad, a, b, volt, role="", kind="ceramic", tol=0.1):  # noqa: N802
    fp = {"ceramic": FP_CC, "film": FP_CF, "electrolytic": FP_CE}[kind]
    sym = "C_Polarized" if kind == "electrolytic" else "C"
    if kind == "ceramic":
        mpn, alt = _cap_mpn(farad, volt, tol)
    elif kind == "film" and (farad, volt, tol) == (100e-9, 63, 0.05):
        mpn, alt = "WIMA MKS2C031001A00JSSD", "KEMET R82DC3100AA60J"
    elif kind == "electrolytic" and (farad, volt) in ELECTROLYTIC:
        mpn, alt, fp = ELECTROLYTIC[(farad, volt)]
    else:  # no such part in the design today: name the series
        raise ValueError(f"{ref}: no part number for a {kind} {_fmt(farad, 'F')} {volt} V")
    return Part(ref, "Device", sym, _fmt(farad, "F"), fp,
                f"{kind}, {volt} V, {int(tol * 100)} %", mpn, alt, {"1": a, "2": b},
                farad=farad, tol=tol, role=role)


# --- the microcontroller boards' pin sockets ---------------------------------------

# Raspberry Pi Pico header pins 1-40 (Pico datasheet, pinout figure). GPn are GPIOs.
PICO_PINS = ["GP0", "GP1", "GND", "GP2", "GP3", "GP4", "GP5", "GND", "GP6", "GP7", "GP8",
             "GP9", "GND", "GP10", "GP11", "GP12", "GP13", "GND", "GP14", "GP15", "GP16",
             "GP17", "GND", "GP18", "GP19", "GP20", "GP21", "GND", "GP22", "RUN", "GP26",
             "GP27", "AGND", "GP28", "ADC_VREF", "3V3_OUT", "3V3_EN", "GND", "VSYS", "VBUS"]
# ESP32 DevKitC V4 headers J2 and J3, pins 1-19 each (Espressif's DevKitC V4 user
# guide, header blocks). IOn are GPIOs; VP/VN are GPIO36/39.
ESP32_J2 = ["3V3", "EN", "IO36", "IO39", "IO34", "IO35", "IO32", "IO33", "IO25", "IO26",
            "IO27", "IO14", "IO12", "GND", "IO13", "IO9", "IO10", "IO11", "5V"]
ESP32_J3 = ["GND", "IO23", "IO22", "IO1", "IO3", "IO21", "GND", "IO19", "IO18", "IO5",
            "IO17", "IO16", "IO4", "IO0", "IO2", "IO15", "IO8", "IO7", "IO6"]

# The microcontroller's side of each board-file pin field: net, direction.
MCU_SIGNALS = {
    "pin_set": ("SET_PWM", "out"),
    "pin_enable": ("EN", "out"),
    "pin_relay": ("RELAY", "out"),
    "pin_trip_reset": ("TRIP_RST", "out"),
    "pin_led": ("LED", "out"),
    "pin_buzzer": ("BUZZ", "out"),
    "pin_trip": ("OK_G", "in"),
    "pin_button": ("BUTTON", "in"),
    "pin_up": ("BTN_UP", "in"),
    "pin_down": ("BTN_DOWN", "in"),
    "pin_adc_current": ("ADC_I", "in"),
    "pin_adc_voltage": ("ADC_V", "in"),
    "pin_adc_rail": ("ADC_R", "in"),
    "pin_adc_battery": ("ADC_B", "in"),
    "pin_usb_sense": ("USB_S", "in"),
}


def _gpio_name(board: str, gpio: int) -> str:
    return f"GP{gpio}" if board == "pico" else f"IO{gpio}"


def mcu_parts(board: str, wiring: dict[str, int | None]) -> list[Part]:
    """The sockets the board plugs into. `wiring`: board field -> GPIO (the design's)."""
    by_name: dict[str, str] = {}
    funcs: dict[str, str] = {}
    for key, gpio in wiring.items():
        if gpio is None:
            continue
        net, d = MCU_SIGNALS[key]
        name = _gpio_name(board, gpio)
        by_name[name] = net
        funcs[name] = "OUTPUT" if d == "out" else "INPUT"
    power = {"GND": ("GND", "PWRIN"), "AGND": ("GND", "PWRIN"),
             "3V3_OUT": ("V3V3", "PWROUT"), "3V3": ("V3V3", "PWROUT"),
             "VSYS": ("VSYS", "PWRIN"), "5V": ("VSYS", "PWRIN"),
             # The Pico's VBUS pin carries USB's 5 V while a cable is in (Pico datasheet,
             # 4.5): it switches Q7 off (the power path below).
             "VBUS": ("VBUS", "PWROUT")}
    sockets = ([("A1", PICO_PINS[:20], FP_SOCK20), ("A2", PICO_PINS[20:], FP_SOCK20)]
               if board == "pico" else
               [("A1", ESP32_J2, FP_SOCK19), ("A2", ESP32_J3, FP_SOCK19)])
    label = "Raspberry Pi Pico" if board == "pico" else "ESP32-DevKitC V4"
    parts = []
    for i, (ref, names, fp) in enumerate(sockets):
        pins, pin_names = {}, {}
        for n, name in enumerate(names, 1):
            if name in by_name:
                net, func = by_name[name], funcs[name]
            elif name in power:
                net, func = power[name]
            else:
                net, func = "NC", "NOCONNECT"
            pins[str(n)] = net
            pin_names[str(n)] = (name, func)
        side = ("pins 1-20", "pins 21-40") if board == "pico" else ("header J2", "header J3")
        parts.append(Part(ref, "", f"{label} socket {i + 1}", f"{label} {side[i]}", fp,
                          "2.54 mm female header",
                          f"Sullins PPTC{len(names)}1LFBN-RC",
                          f"Samtec SSW-1{len(names)}-01-T-S", pins, role=f"{label} ({side[i]})",
                          pin_names=pin_names))
    return parts


# --- the circuit ------------------------------------------------------------------

# The design's pins: the board files must agree (the test). Field -> GPIO.
WIRING = {
    "pico": {"pin_set": 16, "pin_enable": 18, "pin_relay": 19, "pin_trip_reset": 21,
             "pin_led": None, "pin_buzzer": 15, "pin_trip": 20, "pin_button": 14,
             "pin_up": 12, "pin_down": 13,
             "pin_adc_current": 26, "pin_adc_voltage": 27, "pin_adc_rail": 28,
             "pin_adc_battery": None, "pin_usb_sense": None},
    "esp32_devkitc": {"pin_set": 25, "pin_enable": 26, "pin_relay": 27, "pin_trip_reset": 12,
                      "pin_led": 2, "pin_buzzer": 15, "pin_trip": 14, "pin_button": 13,
                      "pin_up": 32, "pin_down": 33,
                      "pin_adc_current": 34, "pin_adc_voltage": 35, "pin_adc_rail": 36,
                      "pin_adc_battery": 39, "pin_usb_sense": 4},
}
# On the Pico the LED (GP25), the VSYS/3 battery reading (GP29) and the VBUS sense
# (GP24) are on the board itself, not on the header: no part here. (spice.py models
# the two dividers, ON_MODULE_NETS.)
ON_MODULE = {"pico": {"pin_led": 25, "pin_adc_battery": 29, "pin_usb_sense": 24},
             "esp32_devkitc": {}}

# Values shared by both builds (the analog stage).
R_SENSE = 82.0  # was 100 Ohm: 35 mA x 100 Ohm = 3.5 V reached the ADC pin (issue 18)
SET_R, SET_C = 20e3, 100e-9  # each of the two set-filter stages: 2 ms
RAIL_V = 58.0  # the boost module's set output
# The pack of each build, volts: (lowest, nominal, full). The Pico's is one Li-ion cell
# on VSYS (3.0 V is its battery_min_mv; 4.2 V full), so that GP29's VSYS/3 reads the
# pack (SR-16, docs/wiring.md); the ESP32's 2-3 cells (6.0 V = 2 x 3.0 V, its
# battery_min_mv; 12.6 V = 3 x 4.2 V full), read through R30/R31.
PACK_V = {"pico": (3.0, 3.7, 4.2), "esp32_devkitc": (6.0, 7.4, 12.6)}
V12 = 12.0  # the Pico build's 12 V node (U7): the op-amps, the buck and the rail boost
TRIP_TOP, TRIP_BOT = 1.5e3, 10e3  # 3V3 -> trip reference: 2.870 V = 35.0 mA x 82 Ohm


# The feedback divider of the rail boost: 1.26 V x (1 + 126k / 2.80k) = 57.96 V. 0.1 %
# resistors: with 1 % ones the worst case (tools/circuit/boost.py) would pass 60 V.
BOOST_RF1, BOOST_RF2, BOOST_RF_TOL = 126e3, 2.80e3, 0.001
RES_01 = "metal film, 0.25 W, 0.1 %, 25 ppm/K, 250 V"


def rail_boost(vin: str) -> list[Part]:
    """U2, the treatment rail: a TI LM3478 boost controller (SOIC-8, on a SOIC-to-DIP-8
    adapter) with an external MOSFET, 6.0-12.6 V in (`vin`: U7's 12 V on the Pico build,
    the pack on the ESP32's), 58 V out, 50 mA. The design figures and their sources are
    in tools/circuit/boost.py.

    Its enable: the LM3478 turns off while its FA/SD pin is high (SNVS085X). R45 pulls
    that pin up from U2's own input (through D8, clamped by the 5.1 V Zener D7) unless
    Q9, whose gate is the board's 3.3 V, holds the node low: no rail while the board is
    unpowered (the rail divider would otherwise drive 2.9 V into the unpowered board's
    ADC pin). With the board on, D8 blocks and R43 alone sets the frequency."""
    out = [Part("U2", "Regulator_Controller", "LM3478MA", "LM3478MA", FP_DIP8,
                "boost controller, 2.97-40 V supply, 1.26 V +-2.5 % reference, 1 A driver",
                "TI LM3478MA/NOPB", "TI LM3478MAX/NOPB (the same, on tape and reel)",
                {"1": "U2_CS", "2": "U2_COMP", "3": "U2_FB", "4": "GND", "5": "GND",
                 "6": "U2_DR", "7": "U2_FA", "8": vin}, model="LM3478",
                role="treatment rail boost controller (SOIC-8 on a DIP-8 adapter)")]
    add = out.append
    add(Part("L1", "Device", "L", "47uH", "Inductor_SMD:L_Bourns-SRU1028_10.0x10.0mm",
             "47 uH +-30 %, saturation 1.1 A, 1.3 A RMS, 0.167 Ohm max", "Bourns SRU1028-470Y",
             "Bourns RLB0913-470K (radial)", {"1": vin, "2": "U2_SW"}, henry=47e-6,
             role="rail boost inductor"))
    add(Part("Q8", "Device", "Q_NMOS_GDS", "IRL540N", FP_TO220,
             "logic-level N-MOSFET, 100 V, 36 A, VGS +-16 V", "Infineon IRL540NPBF",
             "Vishay IRL540PBF", {"1": "U2_DR", "2": "U2_SW", "3": "U2_CS"},
             role="rail boost switch"))
    add(Part("R40", "Device", "R", "0.04", FP_R1W,
             "metal element, 1 W, 1 %, working voltage (P R)^0.5 = 0.2 V",
             "Vishay LVR01R0400FE12", "Ohmite 12FR040E (1 W, 0.04 Ohm)",
             {"1": "U2_CS", "2": "GND"}, ohm=0.04, tol=0.01,
             role="rail boost current sense (R_SEN)"))
    add(Part("D6", "Device", "D_Schottky", "MBR1100", FP_DO41, "Schottky, 100 V, 1 A",
             "onsemi MBR1100RLG", "Vishay SB1100-E3/54", {"1": "RAIL", "2": "U2_SW"},
             role="rail boost diode"))
    add(C("C14", 47e-6, "RAIL", "GND", 100, "rail boost output", kind="electrolytic",
          tol=0.2))
    add(C("C15", 100e-9, "RAIL", "GND", 100, "rail boost output (ceramic)"))
    add(C("C16", 100e-6, vin, "GND", 25, "rail boost input", kind="electrolytic", tol=0.2))
    add(C("C17", 100e-9, vin, "GND", 50, "U2 decoupling"))
    add(R("R41", BOOST_RF1, "RAIL", "U2_FB", "rail boost feedback (top)", rating=RES_01,
          tol=BOOST_RF_TOL, mpn="Vishay Dale CMF55126K00BEEK", alt="Yageo MFP-25BRD52-126K"))
    add(R("R42", BOOST_RF2, "U2_FB", "GND", "rail boost feedback (bottom)", rating=RES_01,
          tol=BOOST_RF_TOL, mpn="Vishay Dale CMF552K8000BEEK", alt="Yageo MFP-25BRD52-2K8"))
    add(C("C20", 100e-12, "U2_FB", "GND", 50, "rail boost feedback filter", tol=0.05))
    add(R("R44", 10e3, "U2_COMP", "U2_CC", "rail boost compensation (starting value)"))
    add(C("C18", 22e-9, "U2_CC", "GND", 50, "rail boost compensation (starting value)"))
    add(C("C19", 220e-12, "U2_COMP", "GND", 50, "rail boost compensation, high frequency",
          tol=0.05))
    add(R("R43", 40.2e3, "U2_FA", "GND", "rail boost frequency (R_FA)"))
    add(R("R45", 10e3, vin, "U2_SDN", "rail boost shutdown pull-up: off by default"))
    add(Part("D7", "Device", "D_Zener", "5.1 V", FP_DO35, "Zener 5.1 V, 0.5 W, 5 %",
             "Nexperia BZX79-C5V1", "onsemi 1N5231B", {"1": "U2_SDN", "2": "GND"},
             model="DZ5V1", role="rail boost shutdown clamp (FA/SD under its maximum)"))
    add(Part("D8", "Diode", "1N4148", "1N4148", FP_DO35, "100 V, 0.2 A", "onsemi 1N4148",
             "Vishay 1N4148-TAP", {"1": "U2_FA", "2": "U2_SDN"}, model="D1N4148",
             role="rail boost shutdown (blocks while the board is on)"))
    add(Part("Q9", "Transistor_FET", "BSS123", "BSS123", FP_SOT23,
             "N-MOSFET, 100 V, 0.17 A, VGS +-20 V", "onsemi BSS123LT1G", "Diodes BSS123-7-F",
             {"1": "Q9_G", "2": "GND", "3": "U2_SDN"}, model="BSS123",
             role="rail boost enable: on with the board's 3.3 V, off on over-voltage"))
    out.extend(rail_ovp())
    return out


# The rail's over-voltage cut (tools/circuit/ovp.py): U5B against its own divider and
# its own reference. Rising threshold 60.96 V nominal, 59.90-62.03 V worst case (above the
# boost's 59.65 V worst case at every tolerance).
OVP_RT, OVP_RB = 284e3, 10e3  # R46 / R47, 0.1 %
OVP_RS, OVP_RH, OVP_RG = 10e3, 470e3, 10e3  # R49 (0.1 %), R50, R51


def rail_ovp() -> list[Part]:
    """The independent over-voltage cut of the rail: U5B (the trip comparator's unused
    half; U5 is in parts()) compares the rail through R46/R47 (0.1 %, C21 filters the
    switching ripple: 9.7 us) with U8, an LM4040 2.048 V reference fed from the board's
    3.3 V through R48, at its + input through R49; R50 from its output gives the
    hysteresis. Its open-collector output is Q9's gate (R51 from the 3.3 V): above the
    threshold Q9 turns off and R45 / D8 take FA/SD high, U2 stops (the enable path
    above). With R41 open the rail hiccups around the threshold instead of running
    away. Not the trip's TRIP_REF and not the rail divider R23/R24: its own parts."""
    out = [R("R46", OVP_RT, "RAIL", "OVP_IN", "rail over-voltage divider (top)",
             rating=RES_01, tol=0.001, mpn="Vishay Dale CMF55284K00BEEK",
             alt="Yageo MFP-25BRD52-284K"),
           R("R47", OVP_RB, "OVP_IN", "GND", "rail over-voltage divider (bottom)",
             rating=RES_01, tol=0.001, fp=FP_RV, mpn="Vishay Dale CMF5510K000BEEK",
             alt="Yageo MFP-25BRD52-10K"),
           C("C21", 1e-9, "OVP_IN", "GND", 50, "rail over-voltage filter (9.7 us)"),
           R("R48", 4.7e3, "V3V3", "OVP_VZ", "over-voltage reference feed (0.26 mA)",
             fp=FP_RV),
           Part("U8", "Reference_Voltage", "LM4040DBZ-2.0", "LM4040A20", FP_SOT23,
                "shunt reference 2.048 V, +-0.1 % (25 C), +-15 mV full range, 15 mA max",
                "TI LM4040A20IDBZR", "TI LM4040B20IDBZR (+-0.2 %: recompute ovp.py)",
                {"1": "OVP_VZ", "2": "GND"}, model="LM4040",
                role="rail over-voltage reference (SOT-23 on an adapter)"),
           R("R49", OVP_RS, "OVP_VZ", "OVP_REF", "over-voltage reference to U5B +",
             rating=RES_01, tol=0.001, fp=FP_RV, mpn="Vishay Dale CMF5510K000BEEK",
             alt="Yageo MFP-25BRD52-10K"),
           R("R50", OVP_RH, "Q9_G", "OVP_REF", "over-voltage hysteresis", fp=FP_RV),
           R("R51", OVP_RG, "V3V3", "Q9_G", "Q9 gate pull-up (U5B pulls it low)", fp=FP_RV)]
    # R47-R51 stand upright (the 0.25 W body on one lead; all under 3.3 V): the
    # ESP32 build's stripboard has no room for five more lying down.
    return out


def parts(board: str) -> list[Part]:  # noqa: PLR0915 - one list, read top to bottom
    if board not in BOARDS:
        raise ValueError(board)
    pico = board == "pico"
    p: list[Part] = []
    add = p.append
    # Power (docs/wiring.md, the power path). ESP32: pack (2-3 cells) -> fuse -> buck
    # (5 V: the DevKitC through D1, the relay) and boost (58 V rail); the op-amps on the
    # pack. Pico: one cell -> fuse -> Q7 (ideal diode) -> VSYS, so that GP29's VSYS/3
    # is the cell (SR-16); and the cell -> U7 (12 V) -> buck, rail boost and op-amps.
    vin = "V12" if pico else "VPACK"  # the buck's, the rail boost's and the op-amps' supply
    add(Part("J1", "Connector_Generic", "Conn_01x02", "PACK", FP_TERM2,
             "screw terminal, 5.08 mm, 13.5 A, 250 V", "Phoenix Contact 1729128",
             "CUI TB001-500-02BE", {"1": "VPACK_IN", "2": "GND"},
             role="battery pack: one protected Li-ion cell, 3.0-4.2 V" if pico else
             "battery pack: 2-3 Li-ion cells with a protection board, 6.0-12.6 V"))
    # The Pico build's cell gives up to about 1.2 A (3 W into U7 at 3.0 V, at U7's 85 %).
    amps = 2 if pico else 1
    add(Part("F1", "Device", "Fuse", f"{amps} A T", "Fuse:Fuseholder_Clip-5x20mm_Bel_FC-"
             "203-22_Lateral_P17.80x5.00mm_D1.17mm_Horizontal",
             f"5x20 mm glass, {amps} A slow, 250 V", f"Littelfuse 021800{amps}.MXP",
             f"Bel Fuse 5ST {amps}-R", {"1": "VPACK_IN", "2": "VPACK"}, role="pack fuse"))
    if pico:
        # Pololu U3V40F12 (pololu.com, U3V40Fx family, recalled: input 2.9 V up to the
        # output, 12 V fixed, an EN input that turns it off; off, it passes its input
        # through its inductor and diode). Its EN on the board's 3.3 V as U2's, below.
        add(Part("U7", "Connector_Generic", "Conn_01x04", "boost module 12 V", FP_HDR4,
                 "in 2.9-12 V (one cell), out 12 V, >= 0.3 A, enable input on at 3.3 V",
                 "Pololu U3V40F12", "Pololu U3V70F12 (the same, larger)",
                 {"1": "VPACK", "2": "GND", "3": "V12", "4": "V3V3"},
                 role="12 V from the cell: op-amps, relay buck, rail boost"))
    add(Part("U1", "Connector_Generic", "Conn_01x03", "buck module 5 V", FP_HDR3,
             "in 6-13 V, out 5 V 0.5 A", "Pololu D24V5F5", "Pololu D36V6F5",
             {"1": vin, "2": "GND", "3": "V5"},
             role="relay and buzzer supply" if pico else "MCU, relay and buzzer supply"))
    p.extend(rail_boost(vin))
    if pico:
        # The Pico datasheet's second power source (4.5, "powering Pico", figure: power
        # ORing using a P-channel MOSFET): gate on VBUS, so USB switches the cell off VSYS
        # and the Pico's own Schottky feeds VSYS from USB; the body diode (drain on the
        # cell) never lets USB charge the cell. DMG2305UX: V_GS(th) 0.9 V max, 100 mOhm
        # at V_GS -2.5 V (the same section); -20 V (Diodes DMG2305UX datasheet, product
        # summary: BV_DSS) and -4.2 A continuous at 25 C (DMG2305UXQ datasheet, maximum
        # ratings, steady state; Farnell 2543532 lists DMG2305UX the same). The
        # alternative, DMG3415U, switches VBUS and a cell the same way on a board derived
        # from Adafruit's HUZZAH32 (gliderthrow-meter.readthedocs.io, hardware design,
        # power supply).
        add(Part("Q7", "Device", "Q_PMOS_GSD", "DMG2305UX", FP_SOT23,
                 "P-MOSFET, -20 V, -4.2 A, V_GS(th) -0.9 V max, 100 mOhm at -2.5 V",
                 "Diodes DMG2305UX-7", "Diodes DMG3415U-7",
                 {"1": "VBUS", "2": "VSYS", "3": "VPACK"}, model="DMG2305UX",
                 role="ideal diode: the cell onto VSYS, off while USB is in"))
        add(R("R37", 100e3, "VBUS", "GND", "Q7 gate pull-down: on while USB is out"))
    else:
        # The DevKitC feeds its 5V pin from USB through its own Schottky (D3, BAT760,
        # Espressif's esp32_devkitc_v4 schematic): D1 here and D3 there make a diode OR,
        # so USB and the pack may both be connected and neither feeds the other.
        add(Part("D1", "Diode", "1N5819", "1N5819", FP_DO41, "Schottky, 40 V, 1 A",
                 "onsemi 1N5819RLG", "Vishay 1N5819-E3/54", {"1": "VSYS", "2": "V5"},
                 model="D1N5819", role="MCU supply, blocks USB back-feed"))
        # SR-17: USB power sensed where it enters the device. The DevKitC shows VBUS on
        # no header pin (its 5V pin is after D3, and our own supply reaches it too), so
        # USB comes in through J3, a panel micro-USB breakout, and a short cable from J3
        # to the DevKitC's own port; J3's VBUS is divided onto GPIO4 (docs/wiring.md).
        add(Part("J3", "Connector_Generic", "Conn_01x05", "USB micro-B breakout",
                 "Connector_PinHeader_2.54mm:PinHeader_1x05_P2.54mm_Vertical",
                 "USB 2.0 micro-B socket on a breakout, 5 pins: VBUS, D-, D+, ID, GND",
                 "SparkFun BOB-12035", "Adafruit 1833",
                 {"1": "USB_VBUS", "2": "NC", "3": "NC", "4": "NC", "5": "GND"},
                 role="the device's only USB port: a cable on to the DevKitC's (D-, D+)"))
        # Low resistances on purpose: with no cable, D3's reverse leakage (from our 5 V
        # on the 5V pin back into J3's VBUS) flows through them; 5.5 kOhm keeps the
        # pin under V_IL (0.825 V) up to 250 uA of it (30 uA in the SPICE model). USB
        # gives them 0.95 mA.
        add(R("R38", 2.2e3, "USB_VBUS", "USB_S", "USB sense divider (top)"))
        add(R("R39", 3.3e3, "USB_S", "GND", "USB sense divider (bottom): 0 without USB"))
        add(C("C13", 10e-9, "USB_S", "GND", 50, "USB sense filter"))
    # The current path: rail -> R_limit -> PTC -> Q1 -> relay -> trays -> relay -> Q2 -> R_sense.
    add(R("R1", 220, "RAIL", "RAIL_L", "R_limit",
          rating="flameproof metal oxide, 1 W, 5 %, 350 V", fp=FP_R1W, tol=0.05,
          mpn="Yageo FKN1WSJT-52-220R", alt="Vishay NFR25H series (fusible), 220 Ohm"))
    add(Part("F2", "Device", "Polyfuse", "PTC 50 mA", FP_CC,
             "hold 0.05 A, trip 0.10 A, 60 V max (the rail stays under 60 V)",
             "Bourns MF-R005", "Littelfuse 60R005XU", {"1": "RAIL_L", "2": "RAIL_P"},
             ohm=7.3, role="hardware current cap (resettable)"))
    add(Part("Q1", "Transistor_FET", "IRF9540N", "IRF9540N", FP_TO220,
             "P-MOSFET, -100 V, -23 A, VGS +-20 V", "Infineon IRF9540NPBF",
             "Vishay IRF9540PBF", {"1": "Q1_G", "2": "OUT_HI", "3": "RAIL_P"},
             model="IRF9540N", role="output switch (high side)"))
    add(R("R2", 10e3, "RAIL_P", "Q1_G", "Q1 gate-source: off by default"))
    add(Part("D2", "Device", "D_Zener", "15 V", FP_DO35, "Zener 15 V, 0.5 W, 5 %",
             "Nexperia BZX79-C15", "onsemi 1N5245B", {"1": "RAIL_P", "2": "Q1_G"},
             model="DZ15", role="Q1 gate clamp"))
    add(R("R3", 39e3, "Q1_G", "LS_D", "Q1 gate pull (level shifter): V_GS = -11.8 V"))
    add(Part("Q3", "Transistor_FET", "BSS123", "BSS123", FP_SOT23,
             "N-MOSFET, 100 V, 0.17 A, VGS +-20 V", "onsemi BSS123LT1G", "Diodes BSS123-7-F",
             {"1": "EN", "2": "LS_M", "3": "LS_D"}, model="BSS123",
             role="level shifter, on with enable"))
    add(Part("Q4", "Transistor_FET", "BSS123", "BSS123", FP_SOT23,
             "N-MOSFET, 100 V, 0.17 A, VGS +-20 V", "onsemi BSS123LT1G", "Diodes BSS123-7-F",
             {"1": "OK_G", "2": "GND", "3": "LS_M"}, model="BSS123",
             role="level shifter, on while not tripped"))
    add(R("R34", 1e6, "LS_M", "GND", "defines the node between Q3 and Q4 while both are off"))
    add(R("R4", 100e3, "OUT_HI", "GND", "bleeder: Q1's off-state leakage bypasses the trays"))
    add(Part("K1", "Relay", "G5V-2", "G5V-2-H1 DC5", "Relay_THT:Relay_DPDT_Omron_G5V-2",
             "DPDT, 5 V coil 166.7 Ohm, contacts 125 V DC max, 1 A", "Omron G5V-2-H1-DC5",
             "Omron G5V-2-DC5 (100 mA coil)",
             {"1": "V5", "16": "RLY_D", "4": "TRAY_A", "6": "OUT_HI", "8": "OUT_LO",
              "13": "TRAY_B", "11": "OUT_LO", "9": "OUT_HI"},
             model="G5V2H1", role="polarity relay (coil off: tray A +)"))
    add(Part("D3", "Diode", "1N4148", "1N4148", FP_DO35, "100 V, 0.2 A",
             "onsemi 1N4148", "Vishay 1N4148-TAP", {"1": "V5", "2": "RLY_D"},
             model="D1N4148", role="relay coil flyback"))
    add(Part("Q5", "Transistor_FET", "BSS123", "BSS123", FP_SOT23,
             "N-MOSFET, 100 V, 0.17 A, VGS +-20 V", "onsemi BSS123LT1G", "Diodes BSS123-7-F",
             {"1": "RELAY", "2": "GND", "3": "RLY_D"}, model="BSS123", role="relay driver"))
    add(Part("J2", "Connector_Generic", "Conn_01x02", "TRAYS", FP_TERM2,
             "screw terminal, 5.08 mm, 250 V", "Phoenix Contact 1729128",
             "CUI TB001-500-02BE", {"1": "TRAY_A", "2": "TRAY_B"}, role="tray leads A, B"))
    add(Part("Q2", "Device", "Q_NMOS_GDS", "IRL540N", FP_TO220,
             "logic-level N-MOSFET, 100 V, 36 A, VGS +-16 V; heatsink for 1.4 W",
             "Infineon IRL540NPBF", "Vishay IRL540PBF",
             {"1": "Q2_G", "2": "OUT_LO", "3": "SENSE"}, model="IRL540N", role="current sink"))
    add(R("R5", R_SENSE, "SENSE", "GND", "R_sense: I = V / R_sense"))
    # The set path: PWM -> RC -> buffer -> RC -> sink op-amp (two independent 2 ms poles).
    add(R("R6", 100e3, "SET_PWM", "GND", "pull-down: set 0 at reset"))
    add(R("R7", SET_R, "SET_PWM", "SET1", "set filter, stage 1"))
    add(C("C1", SET_C, "SET1", "GND", 63, "set filter, stage 1", kind="film", tol=0.05))
    add(R("R8", SET_R, "SET_B", "SET_F", "set filter, stage 2"))
    add(C("C2", SET_C, "SET_F", "GND", 63, "set filter, stage 2", kind="film", tol=0.05))
    add(Part("U3", "Amplifier_Operational", "LM358", "LM358", FP_DIP8,
             "dual op-amp, 3-32 V supply, inputs to 0 V", "TI LM358P", "onsemi LM358NG",
             {"3": "SET1", "2": "SET_B", "1": "SET_B", "5": "SET_F", "6": "SINK_FB",
              "7": "SINK_OUT", "4": "GND", "8": vin}, model="LM358",
             role="A: set buffer; B: sink"))
    add(R("R9", 100e3, "SENSE", "SINK_FB", "sink feedback"))
    add(C("C3", 33e-12, "SINK_OUT", "SINK_FB", 50, "sink loop compensation", tol=0.05))
    # While Q1 is off (enable low, tripped, or the board unpowered) LS_D is near the rail:
    # about 37 uA through R35 and D5 lift the sink's feedback 3.7 V over the sense node
    # (over a set stuck at 3.3 V), so the sink is off instead of wound up at its limit (a
    # spike at every enable, pulsed DC included). With Q1 on, LS_D is near 0 V and D5
    # blocks. The 37 uA reach R_sense: 0.04 mA read with the output off (SR-12: 0.1 mA).
    add(R("R35", 1.5e6, "LS_D", "OFF_INJ", "sink off while Q1 is off (with D5)"))
    add(Part("D5", "Diode", "1N4148", "1N4148", FP_DO35, "100 V, 0.2 A", "onsemi 1N4148",
             "Vishay 1N4148-TAP", {"1": "SINK_FB", "2": "OFF_INJ"}, model="D1N4148",
             role="sink off while Q1 is off"))
    add(R("R10", 220, "SINK_OUT", "Q2_G", "Q2 gate resistor"))
    add(C("C4", 100e-9, vin, "GND", 50, "U3 decoupling"))
    # The hardware trip: comparator -> NAND latch -> Q4 (output off by itself).
    add(R("R11", TRIP_TOP, "V3V3", "TRIP_REF", "trip reference"))
    add(R("R12", TRIP_BOT, "TRIP_REF", "GND", "trip reference"))
    add(C("C5", 100e-9, "TRIP_REF", "GND", 50, "trip reference filter"))
    add(R("R13", 1e3, "SENSE", "CMP_IN", "comparator input filter"))
    add(C("C6", 1e-9, "CMP_IN", "GND", 50, "comparator input filter (1 us)", tol=0.1))
    add(Part("U5", "Comparator", "LM393", "LM393", FP_DIP8,
             "dual comparator, open collector, 2-36 V", "TI LM393P", "onsemi LM393NG",
             {"2": "CMP_IN", "3": "TRIP_REF", "1": "CMP_N", "5": "OVP_REF", "6": "OVP_IN",
              "7": "Q9_G", "4": "GND", "8": vin}, model="LM393",
             role="A: trip comparator; B: rail over-voltage cut (ovp.py)"))
    add(R("R14", 10e3, "V3V3", "CMP_N", "comparator pull-up"))
    # The trip's test button (docs/bringup.md): pressed, R52 and R13 + R_sense make a
    # divider from 3V3, CMP_IN = 3.3 V x 1082 / 1182 = 3.02 V over the 2.87 V reference,
    # and the latch sets with the output off (the trip cannot be reached through the
    # output: the firmware stops at 25 mA). On the board, under the lid: pressed at the
    # bring-up, out of reach during a session. The same part as SW1-SW3, Omron B3F:
    # switching 1-50 mA at 5-24 V DC, contact resistance 100 mOhm max, insulation
    # 100 MOhm min (Omron B3F datasheet, characteristics); this one switches 2.8 mA at
    # 3.3 V, under the 5 V of that range: a contact that fails to close shows as no trip.
    add(R("R52", 100, "V3V3", "TRIP_TST", "trip test: 2.8 mA into CMP_IN while SW4 is held"))
    add(Part("SW4", "Switch", "SW_Push", "trip test",
             "Button_Switch_THT:SW_TH_Tactile_Omron_B3F-10xx", "momentary, 12 V 50 mA",
             "Omron B3F-1000", "TE FSM4JH", {"1": "TRIP_TST", "2": "CMP_IN"},
             role="trip test button (on the board, pressed at the bring-up)"))
    add(Part("U6", "74xx", "74HC00", "74HC00", FP_DIP14, "quad NAND, 2-6 V",
             "TI SN74HC00N", "Nexperia 74HC00N",
             {"1": "TRIP_RST", "2": "TRIP_RST", "3": "RST_N",
              "4": "CMP_N", "5": "LATCH_OK", "6": "TRIPPED",
              "9": "RST_N", "10": "TRIPPED", "8": "LATCH_OK",
              "12": "TRIPPED", "13": "TRIPPED", "11": "OK_G",
              "14": "V3V3", "7": "GND"}, model="HC00",
             role="A: reset inverter; B, C: trip latch; D: output (OK_G low = tripped)"))
    add(C("C7", 100e-9, "V3V3", "GND", 50, "U6 decoupling"))
    add(R("R15", 100e3, "EN", "GND", "pull-down: output off at reset"))
    add(R("R16", 100e3, "RELAY", "GND", "pull-down: normal polarity at reset"))
    add(R("R17", 100e3, "TRIP_RST", "GND", "pull-down: no reset at reset"))
    # Readings.
    rf = 49.9e3 if pico else 34.8e3
    ref = "GND" if pico else "DREF"
    add(R("R18", 1e6, "OUT_HI", "DIFF_P", "difference stage in (+)"))
    add(R("R19", rf, "DIFF_P", ref, "difference stage R_f (+)"))
    add(R("R20", 1e6, "OUT_LO", "DIFF_N", "difference stage in (-)"))
    add(R("R21", rf, "DIFF_N", "DIFF_OUT", "difference stage R_f (feedback)"))
    add(Part("U4", "Amplifier_Operational", "LM358", "LM358", FP_DIP8,
             "dual op-amp, 3-32 V supply, inputs to 0 V", "TI LM358P", "onsemi LM358NG",
             {"3": "DIFF_P", "2": "DIFF_N", "1": "DIFF_OUT", "5": "GND", "6": "U4B_OUT",
              "7": "U4B_OUT", "4": "GND", "8": vin}, model="LM358",
             role="A: electrode voltage; B: unused (follower at 0 V)"))
    add(C("C8", 100e-9, vin, "GND", 50, "U4, U5 decoupling"))
    # The difference stage's output must sink V_lo / 1 MOhm (up to about 55 uA) through
    # R_f; the LM358 sinks 12 uA min near 0 V (its class-B output): without this
    # pull-down its output stopped at 0.62 V in SPICE, so every electrode voltage under
    # about 12 V read as 12 V (a short would not show, SR-13). With it the op-amp only
    # sources (up to 3 V / 470 Ohm = 6.4 mA).
    add(R("R36", 470, "DIFF_OUT", "GND", "difference stage pull-down (class-B output)"))
    add(R("R22", 1e3, "DIFF_OUT", "ADC_V", "ADC pin series resistor"))
    add(C("C9", 10e-9, "ADC_V", "GND", 50, "ADC pin capacitor"))
    add(R("R23", 1e6, "RAIL", "ADC_R", "rail divider (top)"))
    add(R("R24", 52.3e3 if pico else 41.2e3, "ADC_R", "GND", "rail divider (bottom)"))
    add(C("C10", 10e-9, "ADC_R", "GND", 50, "ADC pin capacitor"))
    if pico:
        add(R("R25", 1e3, "SENSE", "ADC_I", "current reading filter"))
        add(C("C11", 1e-6, "ADC_I", "GND", 16, "current reading filter (1 ms)", tol=0.1))
    else:
        add(R("R25", 10e3, "SENSE", "ADC_I", "current reading (node)"))
        add(R("R26", 93.1e3, "V3V3", "ADC_I", "current reading bias (3V3)"))
        add(R("R27", 31.6e3, "ADC_I", "GND", "current reading (GND)"))
        add(C("C11", 150e-9, "ADC_I", "GND", 16, "current reading filter (1 ms)"))
        add(R("R28", 1.2e3, "V3V3", "DREF", "difference stage reference (254 mV)"))
        add(R("R29", 100, "DREF", "GND", "difference stage reference"))
        add(R("R30", 100e3, "VPACK", "ADC_B", "battery divider (top)"))
        add(R("R31", 20e3, "ADC_B", "GND", "battery divider (bottom)"))
        add(C("C12", 10e-9, "ADC_B", "GND", 50, "ADC pin capacitor"))
        add(R("R32", 330, "LED", "LED_A", "status LED"))
        add(Part("D4", "Device", "LED", "LED", "LED_THT:LED_D5.0mm", "5 mm, 20 mA",
                 "Kingbright WP7113ID", "Lite-On LTL-4221N", {"1": "GND", "2": "LED_A"},
                 role="status LED"))
    # Button, buzzer.
    add(Part("SW1", "Switch", "SW_Push", "button", "Button_Switch_THT:SW_PUSH_6mm",
             "momentary, 12 V 50 mA", "Omron B3F-1000", "TE FSM4JH",
             {"1": "BUTTON", "2": "GND"}, role="start/stop button (internal pull-up)"))
    for ref, net, what in (("SW2", "BTN_UP", "up"), ("SW3", "BTN_DOWN", "down")):
        add(Part(ref, "Switch", "SW_Push", what, "Button_Switch_THT:SW_PUSH_6mm",
                 "momentary, 12 V 50 mA", "Omron B3F-1000", "TE FSM4JH",
                 {"1": net, "2": "GND"}, role=f"current {what} button (optional)"))
    add(Part("BZ1", "Device", "Buzzer", "active buzzer 5 V",
             "Buzzer_Beeper:Buzzer_12x9.5RM7.6", "active (own oscillator), 5 V, 30 mA",
             "CUI CEM-1205C", "any 12 mm 5 V buzzer with its own oscillator (active)",
             {"2": "V5", "1": "BZ_D"}, role="buzzer (optional)"))
    add(Part("Q6", "Transistor_FET", "BSS123", "BSS123", FP_SOT23,
             "N-MOSFET, 100 V, 0.17 A, VGS +-20 V", "onsemi BSS123LT1G", "Diodes BSS123-7-F",
             {"1": "BUZZ", "2": "GND", "3": "BZ_D"}, model="BSS123", role="buzzer driver"))
    add(R("R33", 100e3, "BUZZ", "GND", "pull-down: buzzer off at reset"))
    p.extend(mcu_parts(board, WIRING[board]))
    return p


# Nets with a source the netlist does not show as a driver (a module's output, the pack).
POWER_NETS = ("GND", "VPACK", "V5", "VSYS", "RAIL", "V12", "USB_VBUS")


def part(board: str, ref: str) -> Part:
    for x in parts(board):
        if x.ref == ref:
            return x
    raise KeyError(ref)


def nets(board: str) -> dict[str, list[tuple[str, str]]]:
    """net -> [(ref, pin)]"""
    out: dict[str, list[tuple[str, str]]] = {}
    for x in parts(board):
        for pin, net in x.pins.items():
            if net != "NC":
                out.setdefault(net, []).append((x.ref, pin))
    return out


def _between(board: str, a: str, b: str) -> float:
    """The one resistor between nets a and b."""
    found = [x.ohm for x in parts(board) if x.symbol == "R" and set(x.pins.values()) == {a, b}]
    if len(found) != 1:
        raise ValueError(f"{board}: {len(found)} resistors between {a} and {b}")
    return float(found[0])  # type: ignore[arg-type]


def _divider(board: str, node: str, pin: str, v3v3_mv: float) -> tuple[float, float]:
    """ratio (pin / node) and bias (mV at the pin at node = 0) of a resistor network
    at the ADC pin: from the node, from 3V3, to GND (each optional)."""
    g = {"node": 0.0, "v3": 0.0, "gnd": 0.0}
    for x in parts(board):
        if x.symbol != "R" or pin not in x.pins.values():
            continue
        other = [n for n in x.pins.values() if n != pin][0]
        key = {node: "node", "V3V3": "v3", "GND": "gnd"}[other]
        g[key] += 1 / float(x.ohm)  # type: ignore[arg-type]
    total = sum(g.values())
    if g["gnd"] == 0 and g["v3"] == 0:  # a series resistor only: the pin follows the node
        return 1.0, 0.0
    return g["node"] / total, g["v3"] / total * v3v3_mv


def analog(board: str, adc_ref_mv: float = 3300) -> dict[str, float]:
    """The board-file fields that follow from the parts (same names and units)."""
    out: dict[str, float] = {}
    out["current_sense_ohm"] = _between(board, "SENSE", "GND")
    ratio, bias = _divider(board, "SENSE", "ADC_I", adc_ref_mv)
    out["current_div_ppm"], out["current_bias_mv"] = ratio * 1e6, bias
    r_in = _between(board, "OUT_HI", "DIFF_P")
    assert r_in == _between(board, "OUT_LO", "DIFF_N"), "difference stage: unequal inputs"
    r_f = _between(board, "DIFF_N", "DIFF_OUT")
    if board == "pico":
        assert r_f == _between(board, "DIFF_P", "GND")
        out["voltage_bias_mv"] = 0.0
    else:
        assert r_f == _between(board, "DIFF_P", "DREF")
        top, bot = _between(board, "V3V3", "DREF"), _between(board, "DREF", "GND")
        out["voltage_bias_mv"] = adc_ref_mv * bot / (top + bot)
        r_f += top * bot / (top + bot)  # the reference's source resistance adds to R_f
    out["voltage_div_ppm"] = r_f / r_in * 1e6
    out["rail_div_ppm"] = _divider(board, "RAIL", "ADC_R", adc_ref_mv)[0] * 1e6
    if board != "pico":
        out["battery_div_ppm"] = _divider(board, "VPACK", "ADC_B", adc_ref_mv)[0] * 1e6
    taus = []
    for r_net, c_net in (("SET1", "SET1"), ("SET_F", "SET_F")):
        rr = [x.ohm for x in parts(board) if x.symbol == "R" and r_net in x.pins.values()
              and "GND" not in x.pins.values()]
        cc = [x.farad for x in parts(board) if x.symbol == "C" and c_net in x.pins.values()]
        assert len(rr) == 1 and len(cc) == 1, (r_net, rr, cc)
        taus.append(float(rr[0]) * float(cc[0]) * 1e3)  # type: ignore[arg-type]
    assert abs(taus[0] - taus[1]) < 1e-9, "the two set-filter stages differ"
    out["set_filter_ms"] = taus[0]
    top, bot = _between(board, "V3V3", "TRIP_REF"), _between(board, "TRIP_REF", "GND")
    out["hw_cap_ua"] = adc_ref_mv * bot / (top + bot) / out["current_sense_ohm"] * 1000
    out["rail_mv"] = RAIL_V * 1000
    return out


def trip_tolerance(board: str) -> float:
    """Worst-case relative error of the trip level from the parts' tolerances, the 3V3
    supply (+-3 %, an estimate: the Pico's and the DevKitC's regulators are not
    specified here) and the LM393's offset (5 mV max at 25 C, ST LM393 datasheet
    table 3)."""
    rs = part(board, "R5").tol or 0
    top, bot = part(board, "R11").tol or 0, part(board, "R12").tol or 0
    v_ref = analog(board)["hw_cap_ua"] * R_SENSE / 1e6
    return rs + top + bot + 0.03 + 0.005 / v_ref
