"""Write hardware/ from tools/circuit/design.py: the parts lists, the order lists with
their prices (order.py), the stripboard layouts and their figures (stripboard.py) and,
through SKiDL (its ERC must be clean), the KiCad netlists.

    .venv/bin/python -m tools.circuit

host_tests/test_circuit_erc.py fails when the committed files differ from what this
writes. SKiDL writes log files into its working directory: each run gets a scratch one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from tools.circuit import bom, design, order, stripboard


def main() -> int:
    bom.main()
    order.main()
    stripboard.main()
    env = dict(os.environ, PYTHONPATH=str(bom.ROOT))
    for board in design.BOARDS:
        with tempfile.TemporaryDirectory(prefix="ionto-skidl-") as tmp:
            r = subprocess.run([sys.executable, "-m", "tools.circuit.kicad", board,
                                str(bom.ROOT / "hardware")], cwd=tmp, env=env,
                               capture_output=True, text=True)
        result = [x for x in r.stdout.splitlines() if x.startswith("{")]
        print(f"hardware/ionto_{board}.net: ERC {result[-1] if result else r.stderr[-2000:]}")
        if r.returncode != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
