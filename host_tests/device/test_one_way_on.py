# SR-2: exactly one function switches the output on (hal.output_on), and only
# the supervisor calls it. SR-3: the real hal refuses it before the watchdog.
import os

ROOT_FILES = ("boot.py", "main.py")


def _device_files():
    out = list(ROOT_FILES)
    stack = ["firmware", "lib"]
    while stack:
        d = stack.pop()
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for n in names:
            p = d + "/" + n
            if n.endswith(".py"):
                out.append(p)
            elif "." not in n:
                stack.append(p)
    return out


def _files_with(text):
    found = []
    for p in _device_files():
        with open(p) as f:
            if text in f.read():
                found.append(p)
    return found


def test_only_the_hal_defines_output_on():
    # SR-2: exactly one function can switch the output on.
    assert _files_with("def output_on") == ["firmware/hal.py"]


def test_only_the_supervisor_calls_output_on():
    # SR-2: only the supervisor calls it.
    assert _files_with(".output_on(") == ["firmware/supervisor.py"]


def test_only_the_supervisor_feeds_the_watchdog():
    # SR-3: only the supervisor feeds the watchdog.
    assert _files_with(".feed_watchdog(") == ["firmware/supervisor.py"]
    assert _files_with("wdt.feed") == ["firmware/hal.py"]  # the WDT's own feed, put in its place


def test_enable_pin_driven_high_only_in_output_on():
    # SR-2
    # The hal writes the enable pin through one bound method; value 1 only once.
    with open("firmware/hal.py") as f:
        src = f.read()
    assert src.count("_enable_value(1)") == 1
    body = src[src.index("def output_on"):src.index("def output_off")]
    assert "_enable_value(1)" in body


def test_pulse_gate_started_only_in_output_on():
    # SR-2
    # Pulsed DC: the gate PWM on the enable pin is also "on"; only output_on
    # creates it.
    with open("firmware/hal.py") as f:
        src = f.read()
    assert src.count("machine.PWM(self._enable") == 1
    body = src[src.index("def output_on"):src.index("def output_off")]
    assert "machine.PWM(self._enable" in body
