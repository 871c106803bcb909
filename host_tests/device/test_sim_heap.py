# The simulated reset in the unix port (tools/sim/heap.py): the next boot gets
# the heap a board gets, even when a stale pointer on the C stack (which the
# port's collector scans conservatively) still points at the last boot's app.
# A CI run failed that way: the last boot stayed on the 192K heap and the next
# could not allocate its trace buffer. Measured with gc.mem_alloc as each boot
# starts (SimBoard.heap_at_boot); CPython has no such counter (pytest does not
# collect this file, conftest.py).
# device-tests: one interpreter per test (a simulated board each)
import sys

from support import fresh_board

from tools.sim import fakemachine, simboard
from tools.sim.clock import BoardReset

# From the second boot to the third the heap stays level (measured: -0.1 KB;
# the first boot also interns the firmware's names, about 13 KB). The second
# boot's app, kept and taken apart, adds its class and methods (3.3 KB);
# kept whole, the firmware (32 KB).
GROWTH_BOUND = 8 * 1024


def _growth_with_the_app_kept(name, seed):
    # The power is cut at 4 s and at 12 s, in idle; the second boot's app is
    # kept (as a stale pointer would keep it): the third boot's heap, less
    # the second's.
    b = fresh_board(name, seed)
    kept = []
    b.at(4.0, _cut)
    b.at(10.0, lambda b: kept.append(sys.modules["main"].app))
    b.at(12.0, _cut)
    b.run(16.0)
    assert len(b.heap_at_boot) == 3 and kept and kept[0] is not None, b.heap_at_boot
    return b.heap_at_boot[2] - b.heap_at_boot[1], b.crashes


def _cut(b):
    raise BoardReset(fakemachine.PWRON_RESET)


def test_a_kept_app_does_not_keep_the_last_boot_on_the_heap():
    growth, crashes = _growth_with_the_app_kept("heap_kept", 91)
    assert growth < GROWTH_BOUND and not crashes, (growth, crashes)


def test_the_measurement_sees_a_kept_boot():
    # Control: without the taking apart, the same measurement sees the last
    # boot stay (and the third boot may then run out of heap, as in CI).
    simboard.dismantle = lambda modules, roots: None
    growth, _ = _growth_with_the_app_kept("heap_control", 92)
    assert growth > 2 * GROWTH_BOUND, growth
