"""A static figure of a view, PNG or SVG, for a report: readable at a glance, the same bytes each run.

Nodes are sized by weighted degree and coloured by type, edges drawn with widths by weight;
labels for the most connected nodes, a legend (node types and three edge widths) and a title.
Large views are cut to the ``max_nodes`` most connected nodes (the title says so).  The layout
is NetworkX's spring layout with a fixed seed over a fixed node order; text is never read as
mathematics (``$`` in a name stays a dollar sign), SVG glyphs are paths and ids are salted with a
constant, and no date is written, so one view gives one file.
"""

from __future__ import annotations

import io

import matplotlib
import networkx as nx
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

LABELLED = 20
SEED = 42


def top_nodes(graph: nx.Graph, limit: int) -> nx.Graph:
    """The ``limit`` nodes with the highest weighted degree (ties by id), with their edges."""
    if graph.number_of_nodes() <= limit:
        return graph
    strength = dict(graph.degree(weight="weight"))
    keep = sorted(graph.nodes, key=lambda n: (-strength[n], str(n)))[:limit]
    return graph.subgraph(keep).copy()


def simple(graph: nx.Graph) -> nx.Graph:
    """An undirected simple graph, parallel edges merged (their weights added), in a fixed order."""
    merged = nx.Graph()
    merged.add_nodes_from(sorted((n, graph.nodes[n]) for n in graph.nodes))
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        weight = float(data.get("weight", 1))
        if merged.has_edge(source, target):
            merged.edges[source, target]["weight"] += weight
        else:
            merged.add_edge(source, target, weight=weight)
    return merged


def layout(graph: nx.Graph) -> dict[object, tuple[float, float]]:
    """Each connected component laid out on its own (spring layout, fixed seed), the components
    packed in rows, largest first, each in a box whose side grows with the root of its size."""
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(graph)), key=lambda c: (-len(c), str(c[0]))
    )
    row_width = 1.6 * max(graph.number_of_nodes(), 1) ** 0.5
    positions: dict[object, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes in components:
        side = len(nodes) ** 0.5
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height - 0.4, 0.0
        for node, (px, py) in _component_layout(graph.subgraph(nodes)).items():
            positions[node] = (x + side * (px + 1) / 2, y - side * (1 - py) / 2)
        x, row_height = x + side + 0.4, max(row_height, side)
    return positions


def _component_layout(component: nx.Graph) -> dict[object, tuple[float, float]]:
    """Positions in [-1, 1] for one connected component."""
    if component.number_of_nodes() == 1:
        return {next(iter(component.nodes)): (0.0, 0.0)}
    spread = 2.0 / component.number_of_nodes() ** 0.5
    found = nx.spring_layout(component, k=spread, seed=SEED, weight="weight", iterations=200)
    return {node: (float(px), float(py)) for node, (px, py) in found.items()}


def _style() -> None:
    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "text.parse_math": False, "svg.hashsalt": "cckg", "svg.fonttype": "path",
        "font.family": "DejaVu Sans", "path.simplify": True,
    })  # fmt: skip


def draw(graph: nx.Graph, fmt: str, title: str, max_nodes: int = 500) -> bytes:
    """The figure of ``graph`` as PNG or SVG bytes."""
    _style()
    shown = simple(top_nodes(graph, max_nodes))
    positions = layout(shown)
    figure = Figure(figsize=(12, 9), dpi=150, layout="constrained")
    axes = figure.add_subplot()
    axes.set_axis_off()
    types = sorted({str(graph.nodes[n].get("type", "")) for n in shown.nodes})
    _edges(axes, shown, positions)
    _nodes(axes, graph, shown, positions, types)
    _labels(axes, graph, shown, positions)
    _legend(axes, shown, types)
    cut = (
        f" (the {max_nodes} most connected of {graph.number_of_nodes()} nodes)"
        if shown is not graph and (graph.number_of_nodes() > max_nodes)
        else ""
    )
    axes.set_title(f"{title}{cut}", fontsize=14)
    out = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(out, format=fmt, metadata=metadata, facecolor="white")
    return out.getvalue()


def _width(weight: float, heaviest: float) -> float:
    return 0.5 + 4.5 * weight / heaviest if heaviest else 1.0


def _edges(axes: Axes, shown: nx.Graph, positions: dict) -> None:
    edges = list(shown.edges(data="weight"))
    if not edges:
        return
    heaviest = max(w for *_, w in edges)
    segments = [(positions[s], positions[t]) for s, t, _ in edges]
    widths = [_width(w, heaviest) for *_, w in edges]
    axes.add_collection(LineCollection(segments, linewidths=widths, colors="#8a8a8a", alpha=0.6, zorder=1))


def _colours(types: list[str]) -> dict[str, object]:
    palette = colormaps["tab10"]
    return {kind: palette(index % 10) for index, kind in enumerate(types)}


def _nodes(axes: Axes, graph: nx.Graph, shown: nx.Graph, positions: dict, types: list[str]) -> None:
    if not positions:
        return
    strength = dict(shown.degree(weight="weight"))
    biggest = max(strength.values()) or 1.0
    colours = _colours(types)
    nodes = list(shown.nodes)
    axes.scatter(
        [positions[n][0] for n in nodes],
        [positions[n][1] for n in nodes],
        s=[40 + 600 * strength[n] / biggest for n in nodes],
        c=[colours[str(graph.nodes[n].get("type", ""))] for n in nodes],
        edgecolors="white",
        linewidths=0.8,
        zorder=2,
    )


def _labels(axes: Axes, graph: nx.Graph, shown: nx.Graph, positions: dict) -> None:
    strength = dict(shown.degree(weight="weight"))
    for node in sorted(shown.nodes, key=lambda n: (-strength[n], str(n)))[:LABELLED]:
        x, y = positions[node]
        axes.text(
            x, y, short_label(graph.nodes[node], node), fontsize=8, ha="center", va="bottom", zorder=3,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )  # fmt: skip


def short_label(data: dict, node: object) -> str:
    """An acronym when the node has one, else its label, on one line and at most 40 characters."""
    acronyms = data.get("acronyms") or []
    label = str(acronyms[0]) if isinstance(acronyms, list) and acronyms else str(data.get("label", node))
    label = " ".join(label.split())
    return label if len(label) <= 40 else label[:39] + "…"


def _legend(axes: Axes, shown: nx.Graph, types: list[str]) -> None:
    colours = _colours(types)
    handles = [Line2D([], [], marker="o", linestyle="", color=colours[t], markersize=9, label=t or "node")
               for t in types]  # fmt: skip
    weights = sorted({w for *_, w in shown.edges(data="weight")})
    if weights:
        heaviest = weights[-1]
        for weight in sorted({weights[0], weights[len(weights) // 2], heaviest}):
            label = f"weight {weight:g}"
            handles.append(Line2D([], [], color="#8a8a8a", linewidth=_width(weight, heaviest), label=label))
    if handles:
        axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=True)
