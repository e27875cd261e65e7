#!/usr/bin/env python3
"""report.py - turn BENCH lines into the benchmark tables (markdown).

Usage: report.py BENCH.txt [TTFT.txt]
Medians over the runs of each tool; "lost" is the largest of its runs.
"""
import statistics
import sys

TOOLS = ("untraced", "limit", "kfollow", "kfollow-scope", "trace-cmd",
         "trace-cmd-c", "perf-ftrace", "trace_pipe-script")


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def lines(path):
    for line in open(path):
        f = line.split()
        if len(f) < 2 or f[0] != "BENCH":
            continue
        yield dict(x.split("=", 1) for x in f[1:] if "=" in x)


def med(rows, key):
    v = [num(x.get(key)) for x in rows]
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None


def main():
    runs, kernel = {}, "?"
    for kv in lines(sys.argv[1]):
        if "kernel" in kv:
            kernel = kv["kernel"]
        if "work" in kv:
            runs.setdefault(kv["work"], {}).setdefault(kv["tool"], []).append(kv)

    if runs:
        tables(runs, kernel)
    for kv in lines(sys.argv[1]):
        if "note" in kv:
            print(f"\nnote: {kv['note'].replace('-', ' ')}")
    if len(sys.argv) > 2:
        ttft(sys.argv[2])


def tables(runs, kernel):
    print(f"### kernel {kernel}\n")
    # BENCH_ONLY=dd runs have no W0-W2
    if any(w in runs for w in ("W0", "W1", "W2")):
        print("| work | tool | wall (median) | x untraced | x limit | calls / oracle | lost events (max) |")
        print("|---|---|---|---|---|---|---|")
        for work in ("W0", "W1", "W2"):
            r = runs.get(work)
            if not r:
                continue
            base = med(r.get("untraced", []), "wall_ns")
            limit = med(r.get("limit", []), "wall_ns")
            oracle = r.get("oracle", [{}])[0].get("calls", "?")
            for tool in TOOLS:
                if tool not in r:
                    continue
                wall = med(r[tool], "wall_ns")
                lost = [num(x.get("lost")) for x in r[tool]]
                lost = max((x for x in lost if x is not None), default=None)
                xl = f"{wall/limit:.2f}x" if limit and tool != "untraced" else "-"
                print(f"| {work} | {tool} | {wall/1e9:.2f} s | {wall/base:.1f}x | "
                      f"{xl} | {r[tool][0].get('calls', '-')} / {oracle} | "
                      f"{'-' if lost is None else int(lost)} |")

        # each rep ran kfollow, the script and the limit back to back:
        # the ratio within a rep cancels the host's drift between reps
        print("\n| work | kfollow / trace_pipe script, same rep (median) | per rep | kfollow / limit, same rep (median) |")
        print("|---|---|---|---|")
        for work in ("W0", "W1", "W2"):
            r = runs.get(work, {})
            k = [num(x.get("wall_ns")) for x in r.get("kfollow", [])]
            sc = [num(x.get("wall_ns")) for x in r.get("trace_pipe-script", [])]
            li = [num(x.get("wall_ns")) for x in r.get("limit", [])]
            ks = [a / b for a, b in zip(k, sc) if a and b]
            kl = [a / b for a, b in zip(k, li) if a and b]
            if ks:
                lim = f"{statistics.median(kl):.2f}x" if kl else "-"
                print(f"| {work} | {statistics.median(ks):.2f}x | "
                      f"{' '.join(f'{x:.2f}' for x in ks)} | {lim} |")

        print("\n| work | kfollow | set-up | switching on | switching off (and restore) |")
        print("|---|---|---|---|---|")
        for work in ("W0", "W1", "W2"):
            for tool in ("kfollow", "kfollow-scope"):
                rows = runs.get(work, {}).get(tool)
                if rows:
                    print(f"| {work} | {tool} | {med(rows, 'setup_s'):.2f} s | "
                          f"{med(rows, 'arm_s'):.2f} s | {med(rows, 'stop_s'):.2f} s |")

        print("\n| work | kfollow events/s (read + build) | trace-cmd report events/s | ratio | kfollow bytes/node |")
        print("|---|---|---|---|---|")
        for work in ("W0", "W1", "W2"):
            r = runs.get(work, {})
            k, t = r.get("kfollow", []), r.get("trace-cmd", [])
            kr = med(k, "pp_events_per_s")
            tev = med(t, "events")
            tns = med(t, "report_ns")
            tr = tev / (tns / 1e9) if tev and tns else None
            bpn = k[0].get("bytes_per_node", "-") if k else "-"
            if kr and tr:
                print(f"| {work} | {kr:.0f} | {tr:.0f} | {kr/tr:.1f}x | {bpn} |")

    for work, title in (("dd", "dd, syscall boundaries"),
                        ("light", "sha256sum of 32 MB, syscall-light")):
        dd = runs.get(work)
        if not dd:
            continue
        base = med(dd.get("untraced", []), "wall_ns")
        print(f"\n| {title} | wall (median) | slowdown | reads seen | lost events (max) |")
        print("|---|---|---|---|---|")
        for tool in ("untraced", "strace", "perf-trace", "kfollow-boundary"):
            rows = dd.get(tool)
            if not rows:
                continue
            w = med(rows, "wall_ns")
            lost = [num(x.get("lost")) for x in rows]
            lost = max((x for x in lost if x is not None), default=None)
            calls = sorted({x.get("calls", "-") for x in rows})
            print(f"| {tool} | {w/1e9:.3f} s | {w/base:.2f}x | "
                  f"{'/'.join(calls)} | {'-' if lost is None else int(lost)} |")

    by = runs.get("bystander")
    if by:
        alone = med(by.get("alone", []), "wall_ns")
        print("\n| an untraced W2 beside | wall (median) | slowdown |")
        print("|---|---|---|")
        for tool in ("alone", "beside-kfollow-full", "beside-kfollow-scope"):
            if tool in by:
                w = med(by[tool], "wall_ns")
                print(f"| {tool} | {w/1e9:.2f} s | {w/alone:.2f}x |")



def ttft(path):
    if True:
        t = {}
        for kv in lines(path):
            if kv.get("work") == "ttft":
                t.setdefault((kv["kernel"], kv["tool"]), []).append(kv)
        if t:
            print("\n| time to the first tree (host, cache warm) | kernel | median | runs |")
            print("|---|---|---|---|")
            for (k, tool), rows in sorted(t.items()):
                print(f"| `kfollow --vm{'' if tool == 'full' else ' --scope vfs,fdtable'}"
                      f" --batch openat -- cat FILE` | {k} | "
                      f"{med(rows, 'wall_ns')/1e9:.1f} s | {len(rows)} |")


main()
