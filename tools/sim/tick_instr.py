# M7's instruction count: one firmware tree in the MicroPython unix port, on
# the real hal over tools/sim/benchmachine.py (bench_tick.py's Bench), brought
# to a session state, then N more ticks of the app (WHAT "app": the tick
# alone; "work": the tick and the slow job after it, App.job, as App.run runs
# them; e72854b has no job: its tick ran everything) or of an empty function
# (WHAT "nop"), the bath settling between them as always. Run from
# the repository root, under valgrind's callgrind (tools/ionto/m7_instr.py):
#   micropython -X heapsize=192K tools/sim/tick_instr.py TREE FLASH STATE N WHAT
# STATE: idle, ramp_up, treat or paused. The instructions of one tick are the
# difference between two runs that differ only in N, less the same difference
# with the empty function: the harness, the bath and the way there cancel out.
# Prints one JSON line: the state reached and the state after the N ticks.
import json
import os
import sys

sys.path.insert(0, os.getcwd())
from tools.sim import bench_tick as bt  # noqa: E402

_STATES = {"idle": bt.IDLE, "ramp_up": bt.RAMP_UP, "treat": bt.TREAT, "paused": bt.PAUSED}


def main(tree, flash, state, n, what):
    bt.setup(tree, flash)
    b = bt.Bench()
    reached = bt.reach(b, _STATES[state])
    job = None
    if what in ("app", "work"):
        tick = b.app.tick
        if what == "work":
            job = b.job
    else:
        tick = bt._nop_now if b.api_now else bt._nop
    bt._run(tick, n, b.now, b.api_now, b.settle, job)
    print(json.dumps({"reached": reached, "state_after": b.state()}))


main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
