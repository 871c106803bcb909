"""The button against generated press and release sequences (hypothesis, 1000
cases each; CPython). A sequence is runs of a raw level, in 1 ms ticks (the
loop's tick, firmware/boards), fed to firmware.button.Button as app.py does.

SR-20: a start (LONG) comes only from a hold of 2-20 s ending in a release,
after the button was seen released; contact bounce shorter than the debounce
never yields an event; a stuck button never starts anything. The expectations
come from this test's own debounce: a level counts once it has been stable
for 20 ms (button.py's _DEBOUNCE_US).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firmware import button

CASES = settings(max_examples=1000, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
TICK_US = 1000
DEBOUNCE = 20  # ticks (ms) a level must be stable to count
ARM = 500  # ms seen released before a gesture counts (SR-20)
HOLD, STUCK = 2000, 20000  # ms (limits.START_HOLD_MS; button._STUCK_US)
TOL = 2  # ticks: where a threshold falls within one tick

bounce = st.integers(1, DEBOUNCE - 1)
edges = st.one_of(st.integers(HOLD - 60, HOLD + 60), st.integers(ARM - 30, ARM + 60))
long = st.one_of(st.integers(HOLD, STUCK), st.integers(STUCK - 60, STUCK + 60))
# Ticks; the edges of every threshold weigh most, long holds (costly) less.
durations = st.one_of(bounce, st.integers(DEBOUNCE, 1500), edges, bounce,
                      st.integers(DEBOUNCE, 1500), edges, long)


def feed(runs):
    # Runs [(down, ticks)] through a Button; returns [(tick, event)].
    b = button.Button()
    u = b.update
    out = []
    t = 0
    for down, n in runs:
        for k in range(n):
            ev = u(down, TICK_US)
            if ev:
                out.append((t + k, ev))
        t += n
    return out


def presses(runs):
    # This test's debounce: the stable presses [(down_at, up_at)], in ticks
    # (up_at None: still held at the end).
    level = False
    t = 0
    changes = []  # (tick the stable level changes, new level)
    for down, n in runs:
        if n > DEBOUNCE and down != level:  # seen stable from its first tick to its 21st
            changes.append((t + DEBOUNCE, down))
            level = down
        t += n
    out = []
    start = None
    for at, down in changes:
        if down:
            start = at
        else:
            out.append((start, at))
    if start is not None and level:
        out.append((start, None))
    return out


def alternate(first, ds):
    return [(k % 2 == (0 if first else 1), d) for k, d in enumerate(ds)]


@CASES
@given(first=st.booleans(), ds=st.lists(durations, min_size=1, max_size=7))
def test_a_start_only_after_a_hold_of_2_to_20_s_ending_in_a_release(first, ds):
    runs = alternate(first, ds)
    events = feed(runs)
    ps = presses(runs)
    longs = [t for t, ev in events if ev == button.LONG]
    for t in longs:
        # It is the release of a stable press that lasted 2-20 s ...
        match = [(a, b) for a, b in ps if b is not None and abs(t - b) <= TOL]
        assert len(match) == 1, (t, ps)
        a, b = match[0]
        assert HOLD - TOL <= b - a <= STUCK + TOL, (a, b)
        # ... that began after the button was seen released for 0.5 s (from a
        # stable release to the raw press, which is DEBOUNCE before it counts).
        released = [a2 - DEBOUNCE - b0 for (_, b0), (a2, _) in zip([(0, 0)] + ps, ps)]
        assert max(released[: ps.index(match[0]) + 1]) >= ARM - TOL, (released, ps)
    # And the converse, for clean sequences (no bounce): every such press
    # after 0.5 s released, with no stuck hold since, starts (the test can fail).
    if all(d > DEBOUNCE for d in ds):
        armed = False
        prev_up = DEBOUNCE  # the first ticks count as released once stable
        for a, b in ps:
            if a - DEBOUNCE - prev_up >= ARM + TOL:
                armed = True
            if b is None:
                break
            if armed and HOLD + TOL <= b - a <= STUCK - TOL:
                assert any(abs(t - b) <= TOL for t in longs), (a, b, events)
            if b - a >= STUCK - TOL:
                armed = False  # a stuck button must be seen released again
            prev_up = b


@CASES
@given(first=st.booleans(), ds=st.lists(bounce, min_size=1, max_size=300),
       arm=st.integers(0, 700), hold=st.integers(0, 1500))
def test_bouncing_shorter_than_the_debounce_never_yields_an_event(first, ds, arm, hold):
    # Released (armed or not yet), perhaps held, then chatter only: the stable
    # level never changes, so nothing is sent during the chatter.
    runs = [(False, arm)] + ([(True, hold)] if hold > DEBOUNCE else []) + alternate(first, ds)
    events = feed(runs)
    quiet_from = arm + (hold if hold > DEBOUNCE else 0) + DEBOUNCE
    chatter = [(t, ev) for t, ev in events if t >= quiet_from and ev != button.HOLD]
    assert chatter == [], chatter
    if hold <= DEBOUNCE:
        assert events == [], events  # never pressed at all


@CASES
@given(before=st.lists(st.one_of(bounce, st.integers(DEBOUNCE, 1500), edges), max_size=4),
       arm=st.integers(DEBOUNCE + ARM + TOL, 900), extra=st.integers(150, 300),
       blips=st.lists(st.tuples(st.integers(1, STUCK - 1), bounce), max_size=3),
       released=st.one_of(st.none(), st.integers(1, 800)))
def test_a_stuck_button_never_starts(before, arm, extra, blips, released):
    # Some gestures, released 0.5 s or more (armed), then held 20 s and more,
    # perhaps with contact blips shorter than the debounce (which can delay the
    # debounce by up to 3 x 38 ms: extra covers it), perhaps never let go.
    hold = STUCK + extra
    runs = alternate(False, before) if len(before) % 2 == 0 else alternate(False, before[:-1])
    runs.append((False, arm))
    held_from = sum(n for _, n in runs)
    t = 0
    for c, n in sorted(dict(blips).items()):
        runs += [(True, c - t), (False, n)]
        t = c
    runs.append((True, hold - t))
    if released is not None:
        runs.append((False, released))
    events = [(t, ev) for t, ev in feed(runs) if t >= held_from]
    assert button.LONG not in [ev for _, ev in events], events
    stuck = [t for t, ev in events if ev == button.STUCK]
    assert len(stuck) == 1, events
    # 20 s of stable press (blips at its start can delay the debounce a little).
    assert held_from + DEBOUNCE + STUCK <= stuck[0] <= held_from + STUCK + 200, stuck


@CASES
@given(st.lists(st.tuples(st.booleans(), durations), min_size=1, max_size=12))
def test_a_settled_button_is_one_whose_release_update_changes_nothing(runs):
    # Button.settled (the up and down buttons skip their update while it holds,
    # app.py): whenever it is set, update(False, dt) returns NONE and leaves
    # every field as it was; and a button released long enough (debounce and
    # arming) is settled, so a skipped button never misses a press.
    b = button.Button()
    for down, n in runs:
        for _ in range(n):
            if b.settled:
                before = dict(b.__dict__)
                assert b.update(False, TICK_US) == button.NONE
                assert b.__dict__ == before
            b.update(down, TICK_US)
    for _ in range(ARM + DEBOUNCE + TOL):
        b.update(False, TICK_US)
    assert b.settled, b.__dict__
