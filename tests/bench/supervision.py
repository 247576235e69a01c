# SPDX-License-Identifier: MIT
# Supervision footprint: N services under each scanner; time to all up, memory per supervisor, idle CPU and wakeups.
import array
import fcntl
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


# chattr +T: directories made in such a directory are placed as top-level ones are,
# each in a block group of its own (ext4's Orlov allocator).
FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_TOPDIR_FL = 0x00020000


def spread_trees(base: Path):
    """Each tree made under base gets block groups of its own, away from the trees
    before it. On ext4 without a journal (this machine's disk) a file is created
    only after every inode freed there in the last one to six minutes has been
    looked at and passed over: a suite started where the last suite's tree had just
    been removed spent most of its start-up there, and the figures drifted upwards
    with every tree (2.3 s to 10 s for the same scanner in one run). Elsewhere the
    flag is unknown and ignored."""
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags, True)
        flags[0] |= FS_TOPDIR_FL
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, flags, True)
    except OSError:
        pass
    finally:
        os.close(fd)


def run(args):
    all_suites = suites(args.bin)
    names = [s.name for s in all_suites]
    by_name = {s.name: s for s in all_suites}
    n = args.services
    keys = ["up_s", "rss_sup", "rss_total", "pss_total", "idle_cpu", "wakeups", "wakeups_sup"]
    res = {k: {s: [] for s in names} for k in keys}
    base = Path(tempfile.mkdtemp(prefix="tazuna-bench-sv-", dir=args.disk_dir))
    spread_trees(base)
    failures = []
    try:
        for rep, order in rotations(names, args.reps):
            for name in order:
                suite = by_name[name]
                # A new tree each time, and none removed before the end, for the
                # same reason as spread_trees.
                tree = fresh_tree(base, f"{name}.{rep}", n)
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
                    # Let the file system write back the tree just used before the
                    # next suite starts.
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
