"""The parts that are not in the circuit: the board, the enclosure and its insulation,
the trays and electrodes, the pack and its charger, wire, and what the bring-up and
the calibration need on the bench. One source for the order lists (order.py,
hardware/order_<board>.csv) and docs/build.md's choices.

Each item names a manufacturer part number where the item is a product, or a material
and its size where it is cut or bought by the metre (`mpn` then starts with
"material:"). Prices are in prices.py's form, with the same honesty: `estimate=True`
where no public price was looked up.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.circuit.prices import Price, estimate
from tools.circuit.stripboard import COLS, PITCH_MM, ROWS

BOTH = ("pico", "esp32_devkitc")

# --- what the enclosure holds, in mm. host_tests/test_enclosure_fit.py lays each build's
# stripboard (ROWS strips x COLS holes at PITCH_MM: 99.1 x 218.4 mm) out with these and
# fails when ENCLOSURE_INSIDE_MM is too small for it. The board lies along the box,
# MARGIN_MM from each end wall and CORNER_MM from one long wall, on its standoffs over the
# sheet, with MARGIN_MM under the lid; beside it, MARGIN_MM away, the pack stands on its
# long edge against the other long wall, and the tray leads' gland goes through that wall.
# The relay, the fuse clips and the modules (U1, and U7: the U3V40F12) are on the board,
# under TALLEST_MM. The allowances are this project's, not makers' figures: measure the
# parts you buy against them.
ENCLOSURE_INSIDE_MM = (231.0, 146.0, 80.0)  # length, width, height: the enclosure's `why`
MARGIN_MM = 5.0  # the board clear of the end walls, of the pack and of the lid
CORNER_MM = 15.0  # allowance: the bosses of the lid's screws in the box's corners
SHEET_MM = 0.5  # the insulating sheet on the floor (insulating_sheet)
STANDOFF_MM = 10.0  # the board's standoffs (standoffs)
BOARD_MM = 1.6  # allowance: the stripboard's thickness (FR2 and FR4 boards are 1.5-1.6 mm)
TALLEST_MM = 30.0  # allowance: the tallest part over the board (Q2 on its clip-on heatsink,
# the 10 mm electrolytics, the Pico or the DevKitC in its sockets)
LID_PARTS_MM = 15.0  # allowance: the buttons and the LED under the lid, over the tallest part
GLAND_MM = (20.0, 20.0)  # allowance: into the box (body, locknut, the leads' bend), along it
PACK_MM = {  # allowance: length, height stood on its long edge, thickness
    "pico": (75.0, 55.0, 22.0),  # a flat 2500 mAh LiPo (pack_1s), or two 18650s (its alt)
    "esp32_devkitc": (75.0, 40.0, 22.0),  # two 18650 cells side by side (pack_2s)
}


@dataclass(frozen=True)
class Item:
    key: str  # a short name, unique
    what: str
    qty: int
    rating: str
    mpn: str
    alt: str
    price: Price  # per unit
    builds: tuple[str, ...] = BOTH
    why: str = ""


ITEMS: tuple[Item, ...] = (
    # --- the microcontroller board itself (the sockets A1, A2 are circuit parts) ---
    Item("mcu_pico", "Raspberry Pi Pico (RP2040), with no headers soldered", 1,
         "1.8-5.5 V on VSYS (Pico datasheet, section 4.5, power)",
         "Raspberry Pi SC0915", "Raspberry Pi Pico H (SC0917, headers fitted)",
         Price(4.00, "Raspberry Pi list price (approved resellers)", "2026-12-06",
               "https://vimarsana.com/amparticle/raspberry-pi-pico-w-is-a-6-wireless-"
               "enabled-microcontroller-for-iot-projects-2022063023981 (\"a $4 "
               "microcontroller\")", estimate=False),
         builds=("pico",)),
    Item("mcu_esp32", "ESP32-DevKitC V4 (ESP32-WROOM-32E module)", 1,
         "5 V on its 5V pin, 3.3 V regulator on board (Espressif DevKitC V4 user guide)",
         "Espressif ESP32-DEVKITC-32E", "Espressif ESP32-DEVKITC-32UE (external antenna)",
         estimate(10.00), builds=("esp32_devkitc",)),
    # --- assembly ---
    Item("stripboard", f"stripboard, {PITCH_MM} mm pitch, {ROWS} strips x {COLS} holes "
         f"({ROWS * PITCH_MM:.1f} x {COLS * PITCH_MM:.1f} mm), the strips along its length",
         1, "paper (FR2) or epoxy (FR4) board, copper strips",
         f"material: {PITCH_MM} mm stripboard with the strips along its long side: a 100 x "
         f"220 mm board is just enough ({ROWS} x {COLS} holes take {ROWS * PITCH_MM:.1f} x "
         f"{COLS * PITCH_MM:.1f} mm of it), or cut one from a longer board, e.g. 100 x 500 mm",
         "a PCB from the KiCad netlist (hardware/ionto_<board>.net)", estimate(9.00)),
    Item("dip8_socket", "DIP-8 IC socket (U2 on its adapter, U3, U4, U5)", 4,
         "2.54 mm, 7.62 mm rows",
         "TE Connectivity 1-2199298-2", "Mill-Max 110-44-308-41-001000", estimate(0.30)),
    Item("dip14_socket", "DIP-14 IC socket (U6)", 1, "2.54 mm, 7.62 mm rows",
         "TE Connectivity 1-2199298-3", "Mill-Max 110-44-314-41-001000", estimate(0.35)),
    Item("soic8_adapter", "SOIC-8 to DIP-8 adapter board (U2: LM3478MA), with its two "
         "1 x 4 pin rows", 1, "8 pins at 2.54 mm, rows 7.62 mm apart",
         "Adafruit 1212 (SMT breakout PCB for SOIC-8, sold in a pack; number as recalled)",
         "any SOIC-8 to DIP-8 adapter", estimate(1.50),
         why="the LM3478 comes in SOIC-8 or VSSOP-8 only"),
    Item("sot23_adapter", "SOT-23 to 2.54 mm adapter board (Q3, Q4, Q5, Q6, Q9: BSS123; "
         "U8: LM4040)", 6,
         "3 pins at 2.54 mm", "Adafruit 1230 (SOT-23 breakout, one of a pack of 6)",
         "any SOT-23 to SIP-3 adapter", estimate(1.00),
         why="the BSS123 and the LM4040A20 exist in SOT-23 (TI's LM4040 also in SC70); "
             "the SPICE runs model these parts"),
    Item("heatsink", "TO-220 clip-on heatsink for Q2 (1.4 W, circuit.md)", 1,
         "about 20 K/W", "Aavid 577202B00000G", "Fischer Elektronik FK 237 SA 220",
         estimate(0.90)),
    Item("fuse_clips", "5 x 20 mm fuse clips for F1", 2, "PCB clip, 5 x 20 mm fuse",
         "Bel Fuse FC-203-22", "Keystone 3517", estimate(0.30)),
    Item("header_strip", "pin header strip, 1 x 40, 2.54 mm (U1, U7 modules' pins)", 1,
         "2.54 mm", "Sullins PRPC040SAAN-RC", "Samtec TSW-140-07-T-S",
         estimate(0.80)),
    Item("hookup_wire", "hook-up wire for the board's links, solid, 0.6 mm (22 AWG), 5 m",
         1, "PVC, 300 V", "Alpha Wire 3051 (22 AWG solid)", "any 22 AWG solid, >= 100 V",
         estimate(6.00)),
    # --- enclosure and insulation (the rail stays under 60 V DC) ---
    Item("enclosure", "enclosure, polycarbonate, grey, with its lid; the board on standoffs "
         "inside, the pack beside it (docs/build.md)", 1,
         "inside about {:.0f} x {:.0f} x {:.0f} mm (an estimate: check Hammond's drawing); "
         "polycarbonate, up to UL 94-5VA; nothing metal reaches the circuit".format(
             *ENCLOSURE_INSIDE_MM),
         "Hammond 1554V2GY", "Hammond 1554VA2GY (the same nominal 240 x 160 x 90 mm)",
         estimate(44.00),
         why=f"The board ({ROWS * PITCH_MM:.1f} x {COLS * PITCH_MM:.1f} mm) does not fit "
             "the 1591E listed before (inside 170 x 110 x 50 mm). Outside 240 x 160 x 90 mm "
             "nominal, as public build notes quote Hammond's part page (hammfg.com/part/"
             "1554VA2GY), not read here. No Hammond or distributor page giving the inside "
             "was retrieved: the inside is an estimate, the floor 231 x 146 mm from a public "
             "CAD fit study of Hammond's own 1554V STEP model (its walls are further out at "
             "the board's height), the height 90 mm less 2 x 5 mm. Check Hammond's drawing "
             "(hammfg.com/files/parts/pdf/1554V2GY.pdf) before you order: the length is the "
             f"tight one ({(ENCLOSURE_INSIDE_MM[0] - COLS * PITCH_MM) / 2:.1f} mm each end). "
             "Flame rating: the 1554/1555 series' polycarbonate is rated up to UL94-5VA "
             "(doclrogers.com/org/Hammond-Manufacturing). Price: an estimate; the same "
             "notes quote AutomationDirect at 43.50 USD for the 1554VA2GY"),
    Item("standoffs", "nylon standoffs M3 x 10 mm with nylon screws", 4,
         "polyamide, insulating", "Keystone 4901 (nylon standoff)", "Harwin R30-6611094",
         estimate(0.40)),
    Item("insulating_sheet", "polycarbonate or polyester sheet under the board, 0.5 mm",
         1, "insulating film between the solder side and the box",
         "material: polycarbonate sheet 0.5 mm, cut to the board", "polyester (Mylar) "
         "film 0.25 mm", estimate(3.00)),
    Item("cable_gland", "cable gland for the tray leads, M12 or PG7, nylon", 1,
         "IP68 nylon, cable 3-6.5 mm", "Lapp SKINTOP ST-M 12x1.5 (53111000)",
         "Hammond 1427NC7 (PG7)", estimate(1.50)),
    Item("heatshrink", "heat-shrink sleeving, 3:1 with adhesive, assorted", 1,
         "polyolefin, 600 V", "3M EPS-300 assortment", "TE DWP-125 assortment",
         estimate(6.00)),
    # --- trays, electrodes, leads ---
    Item("trays", "tray, polypropylene, for a hand or a foot in 1-2 cm of water", 2,
         "plastic, no metal; about 35 x 25 x 9 cm", "Really Useful Box 4 litre",
         "any polypropylene tub of that size", estimate(6.00)),
    Item("electrodes", "electrode plate, stainless steel 316 (1.4401), 150 x 100 x 1 mm, "
         "one M4 hole in a corner", 2, "316 resists the salt water's corrosion",
         "material: stainless steel 316 sheet, 1 mm, cut to 150 x 100 mm",
         "conductive silicone rubber electrode of the same size", estimate(9.00)),
    Item("electrode_cover", "sponge cloth over each electrode, so skin never touches "
         "metal", 2, "cellulose/cotton, soaked", "Spontex sponge cloth (pack)",
         "a folded cotton cloth", estimate(1.50)),
    Item("electrode_hardware", "M4 x 10 stainless (A4) screw, nut and washers, with a "
         "ring terminal, per electrode", 2, "A4 = 316 stainless",
         "material: A4 stainless M4 screw, nut, 2 washers; TE 34108 ring terminal",
         "Keystone 8016 ring terminal", estimate(1.20)),
    Item("tray_leads", "tray lead wire, flexible stranded, 20 AWG, 2 x 1.5 m", 1,
         "PVC, 300 V", "Alpha Wire 3053 (20 AWG stranded)",
         "any stranded 20 AWG lead rated >= 100 V", estimate(6.00)),
    # --- the packs and their chargers (charged out of the device) ---
    Item("pack_1s", "Li-ion/LiPo cell 3.7 V with a protection circuit (over-charge, "
         "over-discharge, short circuit), bare or JST leads to J1", 1,
         "3.0-4.2 V; must give the build's 1.2 A peak (design.py, F1's comment): check "
         "the cell's discharge rating", "Adafruit 328 (3.7 V 2500 mAh LiPo, protection "
         "circuit)", "Adafruit 354 (3.7 V 4400 mAh Li-ion pack, protection circuit)",
         estimate(15.00), builds=("pico",)),
    Item("charger_1s", "charger for the one-cell pack, from USB (charge the pack out of "
         "the device: never charge while a person is connected)", 1,
         "one Li-ion/LiPo cell, CC/CV to 4.2 V", "Adafruit 259 (USB LiIon/LiPoly charger)",
         "any one-cell Li-ion charger with CC/CV to 4.2 V", estimate(7.00),
         builds=("pico",)),
    Item("usb_pigtail", "a short USB cable with a micro-B plug, cut to about 10 cm: from "
         "J3's D-, D+ and GND to the DevKitC's own USB port (docs/wiring.md)", 1,
         "USB 2.0", "material: a USB cable with a micro-B plug",
         "a micro-B plug with solder tails", estimate(3.00), builds=("esp32_devkitc",)),
    Item("pack_2s", "Li-ion pack 2S1P (7.4 V nominal, 8.4 V full), 18650 cells, with a "
         "protection board (over-charge, over-discharge, short circuit)", 1,
         "6.0-8.4 V, >= 2 A discharge", "Tenergy 31003 (7.4 V 2200 mAh, PCM)",
         "any 2S 18650 pack with a protection board and bare leads", estimate(22.00),
         builds=("esp32_devkitc",)),
    Item("charger_2s", "charger for the 2S pack (charge the pack out of the device: "
         "never charge while a person is connected)", 1, "2S Li-ion, CC/CV to 8.4 V",
         "Tenergy TN267 (2S 7.4 V Li-ion smart charger)",
         "any 2S Li-ion charger with balance/CC-CV", estimate(15.00),
         builds=("esp32_devkitc",)),
    # --- on the bench (bring-up and calibration, docs/bringup.md) ---
    Item("bench_resistor", "bench resistor 1 kOhm 1 W (bring-up and calibration)", 1,
         "1 W, 5 %, 350 V", "Yageo FKN1WSJT-52-1K", "Vishay PR01000101001JR500",
         estimate(0.30)),
    Item("test_lead", "100 Ohm 0.25 W resistor and a test hook (the trip step of the "
         "bring-up)", 1, "0.25 W", "Yageo MFR-25FBF52-100R with Pomona 5243 hook",
         "any 100 Ohm 0.25 W resistor with an IC clip", estimate(3.50)),
)


def items(board: str) -> list[Item]:
    return [x for x in ITEMS if board in x.builds]
