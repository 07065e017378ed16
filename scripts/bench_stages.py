"""Benchmarks: extraction throughput on one core, mapping to RDF, and storing.

Prints a table.  Speed targets live here, not in timed tests:

    python scripts/bench_stages.py [--repeat N]

Each stage runs ``--repeat`` passes over the seed and development-set releases in one process and
one thread (so on one core).  The table gives the best pass (the machine's speed with the least
interference from other work) and the median pass, in releases per second.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cckg.identity import release_iri
from cckg.ingest.extract import extract
from cckg.ingest.read import find_releases, read_release
from cckg.pipeline import map_facts
from cckg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]


def passes(work: Callable[[], object], repeat: int) -> list[float]:
    """CPU seconds this process spent on each of ``repeat`` runs of ``work`` (time on one core,
    not counting time the machine gave to other processes)."""
    gc.collect()
    gc.freeze()  # objects made before the stage are not the stage's garbage to scan
    seconds = []
    for _ in range(repeat):
        gc.collect()  # the previous pass's garbage is not this pass's work
        started = time.process_time()
        work()
        seconds.append(time.process_time() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the releases (default 20)")
    args = parser.parse_args()
    paths = find_releases([REPO / "data" / "releases", REPO / "data" / "devset" / "releases"])
    releases = [read_release(p) for p in paths]
    extract(releases[0])  # loads the pipeline and the gazetteers outside the timing
    rows = [("read (file -> text)", passes(lambda: [read_release(p) for p in paths], args.repeat))]
    rows.append(("extract (text -> facts)", passes(lambda: [extract(r) for r in releases], args.repeat)))
    facts = [extract(r) for r in releases]
    rows.append(("map (facts -> RDF)", passes(lambda: [map_facts(f) for f in facts], args.repeat)))
    graphs = [map_facts(f) for f in facts]

    def store_all() -> None:
        with tempfile.TemporaryDirectory() as folder:
            store = OxigraphStore(Path(folder) / "store")
            for graph, release in zip(graphs, releases, strict=True):
                store.replace_graph(release_iri(release.id), graph)

    rows.append(("store (one named graph each)", passes(store_all, max(3, args.repeat // 4))))
    n = len(releases)
    print(f"{'stage':<30} {'passes':>6} {'best releases/s':>16} {'median releases/s':>18}")
    for name, seconds in rows:
        best, median = n / min(seconds), n / statistics.median(seconds)
        print(f"{name:<30} {len(seconds):>6} {best:>16.1f} {median:>18.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} releases a pass; one process, one thread; peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
