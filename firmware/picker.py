# The profile gesture's end (app.py): save the chosen profile to config.json
# (atomically, SR-19) and apply it, with the output off. A profile picked on
# the device starts from its defaults (profiles.DEFAULTS); the custom
# profile's settings (set from the console) are kept in the file under
# "custom" while another profile is selected, and come back with it. Loaded
# for this only, then released (M8).
from firmware import profiles, startup, store

LOADS = ("picker", "startup", "store", "profiles")  # released after app.py's job


def _stored():
    try:
        cfg = store.read_json(store.CONFIG_FILE, "config")
    except (OSError, ValueError):
        cfg = None  # none, or torn: the pick writes a whole new one
    return cfg if isinstance(cfg, dict) else {}


def settings_for(index, old):
    # The config a pick writes, from the one stored (old).
    custom = old.get("custom")
    if old.get("profile") == profiles.CUSTOM:
        custom = {k: v for k, v in old.items() if k != "profile" and k != "custom"}
    if index != profiles.CUSTOM:
        return {"profile": index, "custom": custom} if isinstance(custom, dict) else {
            "profile": index}
    cfg = {"profile": index}
    if isinstance(custom, dict):
        cfg.update(custom)
        try:
            store.check_config(cfg)
        except ValueError:
            cfg = {"profile": index}  # not valid any more: the defaults
    return cfg


def run(app, index):
    cfg = settings_for(index, _stored())
    try:
        settings = store.check_config(cfg)
        store.save_config(cfg)
    except (OSError, ValueError) as e:
        print("profile not changed:", e)  # the old one stays, on the device and in the file
        return
    startup.apply(app, settings)
    print("profile:", profiles.DEFAULTS[index][0])
