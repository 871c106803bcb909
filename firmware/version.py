# The firmware's version, and the host tools' (pyproject.toml reads it: one version).
# A module of its own, loaded by the console only: not a byte of the loop's heap (M8).
VERSION = "0.1.0"
