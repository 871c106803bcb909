# The profile gesture's end (app.py): save the chosen profile to config.json
# (atomically, SR-19) and apply it, with the output off. A profile picked on
# the device starts from its defaults (profiles.DEFAULTS); the custom and the
# medication profiles' settings (set from the console: the medication's are
# the doctor's, its tray among them) are kept in the file under "custom" and
# "medication" while another profile is selected, and come back with it.
# A firmware.job: loaded for it, dropped after (M8).
from firmware import profiles, store

_KEPT = ((profiles.CUSTOM, "custom"), (profiles.MEDICATION, "medication"))


def _stored():
    try:
        cfg = store.read_json(store.CONFIG_FILE, "config")
    except (OSError, ValueError):
        cfg = None  # none, or torn: the pick writes a whole new one
    return cfg if isinstance(cfg, dict) else {}


def settings_for(index, old):
    # The config a pick writes, from the one stored (old): the kept settings
    # of the profile in use are its top-level keys; those of the one picked
    # come back to the top (checked: no longer valid, its defaults).
    in_use = {k: v for k, v in old.items() if k != "profile" and k != "custom"
              and k != "medication"}
    cfg = {"profile": index}
    mine = None
    for p, key in _KEPT:
        kept = in_use if old.get("profile") == p else old.get(key)
        if not isinstance(kept, dict):
            continue
        if p == index:
            mine = kept
        else:
            cfg[key] = kept
    if mine is not None:
        trial = dict(cfg)
        trial.update(mine)
        trial["profile"] = index  # a hand-edited kept dict never picks another
        try:
            store.check_config(trial)
            cfg = trial
        except ValueError:
            pass  # not valid any more: the defaults
    return cfg


def run(app, index):
    cfg = settings_for(index, _stored())
    try:
        settings = store.check_config(cfg)
        store.save_config(cfg)
    except (OSError, ValueError) as e:
        print("profile not changed:", e)  # the old one stays, on the device and in the file
        return
    profiles.apply(app, settings)  # the session's profile from now on
    print("profile:", profiles.DEFAULTS[index][0])

