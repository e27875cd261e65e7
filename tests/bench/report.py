#!/usr/bin/env python3
"""report.py - turn BENCH lines into the benchmark table (markdown)."""
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 3 or f[0] != "BENCH":
        continue
    kv = dict(x.split("=", 1) for x in f[1:] if "=" in x)
    runs.setdefault(kv["work"], {}).setdefault(kv["tool"], []).append(kv)

def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None

print("| work | tool | wall | ratio to untraced | calls / oracle | lost events |")
print("|---|---|---|---|---|---|")
for work in sorted(runs):
    r = runs[work]
    base = statistics.median(num(x["wall_ns"]) for x in r.get("untraced", []))
    oracle = r.get("oracle", [{}])[0].get("calls", "?")
    for tool in ("untraced", "kfollow", "trace-cmd", "perf-ftrace", "trace_pipe-script"):
        if tool not in r:
            continue
        x = r[tool][0]
        wall = statistics.median(num(y["wall_ns"]) for y in r[tool])
        calls = x.get("calls", "-")
        print(f"| {work} | {tool} | {wall/1e9:.2f} s | {wall/base:.1f}x | "
              f"{calls} / {oracle} | {x.get('lost', '-')} |")

print()
print("| work | kfollow events/s (read + build) | trace-cmd report events/s | ratio | kfollow bytes/node |")
print("|---|---|---|---|---|")
for work in sorted(runs):
    r = runs[work]
    k = r.get("kfollow", [{}])[0]
    t = r.get("trace-cmd", [{}])[0]
    kr = num(k.get("pp_events_per_s"))
    tev, tns = num(t.get("events")), num(t.get("report_ns"))
    tr = tev / (tns / 1e9) if tev and tns else None
    ratio = f"{kr/tr:.1f}x" if kr and tr else "-"
    print(f"| {work} | {kr:.0f} | {tr:.0f} | {ratio} | {k.get('bytes_per_node', '-')} |"
          if kr and tr else f"| {work} | {kr} | {tr} | - | {k.get('bytes_per_node', '-')} |")
