# SPDX-License-Identifier: MIT
# Latencies: control round trip, death to restart and new directory to running, under each suite.
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from benchlib import emit_all, log, poll_until, rotations
from peers import fresh_tree, make_service, suites, wait_all_up

# daemontools' supervise, runsv and s6-supervise wait a second after a start before
# they start again: a death sooner than that measures their pause, not their reaction.
SETTLE_S = 1.5
# Control round trips and deaths per start of a scanner; new directories: one.
TRIALS_PER_START = 2


def run(args):
    all_suites = suites(args.bin)
    names = [s.name for s in all_suites]
    by_name = {s.name: s for s in all_suites}
    res = {k: {s: [] for s in names} for k in ["control", "restart", "newdir"]}
    base = Path(tempfile.mkdtemp(prefix="tazuna-bench-lat-", dir=args.disk_dir))
    try:
        for rep, order in rotations(names, args.reps):
            for name in order:
                suite = by_name[name]
                tree = fresh_tree(base, name, 1)
                svc = tree / "s0000"
                suite.start(tree)
                try:
                    if wait_all_up(suite, tree, ["s0000"], 30) is None:
                        log(f"latency: {name}: the service did not come up")
                        continue
                    time.sleep(SETTLE_S)
                    for _ in range(TRIALS_PER_START):
                        t0 = time.perf_counter()
                        suite.control(suite.down, svc)
                        down, _ = poll_until(lambda: suite.read_pid(svc) == 0, 10)
                        suite.control(suite.up, svc)
                        pid, _ = poll_until(lambda: suite.read_pid(svc), 10)
                        res["control"][name].append((time.perf_counter() - t0) * 1e3 if down and pid else None)
                        time.sleep(SETTLE_S)
                        old = suite.read_pid(svc)
                        t0 = time.perf_counter()
                        os.kill(old, signal.SIGKILL)
                        new, dt = poll_until(lambda: (p := suite.read_pid(svc)) and p != old and p, 10)
                        res["restart"][name].append(dt * 1e3 if new else None)
                        time.sleep(SETTLE_S)
                    # A new service directory appears (renamed into place, complete).
                    t0 = time.perf_counter()
                    fresh = make_service(tree, f"n{rep:03d}", staged=True)
                    if name == "s6":
                        # s6-svscan scans only when told (or every -t ms if it was given one).
                        subprocess.run(["/usr/bin/s6-svscanctl", "-a", str(tree)])
                    pid, _ = poll_until(lambda: suite.read_pid(fresh), 15)
                    res["newdir"][name].append((time.perf_counter() - t0) * 1e3 if pid else None)
                finally:
                    suite.stop()
                    shutil.rmtree(tree, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    emit_all("latency.control_round_trip", res["control"], "ms", note="svc_-d_until_down_then_-u_until_up")
    emit_all("latency.death_to_restart", res["restart"], "ms", note="kill_-9_until_new_pid_in_status")
    emit_all("latency.new_directory_to_running", res["newdir"], "ms",
             note="s6_told_by_s6-svscanctl_-a_others_unaided")
