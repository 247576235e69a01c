# SPDX-License-Identifier: MIT
# Supervision footprint: N services under each scanner; time to all up, memory per supervisor, idle CPU and wakeups.
import os
import shutil
import tempfile
import time
from pathlib import Path

from benchlib import descendants, emit_all, kib, log, proc_stat, proc_status, pss_kib, rotations
from peers import fresh_tree, suites, wait_all_up


def snapshot(pids):
    """CPU seconds and context switches (voluntary + involuntary) of each live pid."""
    out = {}
    for p in pids:
        st, ps = proc_stat(p), proc_status(p)
        if st and ps:
            out[p] = (st[2], int(ps.get("voluntary_ctxt_switches", 0)) + int(ps.get("nonvoluntary_ctxt_switches", 0)))
    return out


def run(args):
    all_suites = suites(args.bin)
    names = [s.name for s in all_suites]
    by_name = {s.name: s for s in all_suites}
    n = args.services
    keys = ["up_s", "rss_sup", "rss_total", "pss_total", "idle_cpu", "wakeups", "wakeups_sup"]
    res = {k: {s: [] for s in names} for k in keys}
    base = Path(tempfile.mkdtemp(prefix="tazuna-bench-sv-", dir=args.disk_dir))
    failures = []
    try:
        for rep, order in rotations(names, args.reps):
            for name in order:
                suite = by_name[name]
                tree = fresh_tree(base, name, n)
                services = sorted(p.name for p in tree.iterdir())
                t0 = time.perf_counter()
                suite.start(tree)
                try:
                    up = wait_all_up(suite, tree, services, 120)
                    up = None if up is None else time.perf_counter() - t0
                    if up is None:
                        log(f"supervision: {name}: not all {n} services up after 120 s")
                        failures.append(f"supervision.{name}")
                        continue
                    res["up_s"][name].append(up)
                    time.sleep(1.0)  # let the last starts settle before memory is read
                    sups = suite.supervisors()
                    rss = sorted(kib(proc_status(p).get("VmRSS", "")) for p in sups)
                    tree_pids = [suite.proc.pid] + sups
                    res["rss_sup"][name].append(rss[len(rss) // 2] if rss else None)
                    res["rss_total"][name].append(
                        (kib(proc_status(suite.proc.pid).get("VmRSS", "")) + sum(rss)) / 1024.0)
                    res["pss_total"][name].append(sum(pss_kib(p) for p in tree_pids) / 1024.0)
                    log(f"supervision: {name}: {len(sups)} supervisors, all up in {up:.2f} s")
                    if rep == 0:
                        # Idle once per suite: the whole tree, services included.
                        everyone = descendants(suite.proc.pid)
                        a = snapshot(everyone)
                        time.sleep(args.idle)
                        b = snapshot(everyone)
                        common = [p for p in a if p in b]
                        res["idle_cpu"][name].append(sum(b[p][0] - a[p][0] for p in common))
                        res["wakeups"][name].append(sum(b[p][1] - a[p][1] for p in common) / args.idle)
                        res["wakeups_sup"][name].append(
                            sum(b[p][1] - a[p][1] for p in common if p in sups) / args.idle)
                finally:
                    suite.stop()
                    shutil.rmtree(tree, ignore_errors=True)
                    # Let the file system write back the tree just removed: the next
                    # suite would otherwise start while its 1000 directories' worth
                    # of journal commits are still going (seen as every suite after
                    # the first taking 2-4 times as long in one repetition).
                    os.sync()
                    time.sleep(2)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    emit_all(f"supervision.{n}.start_all_up", res["up_s"], "s")
    emit_all(f"supervision.{n}.rss_per_supervisor", res["rss_sup"], "KiB", note="median_over_supervisors")
    emit_all(f"supervision.{n}.rss_total", res["rss_total"], "MiB", note="scanner+supervisors_VmRSS_sum")
    emit_all(f"supervision.{n}.pss_total", res["pss_total"], "MiB", note="scanner+supervisors_Pss_sum")
    emit_all(f"supervision.{n}.idle_cpu", res["idle_cpu"], "s", note=f"whole_tree_over_{args.idle:g}s")
    emit_all(f"supervision.{n}.idle_wakeups", res["wakeups"], "per_s", note="whole_tree_ctxt_switches")
    emit_all(f"supervision.{n}.idle_wakeups_supervisors", res["wakeups_sup"], "per_s",
             note="supervisors_only_ctxt_switches")
    return failures
