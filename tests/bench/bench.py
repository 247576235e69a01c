#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Side-by-side benchmarks of Tazuna against daemontools, runit and s6 on this machine.
"""Runs every figure for Tazuna and each peer in the same run, alternating the
order each repetition, and prints one machine-readable line per figure:

  bench <figure> impl=<name> median=<v> min=<v> max=<v> unit=<u> n=<reps> [ratio_vs_<peer>=<r> ...]

Ratios compare Tazuna's median with the peer's: for throughput a ratio above 1
means Tazuna is faster, for time, CPU and memory a ratio below 1 means Tazuna is
smaller. Nothing here asserts a number: shared machines are noisy, so the
figures are printed, not judged. Progress goes to stderr, figures to stdout.

Suites: logger, supervision, latency, helper (default: all of them).
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ROOT, log  # noqa: E402


def machine_line():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (f"machine nproc={os.cpu_count()} cpu={cpu.replace(' ', '_')} kernel={platform.release()} "
            f"python={platform.python_version()} loadavg={os.getloadavg()[0]:.2f}")


def fs_line(label, path):
    out = subprocess.run(["df", "--output=source,fstype", str(path)], capture_output=True, text=True).stdout.split("\n")
    src, fstype = out[1].split() if len(out) > 1 and out[1].strip() else ("?", "?")
    return f"filesystem {label} path={path} source={src} type={fstype}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suite", nargs="*", help="logger, supervision, latency, helper (default: all)")
    ap.add_argument("--bin", type=Path, default=ROOT / "build" / "bin", help="folder of Tazuna's programs")
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each figure (default 3)")
    ap.add_argument("--lines", type=int, default=2_000_000, help="logger input lines (default 2,000,000)")
    ap.add_argument("--width", type=int, default=100, help="bytes per line, newline included")
    ap.add_argument("--only", nargs="*", help="logger variants to run, e.g. t.16M t.100k")
    ap.add_argument("--disk-dir", type=Path, default=Path("/tmp"), help="a folder on disk (default /tmp)")
    ap.add_argument("--tmpfs-dir", type=Path, default=Path("/dev/shm"), help="a folder on tmpfs (default /dev/shm)")
    ap.add_argument("--services", type=int, default=1000, help="services in the footprint tree (default 1000)")
    ap.add_argument("--idle", type=float, default=30.0, help="seconds of idle measurement (default 30)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: small sizes, one repetition")
    args = ap.parse_args()
    if args.quick:
        args.reps, args.lines, args.services, args.idle = 1, 20_000, 20, 1.0
    args.bin = args.bin.resolve()
    if not (args.bin / "multilog").exists():
        sys.exit(f"bench: no Tazuna programs in {args.bin}: build them, or give --bin")
    for peer in ["/usr/bin/multilog", "/usr/bin/s6-log", "/usr/bin/svlogd"]:
        if not os.path.exists(peer):
            sys.exit("bench: the peers are missing: apt-get install daemontools runit s6")

    import latency
    import logger
    import supervision
    import helperbench
    suites = {"logger": logger.run, "supervision": supervision.run, "latency": latency.run, "helper": helperbench.run}
    chosen = args.suite or list(suites)
    for s in chosen:
        if s not in suites:
            sys.exit(f"bench: unknown suite {s}; choose from {', '.join(suites)}")
    print(machine_line(), flush=True)
    print(fs_line("disk", args.disk_dir), flush=True)
    print(fs_line("tmpfs", args.tmpfs_dir), flush=True)
    failures = []
    t0 = time.monotonic()
    for s in chosen:
        log(f"== {s}")
        failures += suites[s](args) or []
    print(f"done seconds={time.monotonic() - t0:.0f} loadavg={os.getloadavg()[0]:.2f}", flush=True)
    if failures:
        sys.exit(f"bench: failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()
