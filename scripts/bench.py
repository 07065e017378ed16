"""Benchmarks: extraction throughput on one core, and ingest into the embedded store.

Prints a table.  Speed targets live here, not in timed tests:

    python scripts/bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from cckg.extract import extract
from cckg.rdfmap import facts_to_graph, release_iri
from cckg.reader import find_releases, read_release
from cckg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the releases (default 20)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    paths = find_releases([REPO / "data" / "releases", REPO / "data" / "devset" / "releases"])
    releases = [read_release(p) for p in paths]
    extract(releases[0])  # load the pipeline and the gazetteers once, outside the timing

    started = time.perf_counter()
    for _ in range(args.repeat):
        facts = [extract(r) for r in releases]
    extract_seconds = time.perf_counter() - started
    count = len(releases) * args.repeat

    started = time.perf_counter()
    for _ in range(args.repeat):
        graphs = [facts_to_graph(f) for f in facts]
    map_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Path(folder) / "store")
        started = time.perf_counter()
        for graph, release in zip(graphs, releases, strict=True):
            store.replace_graph(release_iri(release.id), graph)
        store_seconds = time.perf_counter() - started

    rows = [
        ("extract (read text -> facts)", count, extract_seconds),
        ("map facts -> RDF", count, map_seconds),
        ("store one named graph each", len(releases), store_seconds),
    ]
    print(f"{'stage':<32} {'releases':>9} {'seconds':>9} {'releases/s':>11}")
    for name, n, seconds in rows:
        print(f"{name:<32} {n:>9} {seconds:>9.3f} {n / seconds:>11.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB; one core; {len(releases)} distinct releases")


if __name__ == "__main__":
    main()
