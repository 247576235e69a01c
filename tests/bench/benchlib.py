# SPDX-License-Identifier: MIT
# What every bench module shares: the output line, alternation, process measurement and /proc readers.
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fmt(v):
    return f"{v:.6g}"


def emit(figure, impl, values, unit, ratios=None, note=None):
    """One machine-readable line: median, min and max of the repetitions, and the
    ratio of Tazuna's median to each peer's (for Tazuna's line only)."""
    values = [v for v in values if v is not None]
    if not values:
        print(f"bench {figure} impl={impl} unit={unit} n=0 missing=1" + (f" note={note}" if note else ""), flush=True)
        return
    med = statistics.median(values)
    parts = [f"bench {figure}", f"impl={impl}", f"median={fmt(med)}", f"min={fmt(min(values))}",
             f"max={fmt(max(values))}", f"unit={unit}", f"n={len(values)}"]
    for peer, r in (ratios or {}).items():
        if r is not None:
            parts.append(f"ratio_vs_{peer}={r:.3g}")
    if note:
        parts.append(f"note={note}")
    print(" ".join(parts), flush=True)


def emit_all(figure, results, unit, ours="tazuna", note=None):
    """results: impl -> list of values. Prints Tazuna first with its ratios, then each peer."""
    meds = {k: statistics.median([x for x in v if x is not None]) for k, v in results.items()
            if any(x is not None for x in v)}
    for impl, values in results.items():
        ratios = None
        if impl == ours and ours in meds:
            ratios = {p: (meds[ours] / m if m else None) for p, m in meds.items() if p != ours}
        emit(figure, impl, values, unit, ratios, note)


def rotations(names, reps):
    """The order of implementations in each repetition: each one goes first in turn."""
    for rep in range(reps):
        k = rep % len(names)
        yield rep, names[k:] + names[:k]


def proc_status(pid):
    """The fields of /proc/PID/status as a dict of strings, {} once it has gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except (FileNotFoundError, ProcessLookupError):
        return {}


def kib(field):
    return int(field.split()[0]) if field else 0


def proc_stat(pid):
    """(comm, ppid, utime+stime in seconds) from /proc/PID/stat, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    comm = s[s.index("(") + 1:s.rindex(")")]
    rest = s[s.rindex(")") + 2:].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return comm, int(rest[1]), (int(rest[11]) + int(rest[12])) / ticks


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def all_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def descendants(root):
    """Every process below root (root included), from one walk of /proc."""
    children = {}
    for pid in all_pids():
        st = proc_stat(pid)
        if st:
            children.setdefault(st[1], []).append(pid)
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def kill_pids(pids, sig=signal.SIGKILL):
    for p in pids:
        try:
            os.kill(p, sig)
        except ProcessLookupError:
            pass


def wait_gone(pids, deadline_s):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if not any(os.path.exists(f"/proc/{p}") and proc_stat(p) and proc_status(p).get("State", "Z")[0] != "Z"
                   for p in pids):
            return True
        time.sleep(0.02)
    return False


def poll_until(pred, deadline_s, interval=0.001):
    """Polls pred until it returns something true; (value, seconds) or (None, None)."""
    t0 = time.perf_counter()
    end = t0 + deadline_s
    while True:
        v = pred()
        now = time.perf_counter()
        if v:
            return v, now - t0
        if now > end:
            return None, None
        time.sleep(interval)
