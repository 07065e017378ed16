"""Benchmark of the whole tool on generated releases, against rdflib and pySHACL: one table.

    python scripts/bench.py                    # 1,000 and 10,000 releases (make bench)
    python scripts/bench.py --full             # and 100,000
    python scripts/bench.py --sizes 500,2000 --timeout 10

For each size, releases are generated (``cckg generate``, seed 1) and ingested by the real
command, ``cckg ingest --workers 1`` and ``--workers 2`` into two stores: the rate (releases a
second, wall clock), the CPU time a release (the ingest process and its workers) and the peak
memory (the largest resident set of the ingest process and its workers, from ``wait4``).  On the
store made with 2 workers: its size on disk, the median of ``--repeat`` runs of each named query
(data/queries/*.rq; the required parameters come from the first generated release: its first
agency, its first official), ``cckg show`` of that agency, each export view (GraphML), the
validation of one release as ingest validates it, and of the whole store.

Baselines, in the same run: the same quads in an rdflib in-memory ``Dataset(default_union=True)``
(its load time, then each named query with rdflib's SPARQL), and pySHACL (one release, the whole
store), with the ratio baseline / cckg.  Every measurement runs in a child process, stopped after
``--timeout`` seconds (printed as "> N s"), so one that cannot finish does not stop the others.
Progress goes to standard error, the table to standard output.  Figures depend on the machine and
on what else it runs: the load average is printed under the table.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CCKG = [sys.executable, "-m", "cckg"]
SEED = "1"


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- running a measurement in a child process, with a time limit ---------------------------------


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


def in_child(work: Callable[[], Any], timeout: float) -> tuple[str, Any]:
    """``("ok", work())`` run in a forked child; ``("timeout", None)`` when it takes more than
    ``timeout`` seconds (the child is killed), ``("error", text)`` when it fails."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def target() -> None:
        try:
            send.send(("ok", work()))
        except Timeout:
            send.send(("timeout", None))
        except BaseException as error:
            send.send(("error", f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"))

    child = context.Process(target=target)
    child.start()
    send.close()
    outcome: tuple[str, Any] = ("timeout", None)
    if receive.poll(timeout):
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = ("error", "the child process died")
    child.kill()
    child.join()
    return outcome


def median_seconds(work: Callable[[], object], repeat: int, budget: float | None = None) -> float:
    """The median of ``repeat`` runs of ``work``, or of fewer when another would go past ``budget``
    seconds in all."""
    times: list[float] = []
    while len(times) < repeat and (budget is None or not times or sum(times) + times[-1] <= budget):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def limited(work: Callable[[], object], seconds: float) -> Callable[[], object]:
    """``work`` interrupted (:class:`Timeout`) after ``seconds``, where it runs Python code."""

    def run() -> object:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return work()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    return run


# --- the measurements --------------------------------------------------------------------------


def generate(folder: Path, size: int) -> float:
    started = time.perf_counter()
    subprocess.run([*CCKG, "generate", str(size), "-o", str(folder), "--seed", SEED], check=True)
    return time.perf_counter() - started


def ingest(store: Path, releases: Path, workers: int) -> dict[str, float]:
    """``cckg ingest --workers N`` as a child process: wall seconds, CPU seconds, peak memory."""
    command = [*CCKG, "--store", str(store), "ingest", "--workers", str(workers), str(releases)]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(command)} failed (exit {process.returncode})")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def parameters(gold: Path) -> dict[str, str]:
    """Values for the required parameters of the named queries, from the first generated release."""
    first = json.loads(sorted(gold.glob("*.json"))[0].read_text(encoding="utf-8"))
    agency = first["agencies"][0]["name"]
    person = first["officials"][0]["name"] if first.get("officials") else agency
    return {"agency": agency, "entity": agency, "person": person}


def bound_queries(values: dict[str, str]) -> dict[str, str]:
    from cckg.views import query

    texts = {}
    for name, named in query.named_queries().items():
        required = {p.name: values[p.name] for p in named.params if p.required}
        texts[name] = query.bind(named, required)
    return texts


def cckg_query(store: Path, text: str, repeat: int, budget: float) -> Callable[[], float]:
    def work() -> float:
        from cckg.store import OxigraphStore

        with OxigraphStore(store, read_only=True) as opened:
            return median_seconds(lambda: opened.query(text), repeat, budget)

    return work


def cckg_show(store: Path, agency: str, repeat: int) -> Callable[[], float]:
    def work() -> float:
        from cckg.store import OxigraphStore
        from cckg.views import show

        with OxigraphStore(store, read_only=True) as opened:
            return median_seconds(lambda: show.render_text(show.show(opened, agency)), repeat)

    return work


def cckg_export(store: Path, view: str) -> Callable[[], float]:
    def work() -> float:
        from cckg.store import OxigraphStore
        from cckg.views import render

        with OxigraphStore(store, read_only=True) as opened:
            return median_seconds(lambda: render.export_view(opened, view, "graphml"), 1)

    return work


def one_release(store: Path, engine: str, repeat: int, seconds: float) -> Callable[[], float]:
    """Validate the first release's graph as ingest validates it (against the rest of the store)."""

    def work() -> float:
        from cckg import identity, validation
        from cckg.namespaces import VOCABULARY_GRAPH
        from cckg.store import OxigraphStore

        with OxigraphStore(store, read_only=True) as opened:
            triples = list(opened.graph(identity.release_iri("synth-0000000")))
            validation.validate_batch([triples], opened, skip=[VOCABULARY_GRAPH], engine=engine)  # warm
            run = limited(
                lambda: validation.validate_batch([triples], opened, skip=[VOCABULARY_GRAPH], engine=engine),
                seconds,
            )
            return median_seconds(run, repeat)

    return work


def whole_store(store: Path, engine: str, seconds: float) -> Callable[[], float]:
    def work() -> float:
        from cckg import validation
        from cckg.store import OxigraphStore

        with OxigraphStore(store, read_only=True) as opened:
            return median_seconds(
                limited(lambda: validation.validate_store(opened, engine=engine), seconds), 1
            )

    return work


def rdflib_baseline(store: Path, texts: dict[str, str], repeat: int, seconds: float) -> Callable[[], dict]:
    """The store's quads in an rdflib Dataset: the load time, then each query's median (or a timeout)."""

    def work() -> dict[str, Any]:
        import rdflib

        from cckg.store import OxigraphStore

        with OxigraphStore(store, read_only=True) as opened:
            data = opened.dump("nquads")
        started = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=data, format="nquads")
        found: dict[str, Any] = {"load": time.perf_counter() - started}
        del data
        for name, text in texts.items():
            say(f"  rdflib: {name}")
            try:
                run = limited(lambda text=text: list(dataset.query(text)), seconds)
                found[name] = median_seconds(run, repeat, seconds)
            except Timeout:
                found[name] = None
            except Exception as error:  # a query rdflib cannot run
                found[name] = f"error: {type(error).__name__}"
        return found

    return work


# --- the table -----------------------------------------------------------------------------------


def cell(outcome: tuple[str, Any], timeout: float, scale: float = 1000.0) -> str:
    status, value = outcome
    if status == "timeout" or value is None:
        return f"> {timeout:g} s"
    if status == "error" or isinstance(value, str):
        return "error"
    return f"{value * scale:,.1f}" if scale == 1000.0 else f"{value:,.2f}"


def ratio(ours: tuple[str, Any], theirs: tuple[str, Any], timeout: float) -> str:
    if ours[0] != "ok" or not isinstance(ours[1], float) or ours[1] <= 0:
        return ""
    if theirs[0] == "timeout" or theirs[1] is None:
        return f"> {timeout / ours[1]:,.0f}x"
    if theirs[0] != "ok" or not isinstance(theirs[1], float):
        return ""
    return f"{theirs[1] / ours[1]:,.1f}x"


def measure(size: int, work: Path, args: argparse.Namespace) -> list[tuple[str, str, str, str]]:
    """The rows of one size: (measure, cckg, baseline, ratio)."""
    folder = work / f"gen-{size}"
    say(f"{size:,}: generating")
    generated = generate(folder, size)
    rows: list[tuple[str, str, str, str]] = [("generate, s", f"{generated:,.1f}", "", "")]
    stores = {}
    for workers in (1, 2):
        store = stores[workers] = work / f"store-{size}-{workers}"
        say(f"{size:,}: ingest, {workers} worker{'s' if workers > 1 else ''}")
        run = ingest(store, folder / "releases", workers)
        rows.append((f"ingest --workers {workers}, releases/s", f"{size / run['wall']:,.1f}", "", ""))
        rows.append(
            (f"ingest --workers {workers}, CPU ms/release", f"{1000 * run['cpu'] / size:,.1f}", "", "")
        )
        rows.append((f"ingest --workers {workers}, peak RSS MB", f"{run['rss']:,.0f}", "", ""))
    if not args.keep:
        shutil.rmtree(stores[1])
    store = stores[2]
    rows.append(("store size on disk, MB", f"{folder_bytes(store) / 1e6:,.0f}", "", ""))
    values = parameters(folder / "gold")
    texts = bound_queries(values)
    say(f"{size:,}: rdflib baseline (load, {len(texts)} queries)")
    budget = 600 + args.timeout * (len(texts) + 1) * args.repeat
    status, baseline = in_child(rdflib_baseline(store, texts, args.repeat, args.timeout), budget)
    if status != "ok":
        baseline = {}
    load = baseline.get("load")
    rows.append(("rdflib Dataset load, s", "", f"{load:,.1f}" if load else status, ""))
    for name, text in texts.items():
        say(f"{size:,}: query {name}")
        ours = in_child(cckg_query(store, text, args.repeat, args.timeout), args.timeout + 5)
        theirs_value = baseline.get(name)
        theirs = (
            ("timeout", None)
            if theirs_value is None
            else (("error", theirs_value) if isinstance(theirs_value, str) else ("ok", theirs_value))
        )
        shown = theirs_value if isinstance(theirs_value, str) else cell(theirs, args.timeout)
        rows.append((f"query {name}, ms", cell(ours, args.timeout), shown, ratio(ours, theirs, args.timeout)))
    say(f"{size:,}: show, export")
    agency = values["agency"]
    rows.append(
        (
            "show (one agency), ms",
            cell(in_child(cckg_show(store, agency, args.repeat), args.timeout * 3), args.timeout),
            "",
            "",
        )
    )
    from cckg.views import catalog

    for view in catalog.VIEWS:
        outcome = in_child(cckg_export(store, view), args.timeout * 4)
        rows.append((f"export {view} (GraphML), s", cell(outcome, args.timeout * 4, 1), "", ""))
    say(f"{size:,}: validation")
    ours = in_child(one_release(store, "auto", args.repeat, args.timeout), args.timeout * (args.repeat + 2))
    theirs = in_child(
        one_release(store, "pyshacl", args.repeat, args.timeout), args.timeout * (args.repeat + 2)
    )
    rows.append(
        (
            "validate one release, ms",
            cell(ours, args.timeout),
            cell(theirs, args.timeout),
            ratio(ours, theirs, args.timeout),
        )
    )
    whole_limit = args.timeout * 10
    ours = in_child(whole_store(store, "auto", whole_limit), whole_limit + 5)
    theirs = in_child(whole_store(store, "pyshacl", whole_limit), whole_limit + 5)
    rows.append(
        (
            "validate the whole store, s",
            cell(ours, whole_limit, 1),
            cell(theirs, whole_limit, 1),
            ratio(ours, theirs, whole_limit),
        )
    )
    if not args.keep:
        shutil.rmtree(store)
        shutil.rmtree(folder)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated numbers of releases (default 1000,10000)")
    parser.add_argument("--full", action="store_true", help="also 100,000 releases")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query, median (default 3)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="seconds a query or one validation may take (the whole store: 10 times); default 20",
    )
    parser.add_argument(
        "--work", type=Path, help="where the releases and stores go (default: a temporary folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the releases and stores (with --work)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [1000, 10_000]
    if args.full and 100_000 not in sizes:
        sizes.append(100_000)
    work = args.work or Path(tempfile.mkdtemp(prefix="cckg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = {size: measure(size, work, args) for size in sizes}
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    header = ["measure"]
    for size in sizes:
        header += [f"{size:,}: cckg", "baseline", "ratio"]
    table = [header]
    for index, (name, *_) in enumerate(results[sizes[0]]):
        row = [name]
        for size in sizes:
            row += list(results[size][index][1:])
        table.append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    print(
        "baseline: rdflib Dataset(default_union=True) for load and queries, pySHACL for validation; "
        "ratio = baseline / cckg"
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} CPUs, load average {load}; "
        f"medians of {args.repeat} runs; timeout {args.timeout:g} s"
    )


if __name__ == "__main__":
    main()
