#!/usr/bin/env python3
"""How fast `cckg generate` makes releases: a table of CPU time and wall time.

Usage:
    bench_generate.py [N] [--folder DIR]

Generates N releases (default 20,000) of seed 0 three times in memory (text and gold JSON) and
reports the best pass, then writes them once to DIR (default: a temporary folder) as
`cckg generate` does.  CPU time is the process's user and system time on one core, so other load
on the machine changes it less than the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from cckg import synth


def cpu() -> float:
    times = os.times()
    return times.user + times.system


def in_memory(n: int) -> tuple[float, float]:
    """Best CPU and wall seconds of three passes making n releases and their gold JSON."""
    best = (float("inf"), float("inf"))
    for _ in range(3):
        started, wall = cpu(), time.perf_counter()
        for release in synth.generate(n, 0):
            json.dumps(release.gold, ensure_ascii=False)
        best = min(best, (cpu() - started, time.perf_counter() - wall))
    return best


def written(n: int, folder: Path) -> tuple[float, float]:
    shutil.rmtree(folder, ignore_errors=True)
    started, wall = cpu(), time.perf_counter()
    synth.write(folder, n, 0)
    return cpu() - started, time.perf_counter() - wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000)
    parser.add_argument("--folder", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args()
    started = time.perf_counter()
    synth.world(0)
    world_seconds = time.perf_counter() - started
    rows = [("world (once per run)", 1, world_seconds, world_seconds)]
    rows.append(("generate, in memory", args.n, *in_memory(args.n)))
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch) / "out"
        rows.append(("generate and write files", args.n, *written(args.n, folder)))
    print(f"| {'stage':<26} | {'releases':>9} | {'CPU s':>7} | {'wall s':>7} | {'releases/s (CPU)':>16} |")
    print(f"|{'-' * 28}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 18}|")
    for stage, count, cpu_s, wall_s in rows:
        rate = f"{count / cpu_s:,.0f}" if count > 1 else ""
        print(f"| {stage:<26} | {count:>9,} | {cpu_s:>7.2f} | {wall_s:>7.2f} | {rate:>16} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
