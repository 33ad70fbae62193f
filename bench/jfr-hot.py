#!/usr/bin/env python3
"""The hot methods of a JFR recording, for JDK 17 whose `jfr` has no `view hot-methods`.

Usage: bench/jfr-hot.py RECORDING.jfr [TOP] [FILTER...]

Reads `jfr print --json --events jdk.ExecutionSample` and prints, over every sample: the TOP (default 25) methods
on top of the stack (self), and the TOP methods anywhere on the stack (inclusive), as percentages of the samples.
With FILTERs (substrings of a class or method name, e.g. io/lettuce io/micrometer), it first prints for each the share
of samples with a matching frame anywhere on the stack (what that code and everything it calls cost), then the
inclusive list keeps only the methods matching one of them. Record with -XX:FlightRecorderOptions=stackdepth=512:
at the default depth of 64 a reactive stack is cut, and its outer frames are missed.
"""
import collections
import json
import subprocess
import sys


def main():
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    filters = sys.argv[3:]
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", recording],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    groups = collections.Counter()
    truncated = 0
    own = collections.Counter()
    inclusive = collections.Counter()
    threads = collections.Counter()
    for event in events:
        values = event["values"]
        frames = values["stackTrace"]["frames"] if values.get("stackTrace") else []
        names = [f'{f["method"]["type"]["name"]}.{f["method"]["name"]}' for f in frames]
        if names:
            own[names[0]] += 1
        for name in set(names):
            inclusive[name] += 1
        for f in filters:
            if any(f in name for name in names):
                groups[f] += 1
        if values.get("stackTrace", {}).get("truncated"):
            truncated += 1
        thread = values.get("sampledThread") or {}
        threads[(thread.get("javaName") or thread.get("osName") or "?").rstrip("0123456789-")] += 1
    total = len(events) or 1
    print(f"{len(events)} execution samples, {truncated} with a truncated stack\n")
    if filters:
        print("samples with a frame matching:")
        for f in filters:
            print(f"  {100 * groups[f] / total:5.1f} %  {f}")
        print()
    print("threads:")
    for name, count in threads.most_common(10):
        print(f"  {100 * count / total:5.1f} %  {name}")
    print("\nself (top of stack):")
    for name, count in own.most_common(top):
        print(f"  {100 * count / total:5.1f} %  {name}")
    print("\ninclusive (anywhere on the stack)" + (f", matching {' or '.join(filters)}:" if filters else ":"))
    shown = 0
    for name, count in inclusive.most_common():
        if filters and not any(f in name for f in filters):
            continue
        print(f"  {100 * count / total:5.1f} %  {name}")
        shown += 1
        if shown == top:
            break


if __name__ == "__main__":
    main()
