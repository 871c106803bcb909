# `python -m ionto` when installed (and `python -m tools.launcher` in a clone).
import sys

from . import main

sys.exit(main())
