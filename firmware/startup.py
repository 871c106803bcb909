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


def build(board, make_hal):
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
    for name in ("journal", "names", "store", "profiles"):
        firmware.release(name)
    return app


def board_app(board):
    # The app on the real hal (the only module that imports machine).
    from firmware.hal import Hal

    return build(board, Hal)
