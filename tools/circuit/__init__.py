"""The reference circuit as data (design.py): one source for the KiCad netlist and its
electrical rules check (kicad.py, SKiDL), the SPICE runs (spice.py, ngspice), the parts
list and the board files' analog constants (host_tests/test_circuit_*.py)."""
