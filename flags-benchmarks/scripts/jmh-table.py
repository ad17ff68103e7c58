#!/usr/bin/env python3
"""Turns JMH JSON results (-rf json) into the Markdown tables of docs/benchmarks.md.

Per benchmark: the median of the measured iterations (robust on a noisy machine), min..max, and
B/op from -prof gc. With --scenarios, one table per scenario with every SDK side by side and the
ratio peer median / our median ("how many times faster we are").

Usage:
  flags-benchmarks/scripts/jmh-table.py results.json [more.json ...]
  flags-benchmarks/scripts/jmh-table.py --scenarios results.json
"""
import json
import statistics
import sys

SDKS = [("FlagsBenchmark", "flags (ours)"), ("LaunchDarklyBenchmark", "LaunchDarkly"),
        ("TogglzBenchmark", "Togglz"), ("UnleashBenchmark", "Unleash")]
SCENARIOS = [("booleanOnForEveryone", "a. boolean flag, on for everyone"),
             ("rollout10Percent", "b. 10% rollout by user key"),
             ("ruleThenRollout", "c. country in [DE, FR] and plan = pro, else 10% rollout")]


def load(paths):
    out = {}
    for path in paths:
        for r in json.load(open(path)):
            raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
            secondary = r.get("secondaryMetrics", {})
            alloc = secondary.get("gc.alloc.rate.norm", {}).get("score")
            cpu_raw = [x for fork in secondary.get("cpu.time.norm", {}).get("rawData", []) for x in fork]
            cls, method = r["benchmark"].rsplit(".", 2)[-2:]
            out[(cls, method, r["mode"])] = {
                "unit": r["primaryMetric"]["scoreUnit"], "median": statistics.median(raw),
                "min": min(raw), "max": max(raw), "mean": r["primaryMetric"]["score"], "alloc": alloc,
                "cpu": statistics.median(cpu_raw) if cpu_raw else None,
            }
    return out


def fmt(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def alloc(a):
    return "" if a is None else f"{a:,.0f}" if a >= 0.5 else "0"


def cpu(r):
    """CPU time per op, in the benchmark's own unit (the profiler reports ns)."""
    if r.get("cpu") is None:
        return ""
    scale = {"ns/op": 1, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}.get(r["unit"], 1)
    return f"{fmt(r['cpu'] / scale)} {r['unit']}"


def ratio(peer, ours, field):
    if peer.get(field) is None or ours is None or not ours.get(field):
        return ""
    return f"{peer[field] / ours[field]:,.1f}×"


def plain(results):
    print("| benchmark | mode | median | min..max | mean | CPU ns/op (median) | B/op |")
    print("|---|---|---|---|---|---|---|")
    for (cls, method, mode), r in results.items():
        print(f"| {cls}.{method} | {mode} | {fmt(r['median'])} {r['unit']} "
              f"| {fmt(r['min'])}..{fmt(r['max'])} | {fmt(r['mean'])} | {cpu(r)} | {alloc(r['alloc'])} |")


def scenarios(results):
    for method, title in SCENARIOS:
        ours = results.get(("FlagsBenchmark", method, "avgt"))
        print(f"#### {title}\n")
        print("| SDK | wall ns/op (median) | min..max | CPU ns/op (median) | B/op "
              "| ours faster by (wall) | ours faster by (CPU) |")
        print("|---|---|---|---|---|---|---|")
        for cls, name in SDKS:
            r = results.get((cls, method, "avgt"))
            if r is None:
                print(f"| {name} | — | | | | not expressible with built-in strategies | |")
                continue
            mine = cls == "FlagsBenchmark"
            print(f"| {name} | {fmt(r['median'])} | {fmt(r['min'])}..{fmt(r['max'])} | {cpu(r)} | {alloc(r['alloc'])} "
                  f"| {'—' if mine else ratio(r, ours, 'median')} | {'—' if mine else ratio(r, ours, 'cpu')} |")
        print()


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--scenarios":
        scenarios(load(args[1:]))
    else:
        plain(load(args))
