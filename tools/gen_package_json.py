"""Write package.json, the mip manifest, from the device file list.

`mpremote mip install --target / github:OWNER/REPO` (or a local path to this
file) copies every device file to the same path on the board.
"""

from __future__ import annotations

import json
import sys

from firmware.version import VERSION  # one version: the firmware's
from tools.device_files import ROOT, device_files


def manifest() -> str:
    urls = [[f, f] for f in device_files()]
    return json.dumps({"urls": urls, "deps": [], "version": VERSION}, indent=2) + "\n"


def main(argv: list[str]) -> int:
    path = ROOT / "package.json"
    text = manifest()
    if "--check" in argv:
        if not path.is_file() or path.read_text() != text:
            print("package.json is out of date: run `make package.json`")
            return 1
        return 0
    path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
