"""Export the agency cooperation network for graph tools (Gephi, Cytoscape, NetworkX).

Nodes are agencies (``label``, ``country``, ``kind``, ``iri``).  An edge joins two agencies that
share events, agreements, joint operations or cooperation statements; its ``weight`` is the number
of those facts, with a count per kind, the ``years`` they fall in and their ``crime_types``.
The rows come from the named queries ``agencies`` and ``cooperation-links``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import networkx as nx

from cckg import escape, formats
from cckg.sparql import SelectResult
from cckg.store import (
    Store,
)
from cckg.views import query

FORMATS = formats.NETWORK
KINDS = ("event", "agreement", "operation", "cooperation")
PLURAL = {kind: f"{kind}s" for kind in KINDS}  # edge attributes: events, agreements, ...


def _rows(store: Store, name: str) -> list[dict[str, str]]:
    result = query.run(store, query.named_queries()[name])
    assert isinstance(result, SelectResult)
    return [{key: str(value) for key, value in row.items()} for row in result.rows]


def agency_network(store: Store) -> nx.Graph:
    """The agency cooperation network; list-valued attributes (``years``, ``crime_types``) are lists."""
    graph = nx.Graph()
    for row in _rows(store, "agencies"):
        graph.add_node(
            row["iri"],
            label=row.get("agency", row["iri"]),
            country=row.get("country", ""),
            kind=row.get("kind", ""),
            iri=row["iri"],
        )
    facts: dict[tuple[str, str], dict[str, set[str]]] = {}
    years: dict[tuple[str, str], set[int]] = {}
    crimes: dict[tuple[str, str], set[str]] = {}
    for row in _rows(store, "cooperation-links"):
        pair = (row["agency1"], row["agency2"])
        facts.setdefault(pair, {kind: set() for kind in KINDS})[row["kind"]].add(row["fact"])
        if row.get("firstYear"):
            years.setdefault(pair, set()).add(int(row["firstYear"]))
        crimes.setdefault(pair, set()).update(c for c in row.get("crimeTypes", "").split(",") if c)
    for (a, b), by_kind in sorted(facts.items()):
        for node in (a, b):
            if node not in graph:
                graph.add_node(node, label=node, country="", kind="", iri=node)
        counts = {PLURAL[kind]: len(by_kind[kind]) for kind in KINDS}
        graph.add_edge(
            a,
            b,
            weight=sum(counts.values()),
            **counts,
            years=sorted(years.get((a, b), set())),
            crime_types=sorted(crimes.get((a, b), set())),
        )
    return graph


def flatten(graph: nx.Graph) -> nx.Graph:
    """A copy with list attributes joined by commas ("2004,2023"), as GraphML and GEXF need, and
    text made fit for XML (node ids too)."""
    flat = nx.relabel_nodes(graph, lambda n: escape.xml_text(n) if isinstance(n, str) else n)
    for _, data in flat.nodes(data=True):
        _flatten_attributes(data)
    for _, _, data in flat.edges(data=True):
        _flatten_attributes(data)
    return flat


def _flatten_attributes(data: dict) -> None:
    """Lists joined by commas; text without the characters XML cannot hold (GraphML, GEXF)."""
    for key, value in data.items():
        if isinstance(value, list | tuple | set):
            value = ",".join(str(v) for v in value)
        data[key] = escape.xml_text(value) if isinstance(value, str) else value


def to_graphml(graph: nx.Graph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(flatten(graph), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def to_gexf(graph: nx.Graph) -> bytes:
    """GEXF 1.2draft, valid against its XML schema."""
    out = io.BytesIO()
    nx.write_gexf(flatten(graph), out, encoding="utf-8", prettyprint=True, version="1.2draft")
    # NetworkX always writes <graph name="...">, which the 1.2draft schema does not allow.
    return re.sub(rb'(<graph\b[^>]*?)\s+name="[^"]*"', rb"\1", out.getvalue(), count=1)


def to_json(graph: nx.Graph) -> bytes:
    """NetworkX node-link JSON (``nodes`` and ``edges``), list attributes kept as lists."""
    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


WRITERS: dict[str, Callable[[nx.Graph], bytes]] = {"graphml": to_graphml, "gexf": to_gexf, "json": to_json}


def export_agencies(store: Store, fmt: str = "graphml") -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    return WRITERS[fmt](agency_network(store))
