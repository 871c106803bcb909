# S13 (measures.md) through the whole firmware: USB power present (SR-17:
# refused, its code on the LED). No session: no journal record, no current.
from scenario_support import run


def test_s13_usb_power_refuses_with_no_record_and_no_current():
    seen = {}
    b, recs = run("S13", 67, seen_at=(8.0, seen))
    assert recs == []
    assert b.circuit.max_i_ua == 0
    # Refused with its own code (3, usb), shown by the LED until the next start.
    assert (seen["state"], seen["fault"], seen["refusal"]) == (0, 0, 3), seen
