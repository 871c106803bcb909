# Fault matrix (host_tests/device/fault_matrix.py, issue 14): the loop hangs in a session
# and the person holds the button on through the watchdog's reset (SR-3), so the board
# boots into safe mode (SR-20: no app, no current). SR-4 holds there too: safe mode shows
# the reset as fault 7 and journals the cut session, once (main.py, firmware/safe_mode.py,
# firmware/startup.py after_reset); the next power-up starts the app with no second record.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f73_a_hang_with_the_button_held_through_the_reset_is_shown_and_journaled_in_safe_mode():
    # SR-4, SR-20 (SR-3, S11)
    check("F73", 273)
