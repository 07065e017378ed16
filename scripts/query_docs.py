"""Write the "Named queries" section of README.md: every named query with a sample output.

Each query is run, with the sample parameters below, on a store built from the seed releases:

    cckg --store out/store ingest data/releases
    python scripts/query_docs.py out/store > out/named-queries.md
"""

from __future__ import annotations

import argparse
import shlex

from cckg.store import OxigraphStore
from cckg.views import query

#: The parameters each sample runs with (the queries not listed run without any).
SAMPLES: dict[str, dict[str, str]] = {
    "agreements": {"agency": "KCS", "from": "2023-01-01"},
    "cooperation-links": {"agency": "KCS"},
    "crime-types": {"agency": "C&ED", "from": "2023"},
    "delegation-heads": {"event": "Customs Cooperation Conference"},
    "event-timeline": {"agency": "C&ED", "from": "2023"},
    "evidence": {"entity": "Timothy Tong"},
    "evidence-of-attendance": {"person": "Louise Ho", "event": "34th"},
    "mentions": {"entity": "Louise Ho"},
    "network": {"from": "2020", "to": "2024"},
    "officials-met": {"person": "Louise Ho"},
    "partners": {"agency": "Customs and Excise Department"},
    "post-holders": {"agency": "C&ED"},
}

#: A word on samples whose output on the seeds needs one.
NOTES = {
    "linked-through-events": "The seed releases name only two agencies, so no path has two hops. With "
    "the third release of the tests (`tests/fixtures/extra/`), the Korea Customs Service reaches the "
    "Macao Customs Service through C&ED.",
}


def parameters(named: query.NamedQuery) -> str:
    if not named.params:
        return "none"
    items = []
    for p in named.params:
        default = "required" if p.required else ("optional" if p.default is None else f"default {p.default}")
        items.append(f"`{p.name}` ({p.type}, {default}): {p.description}")
    return "; ".join(items)


def section(store: OxigraphStore, name: str, named: query.NamedQuery) -> str:
    values = SAMPLES.get(name, {})
    options = "".join(f" --param {shlex.quote(f'{key}={value}')}" for key, value in values.items())
    command = f"cckg --store out/store query {name}{options}"
    output = query.render(query.run(store, named, values), "text")
    note = f"\n{NOTES[name]}\n" if name in NOTES else ""
    return (
        f"### `{name}`: {named.title}\n\n{named.description}\n\nParameters: {parameters(named)}.\n\n"
        f"```console\n$ {command}\n{output}```\n{note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", help="a store holding the seed releases")
    args = parser.parse_args()
    with OxigraphStore(args.store, read_only=True) as store:
        print("\n".join(section(store, name, named) for name, named in query.named_queries().items()), end="")


if __name__ == "__main__":
    main()
