# SPDX-License-Identifier: MIT
# Helper and app figures: runs tazuna-helperbench (D-Bus) and the app's tazuna-logbench, and passes their lines on.
import os
import subprocess
import tempfile
from pathlib import Path

from benchlib import log

# No peer has a D-Bus helper or a desktop app: these figures stand against the targets of issue 5.
TARGETS = {
    "helper.list_services": "20ms",
    "helper.signal_delay": "50ms_median",
    "logbrowser.first_screen": "300ms",
    "logbrowser.search_full": "2000ms",
    "logbrowser.longest_block": "50ms",
}


def relay(argv, env, timeout):
    """Runs a bench program and prints its bench lines with the target added."""
    log("helper: " + " ".join(argv))
    try:
        p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        log(f"helper: {argv[0]} took more than {timeout} s")
        return False
    for line in p.stderr.splitlines()[-6:]:
        log("  " + line)
    for line in p.stdout.splitlines():
        if line.startswith("bench "):
            figure = line.split()[1]
            print(line + (f" target={TARGETS[figure]}" if figure in TARGETS else ""), flush=True)
    if p.returncode != 0:
        log(f"helper: {argv[0]} exited {p.returncode}")
    return p.returncode == 0


def run(args):
    failures = []
    env = dict(os.environ, TAZUNA_BIN=str(args.bin), QT_QPA_PLATFORM="offscreen")
    helper = args.bin / "tazuna-helperbench"
    logbench = args.bin / "tazuna-logbench"
    for program in [helper, logbench]:
        if not program.exists():
            log(f"helper: {program} is missing: build it (cmake --build BUILD --target {program.name})")
            failures.append(program.name)
    if helper.exists() and not relay([str(helper), "--services", str(args.services),
                                      "--reps", "3" if args.quick else "20"], env, 600):
        failures.append("helper")
    if logbench.exists():
        with tempfile.TemporaryDirectory(prefix="tazuna-bench-logs-", dir=args.disk_dir) as d:
            # Without --logs it writes 10 x 16 MB of multilog files itself.
            argv = [str(logbench)] + (["--archives", "2", "--size-mb", "1"] if args.quick else [])
            env["TMPDIR"] = d
            if not relay(argv, env, 600):
                failures.append("logbench")
    return failures
