# Fault matrix (host_tests/device/fault_matrix.py, issue 6): contact (S5, S6), USB power (S13),
# corrupt files (S15) and the button (S14).
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f25_contact_lost_in_the_reversal_pauses():
    # SR-10, SR-11
    check("F25", 225)


def test_f26_hand_lifted_pauses_and_ramps_from_zero():
    # SR-10 (S5)
    check("F26", 226)


def test_f27_hand_pressed_holds_the_current():
    # SR-8, SR-14 (S6)
    check("F27", 227)


def test_f28_usb_plugged_in_ramps_down_and_refuses():
    # SR-17
    check("F28", 228)


def test_f29_usb_present_refuses_the_start():
    # SR-17 (S13)
    check("F29", 229)


def test_f30_corrupt_files_refuse_the_start_as_uncalibrated():
    # SR-19 (S15)
    check("F30", 230)


def test_f31_button_held_at_power_up_is_safe_mode():
    # SR-20 (S14)
    check("F31", 231)


def test_f32_button_stuck_in_treatment_stops_gently():
    # SR-20, SR-8 (S14)
    check("F32", 232)
