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
            alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
            cls, method = r["benchmark"].rsplit(".", 2)[-2:]
            out[(cls, method, r["mode"])] = {
                "unit": r["primaryMetric"]["scoreUnit"], "median": statistics.median(raw),
                "min": min(raw), "max": max(raw), "mean": r["primaryMetric"]["score"], "alloc": alloc,
            }
    return out


def fmt(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def alloc(a):
    return "" if a is None else f"{a:,.0f}" if a >= 0.5 else "0"


def plain(results):
    print("| benchmark | mode | median | min..max | mean | B/op |")
    print("|---|---|---|---|---|---|")
    for (cls, method, mode), r in results.items():
        print(f"| {cls}.{method} | {mode} | {fmt(r['median'])} {r['unit']} "
              f"| {fmt(r['min'])}..{fmt(r['max'])} | {fmt(r['mean'])} | {alloc(r['alloc'])} |")


def scenarios(results):
    for method, title in SCENARIOS:
        ours = results.get(("FlagsBenchmark", method, "avgt"))
        print(f"#### {title}\n")
        print("| SDK | ns/op (median) | min..max | B/op | flags is … × faster |")
        print("|---|---|---|---|---|")
        for cls, name in SDKS:
            r = results.get((cls, method, "avgt"))
            if r is None:
                print(f"| {name} | — | | | not expressible |")
                continue
            ratio = "—" if cls == "FlagsBenchmark" or ours is None else f"{r['median'] / ours['median']:,.1f}×"
            print(f"| {name} | {fmt(r['median'])} | {fmt(r['min'])}..{fmt(r['max'])} | {alloc(r['alloc'])} | {ratio} |")
        print()


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--scenarios":
        scenarios(load(args[1:]))
    else:
        plain(load(args))
