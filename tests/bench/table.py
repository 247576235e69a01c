#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Turns bench.py's lines into a Markdown table: one row per figure, each suite's median, Tazuna's ratios.
"""Usage: python3 tests/bench/table.py bench.txt > table.md"""
import sys
from collections import OrderedDict


def parse(lines):
    rows = OrderedDict()
    for line in lines:
        if not line.startswith("bench "):
            continue
        words = line.split()
        figure = words[1]
        kv = dict(w.split("=", 1) for w in words[2:] if "=" in w)
        row = rows.setdefault(figure, {"unit": kv.get("unit", ""), "impls": {}, "ratios": {}, "target": ""})
        value = kv.get("median", kv.get("value"))
        if value is not None:
            spread = f" ({kv['min']}–{kv['max']})" if "min" in kv and kv["min"] != kv["max"] else ""
            row["impls"][kv["impl"]] = value + spread
        if kv.get("impl") == "tazuna":
            row["ratios"].update({k[len("ratio_vs_"):]: v for k, v in kv.items() if k.startswith("ratio_vs_")})
            row["target"] = kv.get("target", "")
        elif kv.get("impl", "").startswith("floor_"):
            # A floor's own ratios (throughput_floor): what this machine allows.
            row["ratios"].update({f"{kv['impl']} ÷ {k[len('ratio_vs_'):]}": v for k, v in kv.items()
                                  if k.startswith("ratio_vs_")})
    return rows


def main():
    rows = parse(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    skip = ("lines", "cpu")  # lines/s mirrors MB/s and cpu_per_mb says it per byte
    print("| figure | unit | tazuna | daemontools | runit | s6 | cat / fs | cat + fsync | tazuna, no journal "
          "| floor | floor, journal | floor, journal, 2 threads | floor, journal, 2 threads, n10 "
          "| floor, journal, 2 threads, .u flights | floor, 2 threads, n10 "
          "| tazuna ÷ peer |")
    print("|" + " --- |" * 16)
    for figure, row in rows.items():
        if figure.rsplit(".", 1)[-1] in skip:
            continue
        impls = row["impls"]
        other = impls.get("cat", impls.get("filesystem", ""))
        ratios = ", ".join(f"{p} {r}" for p, r in row["ratios"].items())
        if row["target"]:
            ratios = (ratios + ", " if ratios else "") + f"target {row['target']}"
        print(f"| {figure} | {row['unit']} | {impls.get('tazuna', '')} | {impls.get('daemontools', '')} | "
              f"{impls.get('runit', '')} | {impls.get('s6', '')} | {other} | {impls.get('cat_fsync', '')} | "
              f"{impls.get('tazuna_unjournalled', '')} | {impls.get('floor_plain', '')} | "
              f"{impls.get('floor_journal', '')} | {impls.get('floor_journal_2threads', '')} | "
              f"{impls.get('floor_journal_2threads_n10', '')} | {impls.get('floor_journal_2threads_u10', '')} | "
              f"{impls.get('floor_2threads_n10', '')} | {ratios} |")


if __name__ == "__main__":
    main()
