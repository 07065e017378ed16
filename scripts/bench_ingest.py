"""Benchmark: the cost of ingesting N new releases into an empty store and into a large one.

Ingest is meant to cost O(N) whatever the size of the store.  This script fills a store with
``--existing`` release graphs (copies of the mapped seed and development releases under new
release ids, bulk-loaded), then ingests the same ``N`` new release files, through the real
pipeline, into it and into an empty store, and prints a table.  ``store ms/release`` is the store's
share (the stored-version check and the graph replacement), measured without extraction.

    python scripts/bench_ingest.py [--existing 1000] [--repeat 3] [--server]

Each row is the median of ``--repeat`` ingests of N different new releases into that store.

``--server`` adds an Oxigraph server (``oxigraph serve`` on 127.0.0.1) as a third store.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cckg import pipeline
from cckg.identity import release_iri
from cckg.ingest.extract import extract
from cckg.ingest.read import find_releases, read_release
from cckg.namespaces import ontology
from cckg.pipeline import map_facts
from cckg.store import OxigraphStore, Store, open_store

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "data" / "releases", REPO / "data" / "devset" / "releases"]


def new_release_files(folder: Path, prefix: str) -> list[Path]:
    """The seed and development releases under new file names (so new release ids)."""
    folder.mkdir(parents=True)
    files = []
    for path in find_releases(SOURCES):
        target = folder / f"{prefix}-{path.name}"
        shutil.copyfile(path, target)
        files.append(target)
    return files


def filler_nquads(count: int) -> str:
    """N-Quads of ``count`` release graphs: the mapped releases, copied under fresh release ids."""
    graphs = []
    for path in find_releases(SOURCES):
        release = read_release(path)
        nt = map_facts(extract(release)).serialize(format="nt")
        graphs.append((release.id, nt))
    lines: list[str] = []
    for k in range(count):
        release_id, nt = graphs[k % len(graphs)]
        old = str(release_iri(release_id))
        new_id = f"filler-{k:05d}"
        name = str(release_iri(new_id))
        text = nt.replace(old, name).replace(f"/evidence/{release_iri(release_id).rsplit('/', 1)[1]}/",
                                              f"/evidence/{new_id}/")
        lines += [f"{line[:-1].rstrip()} <{name}> ." for line in text.splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def store_seconds(store: Store, files: list[Path]) -> float:
    """The store's share of ingesting ``files``: metadata check + graph replacement, per release."""
    graphs = [(release_iri(r.id + "-store"), map_facts(extract(r))) for r in map(read_release, files)]
    started = time.perf_counter()
    for name, graph in graphs:
        store.graph_metadata(name)
        store.replace_graph(name, graph)
    return time.perf_counter() - started


def measure(store: Store, batches: list[list[Path]]) -> tuple[float, float]:
    """Median seconds to ingest one batch of new releases, and the store's share of it."""
    pipeline.load_vocabulary(store, pipeline.default_stages().vocabulary_graph, ontology())
    totals, shares = [], []
    for files in batches:
        started = time.perf_counter()
        report = pipeline.ingest(store, files)
        totals.append(time.perf_counter() - started)
        assert report.ok and len(report.ingested) == len(files), report.errors
        shares.append(store_seconds(store, files))
    return statistics.median(totals), statistics.median(shares)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    binary = Path(sys.executable).parent / "oxigraph"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=1000, help="releases already in the large store")
    parser.add_argument("--repeat", type=int, default=3, help="batches of new releases per store")
    parser.add_argument("--server", action="store_true", help="also measure an Oxigraph server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        batches = [new_release_files(folder / f"new{r}", f"new{r}") for r in range(args.repeat)]
        files = batches[0]
        extract(read_release(files[0]))  # load the extractor once, outside the timing
        filler = filler_nquads(args.existing)
        rows = []

        with OxigraphStore(folder / "empty") as store:
            rows.append(("embedded, empty", 0, *measure(store, batches)))
        with OxigraphStore(folder / "large") as store:
            store.bulk_load_quads(filler.encode())
            existing = len(store.graph_names())
            rows.append((f"embedded, {existing} releases", existing, *measure(store, batches)))
        if args.server:
            with oxigraph_server(folder / "server-empty") as url:
                rows.append(("Oxigraph server, empty", 0, *measure(open_store(url), batches)))
            with oxigraph_server(folder / "server-large") as url:
                store = open_store(url)
                load = urllib.request.Request(f"{url}/store", data=filler.encode(),
                                              headers={"Content-Type": "application/n-quads"})
                urllib.request.urlopen(load, timeout=600).close()  # Graph Store Protocol POST
                rows.append((f"Oxigraph server, {existing} releases", existing, *measure(store, batches)))

    n = len(files)
    print(f"{'store before the ingest':<34} {'new releases':>12} {'ingest s':>9} {'ms/release':>11} "
          f"{'store ms/release':>17}")
    for name, _, total, store_part in rows:
        print(f"{name:<34} {n:>12} {total:>9.2f} {1000 * total / n:>11.1f} {1000 * store_part / n:>17.1f}")


if __name__ == "__main__":
    main()
