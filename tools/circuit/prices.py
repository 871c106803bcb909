"""Unit prices of the circuit's parts, by manufacturer part number (design.py's `mpn`).

A price either comes from a public page (`where`, `date` it was read, `source`) or is
an **estimate** (`estimate=True`): a typical single-unit distributor price for the
part's kind, written without a page to cite. order.py adds them up and keeps the two
apart, so docs/build.md can say how much of the total is looked up and how much is
guessed. host_tests/test_order.py fails when a circuit part has no price here or a
price here no longer belongs to a part.

Prices in US dollars, one unit (no quantity break).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    usd: float
    where: str
    date: str  # ISO date the page was read; "" for an estimate
    source: str
    estimate: bool


def estimate(usd: float) -> Price:
    return Price(usd, "estimate", "", "not looked up: a typical single-unit distributor "
                 "price for this kind of part", estimate=True)


# Parts priced alike by series: the MPN's prefix.
SERIES: dict[str, Price] = {
    "Yageo MFR-25FBF52-": estimate(0.10),
    "TDK FG28": estimate(0.30),
}

PRICES: dict[str, Price] = {
    "Phoenix Contact 1729128": estimate(0.90),
    "Littelfuse 0218001.MXP": estimate(0.45),
    "Pololu D24V5F5": estimate(4.95),
    "onsemi 1N5819RLG": estimate(0.35),
    "Yageo FKN1WSJT-52-220R": estimate(0.30),
    "Bourns MF-R005": estimate(0.45),
    "Infineon IRF9540NPBF": estimate(1.60),
    "Nexperia BZX79-C15": estimate(0.15),
    "onsemi BSS123LT1G": estimate(0.20),
    "Omron G5V-2-H1-DC5": estimate(3.50),
    "onsemi 1N4148": estimate(0.10),
    "Infineon IRL540NPBF": estimate(1.90),
    "WIMA MKS2C031001A00JSSD": estimate(0.40),
    "TI LM358P": estimate(0.45),
    "TI LM393P": estimate(0.45),
    "TI SN74HC00N": estimate(0.60),
    "Kingbright WP7113ID": estimate(0.25),
    "Omron B3F-1000": estimate(0.30),
    "CUI CEM-1205C": estimate(1.60),
    "Sullins PPTC201LFBN-RC": estimate(1.10),
    "Sullins PPTC191LFBN-RC": estimate(1.05),
    # the power paths (SR-16, SR-17)
    "Littelfuse 0218002.MXP": estimate(0.45),
    "Pololu U3V40F12": estimate(9.95),
    "Diodes DMG2305UX-7": estimate(0.40),
    "SparkFun BOB-12035": estimate(3.95),
    # the rail boost U2 (design.rail_boost)
    "TI LM3478MA/NOPB": estimate(1.90),
    "Bourns SRU1028-470Y": estimate(0.60),
    "Vishay LVR01R0400FE12": estimate(0.70),
    "onsemi MBR1100RLG": estimate(0.40),
    "Nichicon UPW2A470MPD": estimate(0.45),
    "Nichicon UPW1E101MED": estimate(0.25),
    "Vishay Dale CMF55126K00BEEK": estimate(0.90),
    "Vishay Dale CMF552K8000BEEK": estimate(0.90),
    "Nexperia BZX79-C5V1": estimate(0.15),
    # the rail's over-voltage cut (design.rail_ovp)
    "Vishay Dale CMF55284K00BEEK": estimate(0.90),
    "Vishay Dale CMF5510K000BEEK": estimate(0.90),
    "TI LM4040A20IDBZR": estimate(1.20),
}


def price(mpn: str) -> Price:
    if mpn in PRICES:
        return PRICES[mpn]
    for prefix, p in SERIES.items():
        if mpn.startswith(prefix):
            return p
    raise KeyError(f"no price for {mpn!r} (tools/circuit/prices.py)")
