"""A coarse guard against blow-ups: every named query, ``show`` and every export on a generated store.

Generates --releases releases (default 1,000, seed 1), ingests them with ``cckg ingest`` into a
fresh store, then runs, each through the real command line (``python -m cckg``): every named query
(``cckg query NAME --format csv``, with a value from the store for the parameters a query needs),
``cckg show`` of an agency, and ``cckg export VIEW`` of every view.  It prints one table (seconds,
rows or bytes, verdict) and exits 1 if a query or ``show`` took more than --query-limit seconds
(default 5) or an export more than --export-limit seconds (default 30).  The limits are far above
the targets on purpose: this catches a query that blows up (rows multiplied, a plan gone
quadratic), it is not a timing target (``make bench`` measures).

    python scripts/ci_guard.py [--releases 1000] [--work DIR] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cckg.views import query

#: The export views (``cckg export --help``).
VIEWS = ("agencies", "agency-crime", "people", "operations", "entities")
#: Which value of the store each required parameter gets: (query finding it, its column).
PICKS = {
    "agency": "SELECT ?v WHERE { ?a a cckg:Agency ; cckg:acronym ?v } ORDER BY ?v LIMIT 1",
    "person": "SELECT ?v WHERE { ?p a schema:Person ; schema:name ?v } ORDER BY ?v LIMIT 1",
    "entity": "SELECT ?v WHERE { ?a a cckg:Agency ; skos:prefLabel ?v } ORDER BY ?v LIMIT 1",
}
PREFIXES = (
    "PREFIX cckg: <https://w3id.org/cckg/ns#>\n"
    "PREFIX schema: <http://schema.org/>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def cckg(
    store: Path, *args: str, stdin: str | None = None, limit: float | None = None
) -> tuple[float, str, int]:
    """Run ``cckg --store STORE ARGS``; its seconds, standard output and exit code (stopped after
    twice ``limit`` seconds: a blown-up query is reported, not waited for)."""
    command = [sys.executable, "-m", "cckg", "--store", str(store), *args]
    began = time.perf_counter()
    timeout = 2 * limit if limit is not None else None
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - began, "", -1
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return seconds, done.stdout, done.returncode


def pick(store: Path, parameter: str) -> str:
    """A value for ``parameter`` taken from the store (the first in order)."""
    _, out, code = cckg(store, "query", "-", "--format", "csv", stdin=PREFIXES + PICKS[parameter])
    rows = list(csv.DictReader(io.StringIO(out)))
    if code != 0 or not rows:
        raise SystemExit(f"no value for --param {parameter} in the store")
    return rows[0]["v"]


def _failure(code: int) -> str:
    return "stopped" if code == -1 else f"exit {code}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--query-limit", type=float, default=5.0)
    parser.add_argument("--export-limit", type=float, default=30.0)
    parser.add_argument("--work", type=Path, help="folder of the releases and store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cckg-guard-") as tmp:
        work = args.work or Path(tmp)
        releases, store = work / "generated", work / "store"
        rows: list[tuple[str, float, str, float]] = []
        if not store.is_dir():
            gen = [sys.executable, "-m", "cckg", "generate", str(args.releases), "-o", str(releases)]
            subprocess.run([*gen, "--seed", str(args.seed)], check=True, capture_output=True)
            seconds, _, code = cckg(store, "ingest", str(releases / "releases"))
            if code != 0:
                return 1
            print(f"ingested {args.releases} releases in {seconds:.1f} s")
        values = {name: pick(store, name) for name in PICKS}
        for name, named in sorted(query.named_queries().items()):
            params = [f"{p.name}={values[p.name]}" for p in named.params if p.required]
            options = ("--format", "csv", *(f"--param={p}" for p in params))
            seconds, out, code = cckg(store, "query", name, *options, limit=args.query_limit)
            size = f"{max(len(out.splitlines()) - 1, 0)} rows" if code == 0 else _failure(code)
            rows.append((f"query {name}", seconds, size, args.query_limit))
        seconds, out, code = cckg(store, "show", values["agency"], "--format", "json", limit=args.query_limit)
        size = f"{len(out)} bytes" if code == 0 else _failure(code)
        rows.append((f"show {values['agency']}", seconds, size, args.query_limit))
        for view in VIEWS:
            target = work / f"{view}.json"
            options = ("--format", "json", "-o", str(target))
            seconds, _, code = cckg(store, "export", view, *options, limit=args.export_limit)
            size = f"{target.stat().st_size} bytes" if code == 0 and target.exists() else _failure(code)
            rows.append((f"export {view}", seconds, size, args.export_limit))
    failed = 0
    width = max(len(row[0]) for row in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  {'limit':>6}  {'result':<16}  verdict")
    for what, seconds, size, limit in rows:
        bad = seconds > limit or size.startswith(("exit", "stopped"))
        failed += bad
        print(f"{what:<{width}}  {seconds:>8.2f}  {limit:>6g}  {size:<16}  {'FAIL' if bad else 'ok'}")
    print(f"{len(rows) - failed} of {len(rows)} within their limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
