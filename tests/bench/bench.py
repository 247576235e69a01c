#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Side-by-side benchmarks of Tazuna against daemontools, runit and s6 on this machine.
"""Runs every figure for Tazuna and each peer in the same run, alternating the
order each repetition, and prints one machine-readable line per figure:

  bench <figure> impl=<name> median=<v> min=<v> max=<v> unit=<u> [ratio_vs_<peer>=<r> ...]

Ratios compare medians; for throughput a ratio above 1 means Tazuna is faster,
for time and memory a ratio below 1 means Tazuna is smaller. Nothing here asserts
a number: shared machines are noisy, so the figures are printed, not judged.
"""

import argparse
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def emit(figure, impl, values, unit, ratios=None):
    med = statistics.median(values)
    parts = [f"bench {figure}", f"impl={impl}", f"median={med:.6g}", f"min={min(values):.6g}",
             f"max={max(values):.6g}", f"unit={unit}", f"n={len(values)}"]
    for peer, r in (ratios or {}).items():
        parts.append(f"ratio_vs_{peer}={r:.3g}")
    print(" ".join(parts), flush=True)


def run_measured(argv, stdin_path, cwd, env=None):
    """Runs argv with stdin from a file; returns (wall seconds, cpu seconds, peak RSS KiB).

    The command is started by /usr/bin/time, not forked from Python: Linux carries
    the peak RSS across exec, so a child forked from this interpreter would report
    Python's memory instead of its own. Wall time is taken here around the whole run.
    """
    with tempfile.NamedTemporaryFile("r", prefix="tazuna-time-") as report, open(stdin_path, "rb") as inp:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-q", "-f", "%U %S %M", "-o", report.name] + argv,
                           stdin=inp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"{argv} exited {p.returncode}: {p.stderr[:300]!r}")
        user, system, rss = report.read().split()[-3:]
    # processors (!gzip) are grandchildren: the caller adds them through RUSAGE_CHILDREN.
    return wall, float(user) + float(system), int(rss)


def make_input(path, lines, width):
    line_body = width - 1
    with open(path, "wb") as f:
        chunk = []
        for i in range(lines):
            s = f"{i:010d} " + "x" * (line_body - 11)
            chunk.append(s)
            if len(chunk) == 10000:
                f.write(("\n".join(chunk) + "\n").encode())
                chunk = []
        if chunk:
            f.write(("\n".join(chunk) + "\n").encode())


def logger_impls(tazuna_bin, stamp, size, processor):
    """The commands that log stdin into ./log with the given settings, per implementation."""
    script = (["t"] if stamp else []) + [f"s{size}", "n10"] + ([f"!{processor}"] if processor else []) + ["./log"]
    impls = {
        "tazuna": [str(tazuna_bin / "multilog")] + script,
        "daemontools": ["/usr/bin/multilog"] + script,
        "s6": ["s6-log"] + script,
    }
    if not processor:
        # svlogd takes its size and count from log/config; -tt stamps in UTC text.
        impls["runit"] = ["svlogd"] + (["-tt"] if stamp else []) + ["./log"]
    return impls


def bench_logger(args):
    tmp = Path(tempfile.mkdtemp(prefix="tazuna-bench-"))
    try:
        inp = tmp / "input"
        log(f"making input: {args.lines} lines of {args.width} bytes")
        make_input(inp, args.lines, args.width)
        total = inp.stat().st_size
        variants = [
            ("logger.t.16M", True, 16777215, None),
            ("logger.plain.16M", False, 16777215, None),
            ("logger.t.100k", True, 100000, None),
            ("logger.t.16M.gzip", True, 16777215, "gzip"),
        ]
        if args.only:
            variants = [v for v in variants if v[0] in args.only]
        for figure, stamp, size, processor in variants:
            impls = logger_impls(args.bin, stamp, size, processor)
            names = list(impls) + ["cat"]
            res = {n: {"mbps": [], "lps": [], "cpu": [], "rss": []} for n in names}
            for rep in range(args.reps):
                order = names[rep % len(names):] + names[:rep % len(names)]
                for name in order:
                    work = tmp / "w"
                    shutil.rmtree(work, ignore_errors=True)
                    (work / "log").mkdir(parents=True)
                    if name == "runit":
                        (work / "log" / "config").write_text(f"s{size}\nn10\n")
                    if name == "cat":
                        argv = ["sh", "-c", "exec cat > log/current"]
                    else:
                        argv = impls[name]
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    wall, cpu, rss = run_measured(argv, inp, work)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    if processor:
                        # Count the processors' CPU as well: they are the logger's work.
                        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                    res[name]["mbps"].append(total / wall / 1e6)
                    res[name]["lps"].append(args.lines / wall)
                    res[name]["cpu"].append(cpu)
                    res[name]["rss"].append(rss / 1024.0)
            peers = [n for n in names if n != "tazuna"]
            med = {n: {k: statistics.median(v) for k, v in res[n].items()} for n in names}
            for name in names:
                ratios_tp = {p: med[name]["mbps"] / med[p]["mbps"] for p in names if p != name} if name == "tazuna" else {}
                ratios_cpu = {p: med[name]["cpu"] / med[p]["cpu"] for p in peers if med[p]["cpu"] > 0} if name == "tazuna" else {}
                ratios_rss = {p: med[name]["rss"] / med[p]["rss"] for p in peers} if name == "tazuna" else {}
                emit(f"{figure}.throughput", name, res[name]["mbps"], "MB/s", ratios_tp)
                emit(f"{figure}.lines", name, res[name]["lps"], "lines/s")
                emit(f"{figure}.cpu", name, res[name]["cpu"], "s", ratios_cpu)
                emit(f"{figure}.peak_rss", name, res[name]["rss"], "MiB", ratios_rss)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suite", nargs="*", default=["logger"], help="suites to run: logger (default)")
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "bin", help="folder of Tazuna's programs")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--width", type=int, default=100, help="bytes per line, newline included")
    ap.add_argument("--only", nargs="*", help="figures to run, e.g. logger.t.16M")
    args = ap.parse_args()
    for peer in ["/usr/bin/multilog", shutil.which("s6-log"), shutil.which("svlogd")]:
        if not peer or not os.path.exists(peer):
            sys.exit("bench: the peers are missing: apt-get install daemontools runit s6")
    suites = {"logger": bench_logger}
    for s in args.suite:
        suites[s](args)


if __name__ == "__main__":
    main()
