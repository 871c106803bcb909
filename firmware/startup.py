# Startup only: read calibration and config, make the hal and the app, learn
# the last session from the journal. main.py releases this module (and every
# module it loaded for the files) before the loop starts, so its RAM goes back
# to the heap for the session (M8).
import firmware
from firmware.app import App


def apply(app, settings):
    # A validated settings tuple (store.check_config); only with the output off.
    from firmware import limits

    index, set_ua, duration_ms, pulse_hz, polarity, ramp_up = settings
    app.profile = index
    app.ses.configure(set_ua, duration_ms, polarity)
    app.reg.set_rates(ramp_up, limits.RAMP_DOWN_UA_S)
    app.hal.set_pulsed(pulse_hz, 50)  # 50 %: the default duty (hardware.md)


def build(board, make_hal, after_watchdog=False):
    # after_watchdog: the board's reset cause was the watchdog (main.py asks
    # machine; on rp2 machine.reset() reports the same: planned resets are marked).
    from firmware import store

    cal, why = store.load_calibration()
    if cal is None:
        print("calibration:", why, "- treatment refused until calibrated (SR-19)")
    settings, warning = store.load_config()
    if warning:
        print(warning)
    hal = make_hal(board, cal if cal is not None else store.nominal_calibration())
    app = App(hal, board, cal is not None)
    apply(app, settings)
    from firmware import journal

    rec = journal.last()
    if rec is not None:
        app.last_start_reversed = rec.get("reversed_start") == 1
        sid = rec.get("id")
        app.session_id = sid + 1 if type(sid) is int and 0 < sid < 65535 else 1
    after_reset(app, journal, rec, after_watchdog)
    for name in ("journal", "names", "store", "profiles"):
        firmware.release(name)
    return app


def after_reset(app, journal, last, watchdog):
    # SR-4: no silent restart. After the watchdog's reset, or when a session
    # was running (its marker, firmware/starting.py) and the board restarted
    # (watchdog, power cut), the RESET fault is latched: the output stays off,
    # the LED blinks code 7 until a 2 s hold acknowledges it, and the journal
    # gets a record ("interrupted" with the session's own fields, else
    # "reset"). Treatment never resumes by itself. A tool that resets the board
    # on purpose writes reset.planned first: on rp2 machine.reset() reports a
    # watchdog reset too (platform.md).
    import os

    from firmware import faults

    info = journal.running(app.journal_dir)
    if info and last is not None and info.get("id") == last.get("id"):
        info = None  # its record was written (the cut came after it): not interrupted
    if watchdog:
        try:
            os.remove(app.journal_dir + "reset.planned")
            watchdog = False  # planned: not a fault
        except OSError:
            pass
    if info is None and not watchdog:
        return
    cause = "watchdog" if watchdog else "restart"
    sid = app.session_id
    rec = {"v": 1, "profile": app.profile}
    if info is not None:
        rec.update(info)  # what the marker knew: start, profile, set point, polarity
    else:
        rec["reversed_start"] = 1 if app.last_start_reversed else 0
    rec["id"] = sid
    rec["end"] = "interrupted" if info is not None else "reset"
    rec["reset"] = cause
    rec["fault"] = "reset"
    try:
        journal.append(rec, app.journal_dir)
    except OSError as e:
        print("journal not written:", e)
    journal.unmark(app.journal_dir)
    app.session_id = sid + 1
    app.last_start_reversed = rec.get("reversed_start") == 1
    app.sup.latch(faults.RESET)
    print("ionto: unplanned restart (" + cause + ")" + (", session " + str(sid)
          + " interrupted" if info is not None else "") + ": hold the button 2 s (SR-4)")


def board_app(board, after_watchdog):
    # The app on the real hal (the only firmware module that imports machine).
    from firmware.hal import Hal

    return build(board, Hal, after_watchdog)
