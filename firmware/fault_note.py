# app.py's job when a fault latches with no session under way (a leak while
# idle, SR-12; a trip at rest, SR-15): a journal record of its own, written
# with the output off (SR-18), so that every fault is journaled, not only a
# session's. A firmware.job: loaded for it, dropped after (M8).
from firmware import journal, names


def run(app, session_id):
    rec = {"v": 1, "id": session_id, "profile": app.ses.profile, "end": "no_session",
           "fault": names.FAULTS[app.sup.fault]}
    try:
        journal.append(rec, app.journal_dir)
    except OSError as e:
        print("journal not written:", e)
    journal.unmark(app.journal_dir)  # a fault in the start's checks: no session ran
