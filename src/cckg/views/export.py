"""Write a graph view for other tools: Gephi, Cytoscape, Graphviz, spreadsheets, browsers, reports.

:data:`FORMATS`: ``graphml``, ``gexf`` (1.2draft, with time), ``json`` (NetworkX node-link),
``cyjs`` (Cytoscape.js elements JSON, which Cytoscape desktop imports too), ``dot`` (Graphviz),
``csv`` (a node file and an edge file), ``html`` (an interactive page, :mod:`cckg.views.page`),
``png`` and ``svg`` (a figure, :mod:`cckg.views.figure`).

List and dict attributes (``years``, ``crime_types``, ``facts_by_year``, ...) stay lists and
objects in the JSON formats.  GraphML, GEXF, DOT and CSV take only scalars, so there they are JSON
text (``[2004, 2023]``), which reads back unambiguously with ``json.loads``.  In GEXF the years
also become spells (one per run of consecutive years, ``YYYY-01-01`` to ``YYYY-12-31``), so that
Gephi's timeline plays the network year by year.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import pydot
from lxml import etree

from cckg import escape, formats
from cckg.views import figure, page

FORMATS = formats.NETWORK
BINARY_FORMATS = ("png",)
#: The formats that write more than one file (``-o`` names the first; see :func:`csv_paths`).
MULTI_FILE_FORMATS = ("csv",)


@dataclass(frozen=True)
class ExportOptions:
    """What the page and the figure also need: a title, a node cap, facts for the page."""

    title: str = ""
    max_nodes: int = 500
    details: Mapping[str, list[dict[str, str]]] | None = None


# --- attribute encoding -------------------------------------------------------------------------


def encode_value(value: object) -> object:
    """A scalar as it is; a list, tuple, set or dict as compact JSON text (sets sorted)."""
    if isinstance(value, set | frozenset):
        value = sorted(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if value is None:
        return ""
    return value


def encoded(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all scalars (:func:`encode_value`)."""
    flat = graph.copy()
    for _, data in flat.nodes(data=True):
        data.update({key: encode_value(value) for key, value in data.items()})
    for *_, data in flat.edges(data=True):
        data.update({key: encode_value(value) for key, value in data.items()})
    flat.graph = {key: encode_value(value) for key, value in graph.graph.items()}
    return flat


def _xml_safe(value: object) -> object:
    return escape.xml_text(value) if isinstance(value, str) else value


def xml_encoded(graph: nx.Graph) -> nx.Graph:
    """An encoded copy (:func:`encoded`) whose text, node ids included, XML can hold (GraphML, GEXF)."""
    flat = nx.relabel_nodes(encoded(graph), _xml_safe)
    for _, data in flat.nodes(data=True):
        data.update({key: _xml_safe(value) for key, value in data.items()})
    for *_, data in flat.edges(data=True):
        data.update({key: _xml_safe(value) for key, value in data.items()})
    flat.graph = {key: _xml_safe(value) for key, value in flat.graph.items()}
    return flat


# --- GraphML, GEXF ------------------------------------------------------------------------------


def to_graphml(graph: nx.Graph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(xml_encoded(graph), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def year_spells(years: Iterable[int]) -> list[tuple[str, str]]:
    """One spell per run of consecutive years: [2004, 2005, 2009] -> 2004-01-01..2005-12-31, 2009."""
    spells: list[tuple[str, str]] = []
    run: list[int] = []
    for year in sorted(set(years)):
        if run and year != run[-1] + 1:
            spells.append((f"{run[0]:04d}-01-01", f"{run[-1]:04d}-12-31"))
            run = []
        run.append(year)
    if run:
        spells.append((f"{run[0]:04d}-01-01", f"{run[-1]:04d}-12-31"))
    return spells


def _timed(graph: nx.Graph) -> nx.Graph:
    """An XML-safe encoded copy with spells from each node's and edge's ``years``."""
    flat = xml_encoded(graph)
    for node, data in graph.nodes(data=True):
        if data.get("years"):
            flat.nodes[_xml_safe(node)]["spells"] = year_spells(data["years"])
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for *ends, data in edges:
        if data.get("years"):
            safe = tuple(_xml_safe(end) for end in ends[:2]) + tuple(ends[2:])
            flat.edges[safe]["spells"] = year_spells(data["years"])
    flat.graph["mode"] = "dynamic"
    return flat


def to_gexf(graph: nx.Graph) -> bytes:
    """GEXF 1.2draft with spells (``timeformat="date"``), valid against Gephi's schema."""
    out = io.BytesIO()
    nx.write_gexf(_timed(graph), out, encoding="utf-8", prettyprint=True, version="1.2draft")
    root = etree.fromstring(out.getvalue(), etree.XMLParser(resolve_entities=False, no_network=True))
    namespace = root.nsmap.get(None, "")
    for element in root.iter(f"{{{namespace}}}graph"):
        element.attrib.pop("name", None)  # NetworkX writes it; the schema has no such attribute
    for element in root.iter(f"{{{namespace}}}meta"):
        element.attrib.pop("lastmodifieddate", None)  # today's date: the same view, the same bytes
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


# --- JSON ---------------------------------------------------------------------------------------


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def to_json(graph: nx.Graph) -> bytes:
    """NetworkX node-link JSON (``nodes``, ``edges``); list and dict attributes kept as they are."""
    return _json_bytes(nx.node_link_data(graph, edges="edges"))


def to_cyjs(graph: nx.Graph) -> bytes:
    """Cytoscape.js JSON: ``{"data": {...}, "elements": {"nodes": [...], "edges": [...]}}``."""
    data = nx.cytoscape_data(graph)
    data["data"] = dict(graph.graph)  # NetworkX gives a list of pairs; Cytoscape.js wants an object
    for element in data["elements"]["nodes"]:
        node = element["data"]
        node["name"] = str(graph.nodes[node["value"]].get("label", node["id"]))
    for index, element in enumerate(data["elements"]["edges"]):
        element["data"].setdefault("id", f"e{index}")
    return _json_bytes(data)


# --- DOT ----------------------------------------------------------------------------------------


def dot_id(text: object) -> str:
    """A double-quoted DOT id: backslashes and quotes escaped, so no value breaks out of it."""
    value = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{value}"'


def to_dot(graph: nx.Graph) -> bytes:
    """Graphviz DOT (via pydot): every id and value quoted; nodes are labelled with their label."""
    flat = encoded(graph)
    kind = "digraph" if graph.is_directed() else "graph"
    dot = pydot.Dot(dot_id(graph.graph.get("view", "view")), graph_type=kind, strict=False)
    for node, data in flat.nodes(data=True):
        dot.add_node(pydot.Node(dot_id(node), **{key: dot_id(value) for key, value in data.items()}))
    for source, target, data in flat.edges(data=True):
        attributes = {key: dot_id(value) for key, value in data.items()}
        dot.add_edge(pydot.Edge(dot_id(source), dot_id(target), **attributes))
    return dot.to_string().encode("utf-8")


# --- CSV ----------------------------------------------------------------------------------------


def _columns(rows: Iterable[Mapping[str, object]], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _csv(rows: list[dict[str, object]], first: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_columns(rows, first), lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows({key: encode_value(value) for key, value in row.items()} for row in rows)
    return out.getvalue().encode("utf-8")


def to_csv(graph: nx.Graph) -> tuple[bytes, bytes]:
    """A node file (``id`` first) and an edge file (``source``, ``target`` first)."""
    nodes = [{"id": node, **data} for node, data in graph.nodes(data=True)]
    edges = [{"source": s, "target": t, **data} for s, t, data in graph.edges(data=True)]
    return _csv(nodes, ["id", "label", "type"]), _csv(edges, ["source", "target", "relation", "weight"])


def csv_paths(output: str) -> tuple[str, str]:
    """``agencies.csv`` -> ``agencies.nodes.csv`` and ``agencies.edges.csv``."""
    stem = output[: -len(".csv")] if output.lower().endswith(".csv") else output
    return f"{stem}.nodes.csv", f"{stem}.edges.csv"


# --- dispatch -----------------------------------------------------------------------------------

WRITERS: dict[str, Callable[[nx.Graph], bytes]] = {
    "graphml": to_graphml, "gexf": to_gexf, "json": to_json, "cyjs": to_cyjs, "dot": to_dot,
}  # fmt: skip


def render(graph: nx.Graph, fmt: str, options: ExportOptions | None = None) -> dict[str, bytes]:
    """The files of ``graph`` in format ``fmt``: ``{"": data}``, or ``{"nodes": .., "edges": ..}`` (csv)."""
    options = options or ExportOptions()
    if fmt == "csv":
        nodes, edges = to_csv(graph)
        return {"nodes": nodes, "edges": edges}
    if fmt == "html":
        return {"": page.build_page(graph, options.title, options.details or {}, options.max_nodes)}
    if fmt in ("png", "svg"):
        return {"": figure.draw(graph, fmt, options.title, options.max_nodes)}
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    return {"": WRITERS[fmt](graph)}
