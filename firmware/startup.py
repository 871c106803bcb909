# Startup only: read calibration and config, make the hal and the app, learn
# the last session from the journal. main.py runs board_app as a job
# (firmware.job): this module and every one it loaded for the files are dropped
# before the loop starts, so their RAM goes back to the heap for the session
# (M8). Safe mode (firmware/safe_mode.py) loads it for after_reset alone: the
# app is imported by build, not here.
from firmware import faults


def build(board, make_hal, after_watchdog=False, show=None):
    # after_watchdog: the board's reset cause was the watchdog (main.py asks
    # machine; on rp2 machine.reset() reports the same: planned resets are marked).
    # show: the display's maker (board_app), or None.
    from firmware import journal, profiles, store
    from firmware.app import App

    cal, why = store.load_calibration()
    if cal is None:
        print("calibration:", why, "- treatment refused until calibrated (SR-19)")
    settings, warning = store.load_config()
    if warning:
        print(warning)
    hal = make_hal(board, cal if cal is not None else store.nominal_calibration())
    rec = journal.last()
    reset = after_reset(journal, rec, after_watchdog, settings[0], "",
                        ": hold the button 2 s (SR-4)")
    if reset is not None:
        rec = reset  # the newest record now
    app = App(hal, board, cal is not None, _next_id(rec),
              rec is not None and rec.get("reversed_start") == 1, "", show)
    profiles.apply(app, settings)
    if reset is not None:
        # SR-4: latched (output off, LED code 7) until a 2 s hold acknowledges it.
        app.sup.latch(faults.RESET)
    return app


def _next_id(rec):
    # The journal id after this record's (None: an empty journal): 1-65535, then 1
    # again (the trace's 2 bytes).
    if rec is None:
        return 1
    sid = rec.get("id")
    return sid + 1 if type(sid) is int and 0 < sid < 65535 else 1


def after_reset(journal, last, watchdog, profile, folder, then):
    # SR-4: no silent restart. After the watchdog's reset, or when a session
    # was running (its marker, firmware/start_gesture.py) and the board restarted
    # (watchdog, power cut), the journal gets a record ("interrupted" with the
    # session's own fields, else "reset"), the marker goes (journaled once),
    # and the console says so (the message, then `then`). Returns that record,
    # or None: no unplanned restart. Its caller shows it (fault 7, the RESET
    # code): build latches it in the app, which then blinks it until a 2 s
    # hold acknowledges it; safe mode (firmware/safe_mode.py restart, SR-20:
    # no app) blinks it. Treatment never resumes by itself. No App here: both
    # paths call this one function. last: the journal's newest record (None:
    # empty); profile: the config's, None to read it here (safe mode). A tool
    # that resets the board on purpose writes reset.planned first (the host
    # tools' link: when it stops the app, and before its soft reset): on rp2
    # machine.reset() reports a watchdog reset too (platform.md), and so does
    # every soft reset after a watchdog reset. The marker goes at this boot
    # whatever the cause (consumed once): one left by a reset that never came,
    # or came as a power-up or an esp32 soft reset, must not excuse a later
    # real watchdog reset. It never excuses a cut session (the running marker).
    import os

    info = journal.running(folder)
    if info and last is not None and info.get("id") == last.get("id"):
        info = None  # its record was written (the cut came after it): not interrupted
    try:
        os.remove(folder + "reset.planned")
        watchdog = False  # planned: not a fault
    except OSError:
        pass
    if info is None and not watchdog:
        return None
    cause = "watchdog" if watchdog else "restart"
    sid = _next_id(last) if last is not None else 1
    if profile is None:
        from firmware import store

        profile = store.load_config()[0][0]
    rec = {"v": 1, "profile": profile}
    if info is not None:
        rec.update(info)  # what the marker knew: start, profile, set point, polarity
    else:
        rec["reversed_start"] = 1 if last is not None and last.get("reversed_start") == 1 else 0
    rec["id"] = sid
    rec["end"] = "interrupted" if info is not None else "reset"
    rec["reset"] = cause
    rec["fault"] = "reset"
    try:
        journal.append(rec, folder)
    except OSError as e:
        print("journal not written:", e)
    journal.unmark(folder)
    print("ionto: unplanned restart (" + cause + ")" + (", session " + str(sid)
          + " interrupted" if info is not None else "") + then)
    return rec


def board_app(machine, board, after_watchdog):
    # The app on the real hal over the board's machine (main.py's).
    from firmware.hal import Hal

    show = None
    if board.get("display"):  # the optional display (docs/display.md)
        from firmware import display

        show = display.maker(machine, board)
    return build(board, lambda board, cal: Hal(machine, board, cal), after_watchdog, show)
