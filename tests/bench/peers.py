# SPDX-License-Identifier: MIT
# The four supervision suites side by side: how to start each scanner, control a service, read its state, stop it.
import os
import shutil
import signal
import struct
import subprocess
import time
from pathlib import Path

from benchlib import descendants, kill_pids, log, wait_gone

RUN_SCRIPT = "#!/bin/sh\nexec sleep 100000\n"


def make_service(parent: Path, name: str, staged=False):
    """A service directory whose ./run execs a sleep. With staged, it is built under a
    dotted name (which every scanner skips) and renamed into place, so a scanner
    never sees it half-made; returns the final path."""
    final = parent / name
    d = parent / f".stage-{name}" if staged else final
    d.mkdir()
    (d / "run").write_text(RUN_SCRIPT)
    (d / "run").chmod(0o755)
    if staged:
        os.rename(d, final)
    return final


def status_pid(svc: Path, fmt: str, offset: int, least: int):
    """The pid in supervise/status, packed as fmt at offset; 0 while the file is
    missing or shorter than least bytes (not written yet)."""
    try:
        with open(svc / "supervise" / "status", "rb") as f:
            b = f.read(max(least, offset + struct.calcsize(fmt)))
    except FileNotFoundError:
        return 0
    return struct.unpack_from(fmt, b, offset)[0] if len(b) >= least else 0


def pid_018(svc: Path):
    """daemontools' 18-byte status and runit's 20-byte one: pid little-endian at 12."""
    return status_pid(svc, "<I", 12, 18)


def pid_s6(svc: Path):
    """s6 2.11's 35-byte status: stamp, ready stamp (12 bytes each), pid as 8 bytes big-endian."""
    return status_pid(svc, ">Q", 24, 35)


class Suite:
    """One supervision suite: its scanner, its per-service supervisor and its control tool."""

    def __init__(self, name, scanner, supervisor, down, up, read_pid, env_path, stop):
        self.name = name
        self.scanner = scanner          # argv without the directory
        self.supervisor = supervisor    # the per-service process name in /proc/PID/stat
        self.down = down                # argv prefix that takes a service down
        self.up = up
        self.read_pid = read_pid
        self.env_path = env_path
        self.stop_how = stop
        self.proc = None
        self.dir = None

    def env(self):
        e = dict(os.environ)
        e["PATH"] = self.env_path + ":" + e.get("PATH", "/usr/bin:/bin")
        return e

    def start(self, scan_dir: Path):
        self.dir = scan_dir
        self.proc = subprocess.Popen(self.scanner + [str(scan_dir)], env=self.env(), cwd=scan_dir,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        return self.proc.pid

    def control(self, argv_prefix, svc: Path):
        subprocess.run(argv_prefix + [str(svc)], env=self.env(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    def supervisors(self):
        from benchlib import proc_stat
        out = []
        for p in descendants(self.proc.pid):
            st = proc_stat(p)
            if st and st[0] == self.supervisor and st[1] == self.proc.pid:
                out.append(p)
        return out

    def stop(self):
        """Stops the scanner, every supervisor and every service, each the suite's own
        way; whatever is left after 30 s is killed by pid."""
        if not self.proc:
            return
        tree = descendants(self.proc.pid)
        services = [p for p in self.dir.iterdir() if not p.name.startswith(".")] if self.dir else []
        self.stop_how(self, services)
        if not wait_gone(tree, 30):
            log(f"bench: {self.name} left processes after 30 s; killing them")
            kill_pids(tree)
            wait_gone(tree, 5)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def _stop_daemontools(svc_tool):
    def stop(suite, services):
        suite.proc.send_signal(signal.SIGTERM)  # svscan first, so it restarts nothing
        suite.proc.wait()
        for i in range(0, len(services), 200):
            subprocess.run([svc_tool, "-dx"] + [str(s) for s in services[i:i + 200]],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return stop


def _stop_runit(suite, services):
    # runsvdir's HUP: TERM to every runsv, which stops its service and exits.
    suite.proc.send_signal(signal.SIGHUP)


def _stop_s6(suite, services):
    subprocess.run(["s6-svscanctl", "-t", str(suite.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def suites(bin_dir: Path):
    """Tazuna first, then the peers, each called by its full path so they never mix up."""
    ours = str(bin_dir)
    for p in ["/usr/bin/svscan", "/usr/bin/runsvdir", "/usr/bin/s6-svscan"]:
        if not os.path.exists(p):
            raise SystemExit("bench: the peers are missing: apt-get install daemontools runit s6")
    return [
        Suite("tazuna", [f"{ours}/svscan"], "supervise", [f"{ours}/svc", "-d"], [f"{ours}/svc", "-u"],
              pid_018, ours, _stop_daemontools(f"{ours}/svc")),
        Suite("daemontools", ["/usr/bin/svscan"], "supervise", ["/usr/bin/svc", "-d"], ["/usr/bin/svc", "-u"],
              pid_018, "/usr/bin", _stop_daemontools("/usr/bin/svc")),
        # runsvdir's second argument would be a log area for its proctitle: not given.
        Suite("runit", ["/usr/bin/runsvdir"], "runsv", ["/usr/bin/sv", "down"], ["/usr/bin/sv", "up"],
              pid_018, "/usr/bin", _stop_runit),
        # -c: room for the 1000 services and a few more (its default table is smaller).
        Suite("s6", ["/usr/bin/s6-svscan", "-c", "4000"], "s6-supervise", ["/usr/bin/s6-svc", "-d"],
              ["/usr/bin/s6-svc", "-u"], pid_s6, "/usr/bin", _stop_s6),
    ]


def fresh_tree(base: Path, name: str, count: int):
    d = base / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for i in range(count):
        make_service(d, f"s{i:04d}")
    return d


def wait_all_up(suite, tree: Path, names, deadline_s):
    """Seconds until every service's status names a pid, or None after deadline_s.
    A service seen up is not read again, and each pass reads only until the first
    service still down: all must be up in the end, so one waits on that one. Passes
    over every pending status file took 24-30 % of all CPU samples of a 1000-service
    start (perf record -a), in competition with the very starts being timed."""
    t0 = time.perf_counter()
    pending = list(names)
    while time.perf_counter() - t0 < deadline_s:
        first_down = 0
        while first_down < len(pending) and suite.read_pid(tree / pending[first_down]):
            first_down += 1
        del pending[:first_down]
        if not pending:
            return time.perf_counter() - t0
        time.sleep(0.005)
    return None
