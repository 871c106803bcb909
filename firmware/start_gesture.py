# app.py's job at the start gesture, with the output off (before the checks):
# SR-22's schedule warning and start time, and SR-4's running marker (so that
# a reset or a power cut during the session is journaled at the next boot:
# nothing may be written while current flows, SR-18). A refused start takes
# the marker away again. A medicated tray's reminder is said here, once a
# session (profiles.reminder). Returns the start time and SR-22's warning, which
# the session keeps (Session.begin). A firmware.job: loaded for it, dropped
# after (M8).
import time

from firmware import journal, profiles, schedule


def run(app, refused):
    if refused:
        journal.unmark(app.journal_dir)
        return
    start, warning = schedule.check(time.gmtime(), app.journal_dir)
    if warning:
        print("schedule:", "a session in the last 24 h" if warning == schedule.DAY
              else "five sessions in the last 7 days", "(SR-22: a warning only)")
    ses = app.ses
    said = profiles.reminder(ses.polarity)
    if said:
        print(said)  # the person checks the trays before the hands go in
    journal.mark({"id": app.session_id, "start": start, "profile": ses.profile,
                  "set_ua": ses.planned_ua, "planned_s": ses.duration_ms // 1000,
                  "polarity": ses.polarity,
                  "reversed_start": 1 if ses.reversed_at_start() else 0},
                 app.journal_dir)
    return start, warning
