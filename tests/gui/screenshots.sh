#!/bin/sh
# SPDX-License-Identifier: MIT
# Takes the app's screenshots (main window, wizard, log browser, tray menu; English and
# Japanese) under Xvfb with a tray host: screenshots.sh SCREENSHOT-PROGRAM OUTPUT-DIR.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
program=$1
out=$2
mkdir -p "$out"
rm -f "$out"/*.png
fc-list :lang=ja | grep -q . || { echo "screenshots: no Japanese font (install fonts-ipafont-gothic)" >&2; exit 1; }
TAZUNA_SCREENSHOTS="$out" QT_QPA_PLATFORM=xcb "$here/xvfb.sh" "$program"
ls "$out"/*.png
