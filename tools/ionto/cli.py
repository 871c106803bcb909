"""ionto: the host command line (simulate; deploy, calibrate, monitor and logs follow)."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path


def _serve(args: argparse.Namespace) -> int:
    from tools.sim import replboard

    flash = Path(args.flash or f"build/sim_flash/serve_{args.board}_{args.seed}")
    if args.deploy:
        n = len(replboard.write_firmware(flash, args.board, args.seed))
        print(f"deployed {n} device files, board.txt and calibration.json to {flash}")
    board = replboard.ReplBoard(flash, args.board, args.seed, paced=not args.fast,
                                link=args.link, log=lambda m: print(f"board: {m}", flush=True))
    path = board.start()
    print(f"ionto simulate: {args.board} (seed {args.seed}) serving its REPL on {path}"
          f"{f' (also {args.link})' if args.link else ''}, flash {flash}\n"
          f"  try: mpremote connect {args.link or path} exec \"print(1+1)\"\n"
          f"  Ctrl-C here stops the board", flush=True)
    try:
        board.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _simulate(args: argparse.Namespace) -> int:
    if args.serve:
        return _serve(args)
    from tools.ionto import report
    from tools.sim import scenarios
    from tools.sim.simboard import SimBoard

    if args.scenario not in scenarios.SCENARIOS:
        print(f"unknown scenario {args.scenario}; known: {', '.join(scenarios.SCENARIOS)}",
              file=sys.stderr)
        return 2
    desc = scenarios.SCENARIOS[args.scenario][0]
    flash = Path("build/sim_flash") / f"{args.scenario}_{args.board}_{args.seed}"
    for f in flash.glob("*") if flash.exists() else ():
        f.unlink()
    board = SimBoard(args.board, seed=args.seed, flash_dir=str(flash))
    seconds = scenarios.prepare(board, args.scenario)
    if args.minutes:
        seconds = args.minutes * 60
    board.record_every(args.sample)
    print(f"ionto simulate: {args.scenario} ({desc}) on {args.board}, seed {args.seed}, "
          f"{seconds / 60:.1f} min of virtual time")
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
    print(f"simulated {seconds:.0f} s in {wall:.1f} s of wall time")
    if args.plot:
        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        report.plot(rows, args.plot, f"{args.scenario}: {desc} ({args.board}, seed {args.seed})")
        print(f"plot: {args.plot}")
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        print(f"csv: {args.csv}")
    return 0


def _logs(args: argparse.Namespace) -> int:
    from tools.ionto import logs

    folder = Path(args.from_dir)
    if not folder.is_dir():
        print(f"ionto logs: no such folder {folder}", file=sys.stderr)
        return 2
    written = logs.export(folder, Path(args.out))
    records, traces = logs.read_folder(folder)
    print(f"{len(records)} sessions in the journal, {len(traces)} traces; wrote:")
    for p in written:
        print(f"  {p}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ionto", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("simulate", help="run a named scenario on the simulated board")
    s.add_argument("--scenario", default="S1",
                   help="S1-S15 (measures.md) or tour (what make sim shows); default S1")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--board", default="pico", choices=("pico", "esp32_devkitc"))
    s.add_argument("--minutes", type=float, default=0, help="override the run length")
    s.add_argument("--sample", type=float, default=0.5, help="trace sample period, s")
    s.add_argument("--every", type=float, default=60.0, help="timeline line period, s")
    s.add_argument("--plot", help="write a PNG plot here")
    s.add_argument("--csv", help="write the trace as CSV here")
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
    s.set_defaults(func=_simulate)
    b = sub.add_parser("bench", help="measure M1-M9 (measures.md) on the real device code")
    b.add_argument("--json", help="write every figure by its id here")
    b.add_argument("--sessions", type=int, default=100,
                   help="M9's seeded nominal sessions (measures.md: 100; about 12 s each)")
    b.set_defaults(func=lambda a: __import__("tools.ionto.bench", fromlist=["bench"])
                   .bench(a.json, a.sessions))
    lg = sub.add_parser("logs", help="the journal to CSV and one PNG per session trace")
    lg.add_argument("--from", dest="from_dir", required=True,
                    help="a folder holding the board's files (journal.jsonl, trace0-3.bin)")
    lg.add_argument("--out", default="build/logs", help="where to write (default build/logs)")
    lg.set_defaults(func=_logs)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
