"""Link analysis of a view: centrality, communities, bridges, crime types, new partnerships.

- degree, weighted degree (the sum of edge weights) and betweenness centrality.  Betweenness
  counts shortest paths in links: edge weights here are strengths (shared facts), and NetworkX
  would read a weight as a distance, so they are left out.  Exact up to :data:`EXACT_BETWEENNESS`
  nodes; above, estimated from a sample of source nodes with a fixed seed (the output says so).
- communities: Louvain (``seed`` fixed, weights used) up to :data:`LOUVAIN_EDGES` edges, else
  label propagation (deterministic); with the modularity of the partition.
- bridges (edges whose removal splits a component) and articulation agencies (agencies whose
  removal does).
- the most connected agencies per crime type and the new partnerships per year, from the agencies
  view with the same filters: an agency's partners on facts about the crime type, and each pair
  of agencies counted in the first year they share a fact.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field

import networkx as nx

from cckg.store import Store
from cckg.views import catalog
from cckg.views.figure import simple
from cckg.views.graphs import Filters

SEED = 42
EXACT_BETWEENNESS = 1000
SAMPLE_WORK = 2_000_000  # sampled sources x edges: the budget of an estimate
LOUVAIN_EDGES = 50_000


@dataclass
class Analysis:
    view: str
    nodes: int
    edges: int
    centrality: list[dict[str, object]] = field(default_factory=list)
    betweenness: str = ""
    communities: list[list[str]] = field(default_factory=list)
    community_method: str = ""
    modularity: float = 0.0
    bridges: list[list[str]] = field(default_factory=list)
    articulation_agencies: list[str] = field(default_factory=list)
    top_by_crime: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    new_partnerships: list[dict[str, object]] = field(default_factory=list)


def betweenness(graph: nx.Graph) -> tuple[dict[object, float], str]:
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    if n <= EXACT_BETWEENNESS:
        return nx.betweenness_centrality(graph), "exact, unweighted"
    k = max(10, min(n, SAMPLE_WORK // max(m, 1)))
    return nx.betweenness_centrality(
        graph, k=k, seed=SEED
    ), f"estimated from {k} sources (seed {SEED}), unweighted"


def communities(graph: nx.Graph) -> tuple[list[set[object]], str]:
    if graph.number_of_edges() == 0:
        return [{n} for n in graph.nodes], "none (no edges)"
    if graph.number_of_edges() <= LOUVAIN_EDGES:
        found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
        return list(found), f"Louvain (seed {SEED})"
    return list(nx.community.label_propagation_communities(graph)), "label propagation"


def _label(graph: nx.Graph, node: object) -> str:
    return str(graph.nodes[node].get("label", node))


def centrality(graph: nx.Graph) -> tuple[list[dict[str, object]], str]:
    between, how = betweenness(graph)
    strength = dict(graph.degree(weight="weight"))
    rows: list[dict[str, object]] = [
        {"node": str(n), "label": _label(graph, n), "type": str(graph.nodes[n].get("type", "")),
         "degree": graph.degree(n), "weighted_degree": float(strength[n]),
         "betweenness": round(between[n], 6)}
        for n in graph.nodes
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r["weighted_degree"], -r["degree"], r["node"]))  # type: ignore[operator]
    return rows, how


def top_by_crime(agencies: nx.Graph, top: int) -> dict[str, list[dict[str, object]]]:
    """Per crime type, the agencies with the most partners on facts about it."""
    partners: dict[str, Counter[str]] = {}
    facts: dict[str, Counter[str]] = {}
    for source, target, data in agencies.edges(data=True):
        for crime in data.get("crime_types", []):
            for node in (source, target):
                partners.setdefault(crime, Counter())[node] += 1
                facts.setdefault(crime, Counter())[node] += int(data.get("weight", 1))
    ranked: dict[str, list[dict[str, object]]] = {}
    for crime, counts in sorted(partners.items()):
        order = sorted(counts.items(), key=lambda item: (-item[1], -facts[crime][item[0]], item[0]))
        ranked[crime] = [
            {"label": _label(agencies, n), "node": n, "partners": k, "weighted_degree": facts[crime][n]}
            for n, k in order[:top]
        ]
    return ranked


def new_partnerships(agencies: nx.Graph) -> list[dict[str, object]]:
    """Per year, the pairs of agencies that first shared a fact that year."""
    by_year: dict[int, list[list[str]]] = {}
    for source, target, data in agencies.edges(data=True):
        if data.get("first_year") is not None:
            pair = sorted((_label(agencies, source), _label(agencies, target)))
            by_year.setdefault(int(data["first_year"]), []).append(pair)
    return [
        {"year": year, "new": len(pairs), "pairs": sorted(pairs)} for year, pairs in sorted(by_year.items())
    ]


def analyze(store: Store, view: str, filters: Filters | None = None, top: int = 10) -> Analysis:
    """The analysis of view ``view`` of ``store``."""
    filters = filters or Filters()
    built = catalog.build(store, view, filters)
    agencies = built if view == "agencies" else catalog.build(store, "agencies", filters)
    graph = simple(built)
    for node in graph.nodes:
        graph.nodes[node].update(built.nodes[node])
    result = Analysis(view, graph.number_of_nodes(), graph.number_of_edges())
    result.centrality, result.betweenness = centrality(graph)
    groups, result.community_method = communities(graph)
    if graph.number_of_edges():
        result.modularity = round(nx.community.modularity(graph, groups, weight="weight"), 4)
    ordered = sorted(
        (sorted(_label(graph, n) for n in group) for group in groups), key=lambda g: (-len(g), g)
    )
    result.communities = ordered
    result.bridges = sorted(sorted((_label(graph, a), _label(graph, b))) for a, b in nx.bridges(graph))
    cut = [n for n in nx.articulation_points(graph) if graph.nodes[n].get("type") == "agency"]
    result.articulation_agencies = sorted(_label(graph, n) for n in cut)
    result.top_by_crime = top_by_crime(agencies, top)
    result.new_partnerships = new_partnerships(agencies)
    return result


# --- output -------------------------------------------------------------------------------------


def safe(text: object) -> str:
    """``text`` on one line with no control or formatting characters (no terminal escapes)."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in str(text))
    return " ".join(cleaned.split())


def to_json(analysis: Analysis) -> str:
    return json.dumps(asdict(analysis), indent=2, ensure_ascii=False) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _listing(title: str, items: list[str], top: int) -> list[str]:
    more = f" (first {top} of {len(items)})" if len(items) > top else ""
    return ["", f"{title}: {len(items)}{more}", *(f"  {safe(item)}" for item in items[:top])]


def to_table(analysis: Analysis, top: int = 10) -> str:
    out = [f"view {analysis.view}: {analysis.nodes} nodes, {analysis.edges} edges", ""]
    out.append(f"Most connected (betweenness {analysis.betweenness})")
    rows = [[safe(r["label"])[:50], str(r["type"]), str(r["degree"]), f"{r['weighted_degree']:g}",
             f"{r['betweenness']:.4f}"] for r in analysis.centrality[:top]]  # fmt: skip
    out += _table(["node", "type", "degree", "weighted degree", "betweenness"], rows)
    out.append("")
    out.append(f"Communities ({analysis.community_method}, modularity {analysis.modularity:g}): "
               f"{len(analysis.communities)}")  # fmt: skip
    for index, group in enumerate(analysis.communities[:top], 1):
        names = ", ".join(safe(name) for name in group[:8]) + (", ..." if len(group) > 8 else "")
        out.append(f"  {index}. ({len(group)}) {names}")
    out += _listing("Bridges", [f"{a} -- {b}" for a, b in analysis.bridges], top)
    out += _listing("Articulation agencies", analysis.articulation_agencies, top)
    out += ["", "Most connected agencies per crime type (partners)"]
    for crime, agencies in analysis.top_by_crime.items():
        listed = ", ".join(f"{safe(a['label'])} ({a['partners']})" for a in agencies[:5])
        out.append(f"  {safe(crime)}: {listed}")
    out += ["", "New partnerships per year"]
    out += _table(["year", "new pairs"], [[str(y["year"]), str(y["new"])] for y in analysis.new_partnerships])
    return "\n".join(out) + "\n"
