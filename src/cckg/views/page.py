"""The interactive page of a view: one self-contained HTML file that opens with no network access.

The drawing library is vis-network's standalone build, read when the page is built from the copy
that the ``pyvis`` package installs (never from a CDN, never kept in this repository); the page's
own template, script and style are package files beside this module.  Labels are sized by
weighted degree; the page searches by name, filters by year and crime type, and on a click shows
the node's facts with their evidence sentences and releases.

Untrusted text never becomes markup or code: the data goes in a ``<script type="application/json">``
element with ``<``, ``>``, ``&`` and the line separators escaped; the script sets every name as text;
a Content Security Policy allows only the page's own two scripts (by hash) and no network at all.
Positions are computed here (the layout of :mod:`cckg.views.figure`), so the browser does no physics
and large views open quickly; at most ``max_nodes`` nodes (the most connected) are drawn.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files

import networkx as nx

from cckg.errors import CckgError
from cckg.sparql import SelectResult
from cckg.store import Store
from cckg.views import figure, graphs, query

VIS_FOLDER = ("lib", "vis-9.1.2")
FACTS_PER_NODE = 25
QUOTES_PER_FACT = 3
SCALE = 1000.0


class PageError(CckgError):
    """The drawing library cannot be inlined safely (missing, or it would end its own element)."""


@cache
def vis_files() -> tuple[str, str]:
    """vis-network's JavaScript and CSS from the installed ``pyvis`` package."""
    folder = files("pyvis").joinpath(*VIS_FOLDER)
    try:
        script = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
        style = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as error:
        raise PageError(f"vis-network not found in the pyvis package ({error}); reinstall cckg") from None
    # Split on "\n" only: the minified code holds U+2028 and other line breaks inside strings.
    lines = [line for line in script.split("\n") if not line.startswith("//# sourceMappingURL=")]
    script = "\n".join(lines)
    if re.search(r"</script", script, re.IGNORECASE) or re.search(r"</style", style, re.IGNORECASE):
        raise PageError("vis-network's files would close their own element; not inlining them")
    return script, style


def _own(name: str) -> str:
    return files("cckg.views").joinpath("page", name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``</script``, ``<!--`` or ``]]>`` possible."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(*scripts: str) -> str:
    """No network at all; only these inline scripts; inline styles and data: images (vis-network)."""
    hashes = " ".join(_hash(script) for script in scripts)
    allowed = "style-src 'unsafe-inline'; img-src data:; font-src data:"
    return f"default-src 'none'; script-src {hashes}; {allowed}"


# --- the data the page draws --------------------------------------------------------------------


def _crimes_of(graph: nx.Graph, source: object, target: object, edge: Mapping[str, object]) -> list[str]:
    crimes = set(edge.get("crime_types") or [])  # type: ignore[arg-type]
    for node in (source, target):
        data = graph.nodes[node]
        if data.get("type") == "crime-type":
            crimes.add(str(data.get("slug", str(node).rsplit("/", 1)[-1])))
        crimes.update(data.get("crime_types") or [])
    return sorted(crimes)


def page_data(
    graph: nx.Graph, title: str, details: Mapping[str, list[dict[str, object]]], limit: int
) -> dict[str, object]:
    shown = figure.simple(figure.top_nodes(graph, limit))
    positions = figure.layout(shown)
    strength = dict(shown.degree(weight="weight"))
    edge_list, crimes, years = [], set(), set()
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        if source in shown and target in shown:
            on = _crimes_of(graph, source, target, data)
            crimes.update(on)
            years.update(data.get("years") or [])
            edge_list.append({"source": source, "target": target, "weight": data.get("weight", 1),
                              "years": data.get("years") or [], "crimes": on})  # fmt: skip
    node_list = []
    for node in shown.nodes:
        data = graph.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        node_list.append({
            "id": node, "label": str(data.get("label", node)), "type": str(data.get("type", "")),
            "weight": strength.get(node, 0), "x": round(x * SCALE, 1), "y": round(-y * SCALE, 1),
            "years": data.get("years") or [], "crimes": list(data.get("crime_types") or []),
            "facts": details.get(str(node), []),
        })  # fmt: skip
        years.update(data.get("years") or [])
    cut = graph.number_of_nodes() - shown.number_of_nodes()
    note = f"The {shown.number_of_nodes()} most connected of {graph.number_of_nodes()} nodes." if cut else ""
    crime_list = [{"id": c, "label": c.replace("-", " ")} for c in sorted(crimes)]
    every_year = list(range(min(years), max(years) + 1)) if years else []
    return {"title": title, "note": note, "nodes": node_list, "edges": edge_list,
            "years": every_year, "crimes": crime_list}  # fmt: skip


def build_page(
    graph: nx.Graph, title: str, details: Mapping[str, list[dict[str, object]]], limit: int = 500
) -> bytes:
    """The HTML page of ``graph``."""
    vis_script, vis_style = vis_files()
    own_script = _own("page.js")
    parts = {
        "CSP": html.escape(csp(vis_script, own_script), quote=False).replace('"', "&quot;"),
        "TITLE": html.escape(title),
        "VIS_CSS": vis_style,
        "PAGE_CSS": _own("page.css"),
        "DATA": script_json(page_data(graph, title, details, limit)),
        "VIS_JS": vis_script,
        "PAGE_JS": own_script,
    }
    # One pass over the template: text put in is never scanned for markers again.
    page = re.sub(r"__([A-Z_]+)__", lambda m: parts[m.group(1)], _own("page.html"))
    return page.encode("utf-8")


# --- facts and evidence of the nodes shown -------------------------------------------------------


def node_details(store: Store, graph: nx.Graph, limit: int) -> dict[str, list[dict[str, object]]]:
    """For each node drawn: its facts (label, type, date) with up to three evidence quotes each."""
    shown = list(figure.top_nodes(graph, limit).nodes)
    if not shown:
        return {}
    named = graphs.view_queries()["node-facts"]
    values = " ".join(f"<{node}>" for node in shown if _is_iri(str(node)))
    text = query.bind(named, {}).replace("#@nodes", f"VALUES ?node {{ {values} }}")
    result = store.query(text)
    assert isinstance(result, SelectResult)
    return _group_facts([graphs._plain(row) for row in result.rows])


def _is_iri(text: str) -> bool:
    return re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*", text) is not None


def _group_facts(rows: list[dict[str, str]]) -> dict[str, list[dict[str, object]]]:
    facts: dict[str, dict[str, dict[str, object]]] = {}
    for row in sorted(rows, key=lambda r: (r["node"], r.get("date", ""), r["fact"], r.get("release", ""))):
        by_fact = facts.setdefault(row["node"], {})
        if row["fact"] not in by_fact and len(by_fact) >= FACTS_PER_NODE:
            continue
        fact = by_fact.setdefault(row["fact"], {
            "label": row.get("label") or f"{row.get('type') or 'fact'} statement",
            "type": row.get("type", ""), "date": row.get("date", ""), "evidence": [],
        })  # fmt: skip
        quotes: list[dict[str, object]] = fact["evidence"]  # type: ignore[assignment]
        if len(quotes) < QUOTES_PER_FACT and "quote" in row:
            quotes.append({"quote": row["quote"], "release": row.get("release", ""),
                           "start": int(row.get("start", 0)), "end": int(row.get("end", 0))})  # fmt: skip
    return {node: list(by_fact.values()) for node, by_fact in facts.items()}
