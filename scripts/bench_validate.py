"""Benchmark: validating one new release against stores of growing size, and the whole store.

A new release is validated as ingest does it (``cckg validate --with-store``): with the shapes,
the ontology and what the store knows about the IRIs the release mentions.  Its cost should not
follow the store's size.  Validating the whole store does, and is timed with each engine.

The stores hold synthetic releases: the seed and development releases, mapped once, copied under
new release ids, with the release's own facts (events, series, agreements, operations, seizures,
cooperation, memberships, evidence) renamed per copy and the shared entities (agencies, people,
posts, places) kept, as in a real store.  They are bulk-loaded into an on-disk Oxigraph store.

    python scripts/bench_validate.py [--sizes 1000 10000] [--large] [--repeat 5]
                                     [--pyshacl-max 1000] [--turbo-max 10000]

``--large`` adds a store of 100,000 releases.  Full-store validation runs with pyshacl-turbo up to
``--turbo-max`` releases and with pySHACL up to ``--pyshacl-max`` (it is much slower).
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from cckg import validation
from cckg.ingest.extract import extract
from cckg.ingest.read import find_releases, read_release
from cckg.namespaces import CCKG, ID, VOCABULARY_GRAPH, ontology
from cckg.pipeline import map_facts
from cckg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "data" / "releases", REPO / "data" / "devset" / "releases"]
#: IRIs of a release's own facts; a copy appends "-s{k}" to their first path segment.
OWN = re.compile(
    rf"<{re.escape(ID)}(release|run|evidence|event|series|agreement|operation|seizure|cooperation|membership)"
    r"/([^/>]+)"
)
MARK = "@@COPY@@"
OWN_REPLACEMENT = rf"<{ID}\1/\2{MARK}"


def templates() -> list[str]:
    """One N-Quads template per mapped release: its triples in its own graph, with MARK where a
    copy's suffix goes."""
    result = []
    for path in find_releases(SOURCES):
        graph = map_facts(extract(read_release(path)))
        release = next(graph.subjects(rdflib.RDF.type, CCKG.Release))
        name = f"<{release}{MARK}>"
        triples = OWN.sub(OWN_REPLACEMENT, graph.serialize(format="nt"))
        result.append("".join(f"{line[:-1].rstrip()} {name} .\n" for line in triples.splitlines() if line))
    return result


def copy(templates_: list[str], k: int) -> str:
    """Synthetic release number ``k`` as N-Quads."""
    return templates_[k % len(templates_)].replace(MARK, f"-s{k}")


def release_graph(templates_: list[str], k: int) -> rdflib.Graph:
    dataset = rdflib.Dataset()
    dataset.parse(data=copy(templates_, k), format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def fill(store: OxigraphStore, templates_: list[str], start: int, stop: int, folder: Path) -> float:
    """Bulk-load synthetic releases ``start`` ... ``stop - 1``; return the seconds it took."""
    path = folder / "fill.nq"
    began = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for k in range(start, stop):
            out.write(copy(templates_, k))
    store.oxigraph.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    path.unlink()
    return time.perf_counter() - began


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def one_release_rows(store: OxigraphStore, new: rdflib.Graph, size: int, repeat: int) -> list[str]:
    skip = [VOCABULARY_GRAPH]
    context = validation.store_context(store, new, skip)
    context_s = median_seconds(lambda: validation.store_context(store, new, skip), repeat)
    report = validation.validate_with_store(new, store, skip=skip)
    assert report.ok(), validation.render_text(report)
    total_s = median_seconds(lambda: validation.validate_with_store(new, store, skip=skip), repeat)
    return [
        f"| one new release, --with-store | {size:,} | {len(new)} + {len(context)} context triples | "
        f"{total_s * 1000:,.0f} ms (context query {context_s * 1000:,.0f} ms) |"
    ]


def full_store_row(store: OxigraphStore, size: int, engine: str) -> str:
    began = time.perf_counter()
    report = validation.validate_store(store, engine=engine)
    seconds = time.perf_counter() - began
    verdict = "ok" if report.ok() else validation.summary(report)
    return f"| whole store, {engine} | {size:,} | {len(store):,} quads | {seconds:,.1f} s ({verdict}) |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="store sizes (releases)")
    parser.add_argument("--large", action="store_true", help="add a store of 100,000 releases")
    parser.add_argument("--repeat", type=int, default=5, help="timings per row (median; default 5)")
    parser.add_argument("--pyshacl-max", type=int, default=1000, help="largest store validated by pySHACL")
    parser.add_argument("--turbo-max", type=int, default=10000, help="largest store validated by turbo")
    args = parser.parse_args()
    sizes = sorted({*args.sizes, *([100000] if args.large else [])})

    templates_ = templates()
    new = release_graph(templates_, 10**9)  # a release that no store holds
    validation.validate_graph(new)  # parse the shapes and prepare the queries outside the timings
    alone_s = median_seconds(lambda: validation.validate_graph(new), args.repeat)
    rows = [f"| one new release, alone | - | {len(new)} triples | {alone_s * 1000:,.0f} ms |"]
    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Path(folder) / "store")
        store.replace_graph(VOCABULARY_GRAPH, ontology())
        rows += one_release_rows(store, new, 0, args.repeat)
        loaded = 0
        for size in sizes:
            load_s = fill(store, templates_, loaded, size, Path(folder))
            print(f"loaded {size:,} releases ({len(store):,} quads, +{load_s:.0f} s)", flush=True)
            loaded = size
            rows += one_release_rows(store, new, size, args.repeat)
            if validation.turbo_available() and size <= args.turbo_max:
                rows.append(full_store_row(store, size, "pyshacl-turbo"))
            if size <= args.pyshacl_max:
                rows.append(full_store_row(store, size, "pyshacl"))
            print("\n".join(rows[-3:]), flush=True)
        store.close()
    print()
    print("| what | releases in the store | data | time |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
