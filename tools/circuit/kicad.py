"""The reference circuit (design.py) as a SKiDL circuit: KiCad's electrical rules check
and a KiCad netlist (`.net`, the format KiCad's PCB editor imports).

    python -m tools.circuit.kicad pico OUTDIR [--fault outputs]

prints a JSON line {"errors": n, "warnings": n, "messages": [...]} and writes
OUTDIR/ionto_<board>.net; it exits 1 when the ERC reports an error or a warning.
SKiDL writes its log files into the working directory: run it from a scratch
directory (the tests and `python -m tools.circuit` do). Symbols come from Debian's
kicad-symbols (/usr/share/kicad/symbols, KiCad 6).

--fault outputs ties two op-amp outputs together (the ERC control case: an error the
check must report).
"""

from __future__ import annotations

import builtins
import json
import logging
import os
import re
import sys
from pathlib import Path

SYMBOLS = Path(os.environ.get("KICAD6_SYMBOL_DIR", "/usr/share/kicad/symbols"))


def build(board: str, fault: str | None = None):
    for v in ("KICAD_SYMBOL_DIR", *(f"KICAD{n}_SYMBOL_DIR" for n in range(6, 11))):
        os.environ.setdefault(v, str(SYMBOLS))  # else SKiDL warns once per version
    import skidl

    from tools.circuit import design

    skidl.set_default_tool(skidl.KICAD6)
    skidl.lib_search_paths[skidl.KICAD6].append(str(SYMBOLS))
    nets: dict[str, skidl.Net] = {}

    def net(name: str):
        if name not in nets:
            nets[name] = skidl.Net(name)
            if name in design.POWER_NETS:
                nets[name].drive = skidl.POWER  # a module's output: KiCad's PWR_FLAG
        return nets[name]

    for p in design.parts(board):
        if p.lib:
            sk = skidl.Part(p.lib, p.symbol, value=p.value, footprint=p.footprint, ref=p.ref,
                            tag=p.ref)
        else:  # a board's socket: its pin names and directions from design.py
            pins = [skidl.Pin(num=n, name=name, func=getattr(skidl.Pin.funcs, func))
                    for n, (name, func) in p.pin_names.items()]
            sk = skidl.Part(tool=skidl.SKIDL, name=p.symbol.replace(" ", "_"), ref_prefix="A",
                            value=p.value, footprint=p.footprint, pins=pins, ref=p.ref,
                            tag=p.ref, dest=skidl.NETLIST)
        sk.fields["MPN"] = p.mpn
        sk.fields["Rating"] = p.rating
        for pin, name in p.pins.items():
            if name == "NC":
                sk[pin] += builtins.NC  # type: ignore[attr-defined]  # SKiDL puts it there
            else:
                net(name).connect(sk[pin])
    if fault == "outputs":  # two op-amp outputs on one net: an ERC error
        net("SET_B").connect(net("DIFF_OUT"))
    elif fault is not None:
        raise ValueError(fault)
    return skidl


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def main(argv: list[str]) -> int:
    board, out = argv[0], Path(argv[1])
    fault = argv[3] if len(argv) > 3 and argv[2] == "--fault" else None
    skidl = build(board, fault)
    from skidl.logger import erc_logger

    collect = _Collect()
    erc_logger.addHandler(collect)
    skidl.ERC()
    result = {"errors": erc_logger.error.count, "warnings": erc_logger.warning.count,
              "messages": collect.messages}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"ionto_{board}.net"
    skidl.generate_netlist(file_=str(path))
    # The same input gives the same file: no date, no source path.
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'\(date "[^"]*"\)', '(date "")', text)
    text = re.sub(r'\(source "[^"]*"\)', '(source "tools/circuit/design.py")', text)
    # and no line number of this file (SKiDL's "SKiDL Line" field of each part)
    text = re.sub(r'\(name "SKiDL Line"\) "[^"]*"', '(name "SKiDL Line") ""', text)
    path.write_text(text, encoding="utf-8")
    print(json.dumps(result))
    return 1 if fault is None and (result["errors"] or result["warnings"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
