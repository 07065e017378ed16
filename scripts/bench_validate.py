"""Benchmark: validation at ingest (a batch of new releases), one new release against stores of
growing size, and the whole store; pySHACL on the same data on each line, with the ratio.

- *batch at ingest*: 200 new releases validated as ingest validates them (``validate_batch``:
  each with the store's context for the IRIs it mentions), the cost per release.  pySHACL
  validates a sample of them one by one, as ``validate_with_store(engine="pyshacl")`` does.
- *one new release*: the same for a batch of one (``cckg validate --with-store``).
- *whole store*: ``validate_store``; pySHACL on stores up to ``--pyshacl-max`` releases.

The stores hold synthetic releases: the seed and development releases, mapped once by the real
pipeline, copied under new release ids (each copy's own nodes renamed, the agencies, people,
posts and places kept, as in a real store), bulk-loaded into an on-disk Oxigraph store.  Times
are CPU seconds of this process (the machine is shared; its load is printed), best of
``--repeat``; the whole store also shows wall time.  No reports are compared here: the tests do
that (tests/validation/test_batch.py).

    python scripts/bench_validate.py [--sizes 1000 10000] [--large] [--repeat 3]
                                     [--pyshacl-max 1000] [--sample 5] [--whole-max N]

``--large`` adds a store of 100,000 releases (about 27 million quads, several GB on disk).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import rdflib

from cckg import validation
from cckg.ingest.extract import extract
from cckg.ingest.read import find_releases, read_release
from cckg.namespaces import CCKG, ID, VOCABULARY_GRAPH, ontology
from cckg.pipeline import map_facts
from cckg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "data" / "releases", REPO / "data" / "devset" / "releases"]
#: IRIs of a release's own nodes; a copy appends "-s{k}" to their first path segment.
OWN = re.compile(
    rf"<{re.escape(ID)}(release|run|evidence|resolution|event|series|agreement|operation|seizure"
    r"|cooperation|membership)/([^/>]+)"
)
MARK = "@@COPY@@"
GRAPH_NAME = re.compile(r" <[^<>]*> \.$", re.MULTILINE)  # the last term of an N-Quads line
BATCH = 200


def templates() -> list[str]:
    """One N-Quads template per mapped release: its triples in its own graph, with MARK where a
    copy's suffix goes."""
    result = []
    for path in find_releases(SOURCES):
        graph = map_facts(extract(read_release(path)))
        release = next(graph.subjects(rdflib.RDF.type, CCKG.Release))
        name = f"<{release}{MARK}>"
        triples = OWN.sub(rf"<{ID}\1/\2{MARK}", graph.serialize(format="nt", encoding="utf-8").decode())
        result.append("".join(f"{line[:-1].rstrip()} {name} .\n" for line in triples.splitlines() if line))
    return result


def copy(templates_: list[str], k: int) -> str:
    """Synthetic release number ``k`` as N-Quads."""
    return templates_[k % len(templates_)].replace(MARK, f"-s{k}")


def release_graph(templates_: list[str], k: int) -> rdflib.Graph:
    """Synthetic release number ``k`` as the pipeline hands it to validation: a graph."""
    triples = GRAPH_NAME.sub(" .", copy(templates_, k))
    return rdflib.Graph().parse(data=triples, format="nt")


def fill(store: OxigraphStore, templates_: list[str], start: int, stop: int, folder: Path) -> float:
    """Bulk-load synthetic releases ``start`` ... ``stop - 1``; return the seconds it took."""
    path = folder / "fill.nq"
    began = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for k in range(start, stop):
            out.write(copy(templates_, k))
    store.bulk_load_quads(path=path)
    path.unlink()
    return time.perf_counter() - began


def cpu(action: Callable[[int], object], repeat: int) -> float:
    """The best CPU time of ``repeat`` runs of ``action`` (given the run's number), in seconds."""
    best = float("inf")
    for run in range(repeat):
        began = time.process_time()
        action(run)
        best = min(best, time.process_time() - began)
    return best


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (10 million additions): how fast this machine is
    right now (about 0.4 s on an idle recent core)."""
    began = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - began


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def row(what: str, size: int, data: str, indexed: float, baseline: float | None, unit: str = "ms") -> str:
    shown = ms if unit == "ms" else (lambda s: f"{s:,.1f} s")
    ratio = f"{baseline / indexed:,.0f}×" if baseline is not None and indexed > 0 else "-"
    base = shown(baseline) if baseline is not None else "not run"
    return f"| {what} | {size:,} | {data} | {shown(indexed)} | {base} | {ratio} |"


def new_releases(templates_: list[str], first: int, count: int) -> list[rdflib.Graph]:
    """Releases no store holds (numbered from 10**9 + ``first``): each timing gets fresh ones,
    so that nothing learnt about their IRIs and literals is reused."""
    return [release_graph(templates_, 10**9 + first + k) for k in range(count)]


def batch_rows(store: OxigraphStore, templates_: list[str], size: int, args: argparse.Namespace) -> list[str]:
    skip = [VOCABULARY_GRAPH]
    batches = [new_releases(templates_, (size + 1 + run) * 10_000, BATCH) for run in range(args.repeat)]
    batch_s = cpu(lambda run: validation.validate_batch(batches[run], store, skip=skip), args.repeat) / BATCH
    new = batches[0]
    reports = validation.validate_batch(new, store, skip=skip)
    rejected = sum(not r.ok(allow_warnings=True) for r in reports)
    triples = sum(len(g) for g in new) // BATCH
    sample = new[: args.sample]
    batch_skip = [*skip, *sorted(set().union(*(validation.release_iris(g) for g in new)))]

    def baseline(run: int) -> None:
        for graph in sample:
            validation.validate_with_store(graph, store, skip=batch_skip, engine="pyshacl")

    baseline_s = cpu(baseline, 1) / len(sample)
    ones = [new_releases(templates_, (size + 1 + run) * 10_000 + 5_000, 1) for run in range(args.repeat)]
    one_s = cpu(lambda run: validation.validate_batch(ones[run], store, skip=skip), args.repeat)
    one = ones[0][0]
    one_base_s = cpu(lambda run: validation.validate_with_store(one, store, skip=skip, engine="pyshacl"), 1)
    what = f"batch of {BATCH} new releases, per release ({rejected} rejected)"
    return [
        row(what, size, f"{triples} triples each", batch_s, baseline_s),
        row("one new release", size, f"{len(one)} triples", one_s, one_base_s),
    ]


def whole_store_row(store: OxigraphStore, size: int, args: argparse.Namespace) -> str:
    began_wall, began = time.perf_counter(), time.process_time()
    report = validation.validate_store(store, engine="indexed")
    indexed_s, wall_s = time.process_time() - began, time.perf_counter() - began_wall
    baseline_s = None
    if size <= args.pyshacl_max:
        began = time.process_time()
        validation.validate_store(store, engine="pyshacl")
        baseline_s = time.process_time() - began
    verdict = "ok" if report.ok() else validation.count_text(report)
    data = f"{len(store):,} quads, {verdict}, wall {wall_s:,.1f} s"
    return row("whole store", size, data, indexed_s, baseline_s, unit="s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="store sizes (releases)")
    parser.add_argument("--large", action="store_true", help="add a store of 100,000 releases")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best; default 3)")
    parser.add_argument("--pyshacl-max", type=int, default=1000, help="largest store pySHACL validates whole")
    parser.add_argument("--sample", type=int, default=5, help="releases of a batch pySHACL validates")
    parser.add_argument("--whole-max", type=int, default=None, help="largest store validated whole (all)")
    args = parser.parse_args()
    sizes = sorted({*args.sizes, *([100000] if args.large else [])})

    templates_ = templates()
    warm = new_releases(templates_, 0, BATCH)  # compile the shapes, fill the caches of shared terms
    with OxigraphStore() as empty:
        validation.validate_batch(warm, empty, skip=[VOCABULARY_GRAPH])
    load_before, calibration_s = os.getloadavg(), calibration()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Path(folder) / "store")
        store.replace_graph(VOCABULARY_GRAPH, ontology())
        rows += batch_rows(store, templates_, 0, args)
        loaded = 0
        for size in sizes:
            load_s = fill(store, templates_, loaded, size, Path(folder))
            print(f"loaded {size:,} releases ({len(store):,} quads, +{load_s:.0f} s)", flush=True)
            loaded = size
            rows += batch_rows(store, templates_, size, args)
            if args.whole_max is None or size <= args.whole_max:
                rows.append(whole_store_row(store, size, args))
            print("\n".join(rows[-3:]), flush=True)
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"CPU: {os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after; a 10-million-step Python loop took {calibration_s:.2f} s; "
        f"peak memory {peak:,.0f} MB"
    )
    print()
    print("| what | releases in the store | data | indexed (CPU) | pySHACL (CPU) | ratio |")
    print("|---|---:|---|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
