# Names of the firmware's codes, by number: for the journal, the console and
# the host tools. Kept out of the modules the control loop keeps loaded, so
# they cost no heap while a session runs (M8); imported where needed.

# firmware/states.py, by code
STATES = ("idle", "wait_contact", "ramp_up", "treat", "paused", "reversing",
          "ramp_down", "done", "fault", "safe_mode", "checks")

# firmware/faults.py, by code
FAULTS = ("none", "overcurrent", "surge", "sensor", "leak", "short", "trip", "reset", "frozen")

# firmware/app.py status, by index
STATUS = ("state", "target_ua", "set_ua", "i_ua", "v_mv", "load_ohm", "reached_pct",
          "fault", "elapsed_s", "ticks", "overruns", "duty", "enabled", "rail_mv",
          "battery_mv", "i_avg_ua", "charge_mas", "refusal", "limited", "guard_pct")

# firmware/supervisor.py REFUSE_*, by code
REFUSALS = ("none", "uncalibrated", "leak", "usb", "battery", "rail")

# firmware/session.py END_*, by code (the journal's "end")
ENDS = ("", "timer", "user", "dose", "cap", "no_contact", "battery", "usb", "fault")
# SR-4 records written at startup (firmware/startup.py) use two more: "interrupted"
# (a session was running at the reset or the power cut) and "reset" (none was).

# firmware/schedule.py, by code (SR-22: the journal's "schedule")
WARNINGS = ("none", "day", "week")
