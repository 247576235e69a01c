#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a command on a private X server (Xvfb) with a real tray host (trayer), then stops both.
set -eu
exec xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  trayer --edge top --align right --widthtype pixel --width 120 --height 28 \
         --transparent false --tint 0x808080 >/dev/null 2>&1 &
  tray=$!
  rc=0
  "$@" || rc=$?
  kill "$tray" 2>/dev/null || true
  wait "$tray" 2>/dev/null || true
  exit "$rc"' sh "$@"
