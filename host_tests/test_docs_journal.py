"""docs/journal.md matches firmware/journal.py: the field table is the record the
firmware writes, and the documented trace decoder reads a trace the firmware saved."""

from __future__ import annotations

from pathlib import Path

from doc_tables import code_blocks, table, text, untick

from firmware import journal, names, states
from firmware.trace import Trace

DOC = text("docs/journal.md")


class _AnySession:
    """Stands in for session.Session: every attribute journal.record reads is 0."""

    def __getattr__(self, name: str) -> int:
        return 0


def test_the_field_table_is_the_record_the_firmware_writes():
    documented = []
    for row in table(DOC, "| field | meaning |"):
        documented += [untick(f) for f in row[0].split(",")]
        assert row[1], row[0]
    record = journal.record(_AnySession(), 0, 0, 1)
    # SR-4's records (firmware/startup.py after_reset) add "reset" to the same fields.
    startup = (Path(__file__).resolve().parent.parent / "firmware" / "startup.py").read_text()
    assert 'rec["reset"] = cause' in startup
    assert sorted(documented) == sorted(list(record) + ["reset"])


def test_every_end_reason_is_documented():
    for end in names.ENDS[1:]:
        assert f"`{end}`" in DOC, end


def test_the_documented_decoder_reads_a_trace_the_firmware_saved(tmp_path):
    t = Trace()
    for state, seconds, i_ua, v_mv in ((states.WAIT_CONTACT, 3, 200, 100),
                                       (states.RAMP_UP, 5, 5000, 16000),
                                       (states.TREAT, 4, 15000, 49500)):
        for _ in range(seconds * 1000):
            t.add(i_ua, v_mv, state, 1000)
    journal.save_trace(t, 258, str(tmp_path) + "/")  # 258: both bytes of the id matter
    (source,) = code_blocks(DOC, "python")
    scope: dict = {}
    exec(source, scope)
    data = (tmp_path / "trace0.bin").read_bytes()
    sid, every_s, samples, events = scope["read_trace"](data)
    assert (sid, every_s, len(samples)) == (258, 1, 12)
    assert samples[0] == (0, 0.2, 0.0)  # 0.2 mA; 0.1 V is below a 0.25 V step
    assert samples[-1] == (11, 15.0, 49.5)
    assert events == [(0, states.WAIT_CONTACT), (3, states.RAMP_UP), (8, states.TREAT)]
