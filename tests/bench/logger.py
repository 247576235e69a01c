# SPDX-License-Identifier: MIT
# Logger throughput: Tazuna's multilog against daemontools' multilog, s6-log, svlogd and cat, on disk and on tmpfs.
import gzip
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchlib import emit, emit_all, kib, log, proc_status, rotations

STAMP = re.compile(rb"^@[0-9a-f]{24} ", re.M)


def make_input(path, lines, width):
    with open(path, "wb") as f:
        body = "x" * (width - 12)
        for start in range(0, lines, 10000):
            f.write("".join(f"{i:010d} {body}\n" for i in range(start, min(lines, start + 10000))).encode())


def run_piped(argv, cwd, input_path, stdout_path=None, from_file=False):
    """Runs argv in cwd with input_path piped into its stdin, as a service's output
    reaches its logger. Returns (wall s, CPU s, peak RSS KiB).

    from_file: stdin is input_path itself instead of a pipe, and the RSS is None.
    Our multilog keeps no journal for a file (reading a file takes nothing away
    from anyone), so this measures what the journal costs and what the logger
    would do without it.

    CPU comes from wait4(): the logger and every child it reaped (its processors).
    Peak RSS is VmHWM of the logger's own address space, read once all input is in
    the pipe: rusage's maxrss would also count the pages of the process it was
    forked from, which exec does not reset on Linux.
    """
    r, w = os.pipe()
    if from_file:
        os.close(w)
        os.close(r)
        r = os.open(input_path, os.O_RDONLY)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.dup2(r, 0)
            out = os.open(stdout_path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, 1)
            err = os.open(os.devnull, os.O_WRONLY)
            os.dup2(err, 2)
            os.closerange(3, 1024)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(r)
    hwm = None
    if not from_file:
        with open(input_path, "rb") as inp:
            size = os.fstat(inp.fileno()).st_size
            off = 0
            while off < size:
                off += os.sendfile(w, inp.fileno(), off, size - off)
        hwm = kib(proc_status(pid).get("VmHWM", ""))
        os.close(w)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} exited {os.waitstatus_to_exitcode(status)}")
    return wall, ru.ru_utime + ru.ru_stime, hwm


def logger_argv(impl, bin_dir, stamp, size, processor):
    script = (["t"] if stamp else []) + [f"s{size}", "n10"] + ([f"!{processor}"] if processor else []) + ["./log"]
    if impl in ("tazuna", "tazuna_unjournalled"):
        return [str(bin_dir / "multilog")] + script
    if impl in FLOORS:
        return [str(bin_dir / "tazuna-loggerfloor"), FLOORS[impl], "log"]
    if impl == "daemontools":
        return ["/usr/bin/multilog"] + script
    if impl == "s6":
        return ["/usr/bin/s6-log"] + script
    if impl == "runit":
        # svlogd takes size and count from log/config; -tt stamps in UTC text.
        return ["/usr/bin/svlogd"] + (["-tt"] if stamp else []) + ["./log"]
    if impl == "cat_fsync":
        # The ceiling for a logger that syncs what it wrote, as every multilog
        # does at each rotation: the same bytes, one fsync at the end.
        return ["dd", "of=log/current", "bs=64K", "conv=fsync", "status=none"]
    return ["cat"]


def log_contents(d: Path, unzip: bool):
    """The archives (oldest first) and current of a multilog directory, stamps masked,
    and each file's length: what must be equal between two multilogs."""
    files = sorted(p for p in d.iterdir() if p.name.startswith("@")) + [d / "current"]
    out = []
    for p in files:
        data = p.read_bytes()
        if unzip and p.name.startswith("@"):
            data = gzip.decompress(data)
        out.append((len(data), STAMP.sub(b"@" + b"x" * 24 + b" ", data)))
    return out


def same_as_daemontools(ours: Path, theirs: Path, unzip: bool):
    a, b = log_contents(ours, unzip), log_contents(theirs, unzip)
    if a == b:
        return True, f"{len(a)} files"
    return False, f"{len(a)} vs {len(b)} files, sizes {[x[0] for x in a][:4]} vs {[x[0] for x in b][:4]}"


def fsync_cost(base: Path, reps: int):
    """Seconds to write 16 MB to a new file and fsync it: what each 16 MB rotation of
    any multilog costs at least on this filesystem (0.76 syncs current before it
    becomes an archive, and so do we)."""
    block = b"x" * (1 << 20)
    out = []
    for _ in range(reps):
        path = base / f".tazuna-bench-fsync-{os.getpid()}"
        t0 = time.perf_counter()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            for _ in range(16):
                os.write(fd, block)
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(path)
        out.append(time.perf_counter() - t0)
    return out


# The system calls of a logger alone, no line handled (tests/bench/loggerfloor.cpp):
# what this machine allows a logger without and with multilog's journal.
FLOORS = {"floor_plain": "plain", "floor_journal": "journal", "floor_journal_2threads": "journal2",
          "floor_journal_2threads_n10": "journal2n10", "floor_journal_2threads_u10": "journal2u10",
          "floor_2threads_n10": "plain2n10"}

VARIANTS = [
    # figure, t, size, processor, lines (None: the full --lines)
    ("t.16M", True, 16777215, None, None),
    ("plain.16M", False, 16777215, None, None),
    ("t.100k", True, 100000, None, 200_000),
    ("t.16M.gzip", True, 16777215, "gzip", 500_000),
]


def run(args):
    """Every variant on the disk under --disk-dir and on a tmpfs under --tmpfs-dir."""
    inputs = Path(tempfile.mkdtemp(prefix="tazuna-bench-in-", dir=args.tmpfs_dir))
    failures = []
    try:
        made = {}
        for fs, base in [("disk", args.disk_dir), ("tmpfs", args.tmpfs_dir)]:
            emit_all(f"logger.{fs}.write_fsync_16M", {"filesystem": [t * 1e3 for t in fsync_cost(base, args.reps)]},
                     "ms", note="write_16_MB_then_fsync")
            for figure, stamp, size, processor, lines in VARIANTS:
                if args.only and figure not in args.only:
                    continue
                lines = min(lines or args.lines, args.lines)
                if lines not in made:
                    made[lines] = inputs / f"in-{lines}"
                    log(f"logger: making input, {lines} lines of {args.width} bytes")
                    make_input(made[lines], lines, args.width)
                inp = made[lines]
                total = inp.stat().st_size
                impls = ["tazuna", "daemontools", "s6"] + ([] if processor else ["runit"]) + ["cat", "cat_fsync"]
                if figure == "t.16M":
                    impls += ["tazuna_unjournalled"] + list(FLOORS)
                work = Path(tempfile.mkdtemp(prefix="tazuna-bench-log-", dir=base))
                res = {n: {"mbps": [], "lps": [], "cpu": [], "rss": []} for n in impls}
                try:
                    for rep, order in rotations(impls, args.reps):
                        for impl in order:
                            d = work / impl
                            shutil.rmtree(d, ignore_errors=True)
                            (d / "log").mkdir(parents=True)
                            if impl == "runit":
                                (d / "log" / "config").write_text(f"s{size}\nn10\n")
                            argv = logger_argv(impl, args.bin, stamp, size, processor)
                            wall, cpu, rss = run_piped(argv, d, inp, d / "log" / "current" if impl == "cat" else None,
                                                       from_file=impl == "tazuna_unjournalled")
                            res[impl]["mbps"].append(total / wall / 1e6)
                            # Each repetition on stderr: a median hides which one
                            # a disturbance of the machine fell on.
                            log(f"logger.{fs}.{figure} rep {rep} {impl}: {total / wall / 1e6:.1f} MB/s")
                            res[impl]["lps"].append(lines / wall)
                            res[impl]["cpu"].append(cpu)
                            res[impl]["rss"].append(None if rss is None else rss / 1024.0)
                    ok, why = same_as_daemontools(work / "tazuna" / "log", work / "daemontools" / "log", bool(processor))
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                name = f"logger.{fs}.{figure}"
                log(f"{name}: output {'identical to' if ok else 'DIFFERS from'} daemontools' multilog ({why})")
                print(f"bench {name}.same_output impl=tazuna value={1 if ok else 0} unit=bool note={why.replace(' ', '_')}",
                      flush=True)
                if not ok:
                    failures.append(name)
                emit_all(f"{name}.throughput", {n: res[n]["mbps"] for n in impls}, "MB/s")
                for floor in FLOORS:
                    if floor in impls:
                        # How far above daemontools' multilog this machine lets a
                        # logger go at all: the ceiling of every ratio_vs_daemontools.
                        ratio = statistics.median(res[floor]["mbps"]) / statistics.median(res["daemontools"]["mbps"])
                        emit(f"{name}.throughput_floor", floor, res[floor]["mbps"], "MB/s", {"daemontools": ratio})
                emit_all(f"{name}.lines", {n: res[n]["lps"] for n in impls}, "lines/s")
                # Ratios below 1: less CPU or memory than the peer.
                emit_all(f"{name}.cpu", {n: res[n]["cpu"] for n in impls}, "s")
                emit_all(f"{name}.cpu_per_mb", {n: [c / (total / 1e6) * 1e3 for c in res[n]["cpu"]] for n in impls},
                         "ms/MB")
                emit_all(f"{name}.peak_rss", {n: res[n]["rss"] for n in impls}, "MiB")
    finally:
        shutil.rmtree(inputs, ignore_errors=True)
    return failures
