# Fault matrix (host_tests/device/fault_matrix.py): SR-12's frozen readings in
# every output state (issue 14 D2): the current at a steady set point (S8-like),
# at the probe, in the user's pause and in the ramp down; the voltage in
# treatment and at the probe. Each is cut within 500 ms with fault 8 (frozen).
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f80_current_frozen_at_a_steady_set_point_latches_frozen():
    # SR-12 (issue 14 D2)
    check("F80", 280)


def test_f81_current_frozen_as_the_probe_starts_latches_frozen():
    # SR-12, SR-9 (issue 14 D2): frozen at the floor while the electrodes show
    # a hand: the probe-level dead-channel check, within 500 ms
    check("F81", 281)


def test_f82_current_frozen_in_the_users_pause_latches_frozen():
    # SR-12 (issue 14 D2)
    check("F82", 282)


def test_f83_current_frozen_in_the_ramp_down_latches_frozen():
    # SR-12 (issue 14 D2)
    check("F83", 283)


def test_f84_voltage_frozen_in_treatment_latches_frozen():
    # SR-12 (issue 14 D2)
    check("F84", 284)


def test_f85_voltage_frozen_as_the_probe_starts_latches_frozen():
    # SR-12 (issue 14 D2), SR-13: frozen at the floor, the probe's current
    # reads as a short whose code never moves: frozen, within 500 ms
    check("F85", 285)
