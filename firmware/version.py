# The firmware's version: the console's status and package.json. A module of
# its own, loaded by the console only: not a byte of the loop's heap (M8).
VERSION = "0.1.0"
