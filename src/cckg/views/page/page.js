"use strict";
// The cckg view page.  Every name that comes from the data is set as text (textContent, Option),
// never as HTML; the network itself draws labels on a canvas.
(function () {
  const data = JSON.parse(document.getElementById("cckg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  };
  $("page-title").textContent = data.title;
  $("page-note").textContent = data.note;

  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.label, value: n.weight, group: n.type, x: n.x, y: n.y,
  })));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({
    id: "e" + i, from: e.source, to: e.target, value: e.weight, years: e.years, crimes: e.crimes,
  })));
  const degree = new Map();
  data.edges.forEach((e) => {
    degree.set(e.source, (degree.get(e.source) || 0) + 1);
    degree.set(e.target, (degree.get(e.target) || 0) + 1);
  });

  const first = data.years.length ? data.years[0] : 0;
  const last = data.years.length ? data.years[data.years.length - 1] : 0;
  const state = { from: first, to: last, crime: "" };
  const fullRange = () => state.from === first && state.to === last;
  const inRange = (years) => (years.length === 0 ? fullRange() : years.some((y) => y >= state.from && y <= state.to));
  const onCrime = (crimes) => state.crime === "" || crimes.includes(state.crime);
  const edgeShown = (e) => inRange(e.years) && onCrime(e.crimes);
  let shown = new Set();
  function recompute() {
    shown = new Set();
    edges.forEach((e) => { if (edgeShown(e)) { shown.add(e.from); shown.add(e.to); } });
    data.nodes.forEach((n) => {
      if (!degree.get(n.id) && inRange(n.years) && onCrime(n.crimes)) shown.add(n.id);
    });
  }
  recompute();
  const nodesView = new vis.DataView(nodes, { filter: (n) => shown.has(n.id) });
  const edgesView = new vis.DataView(edges, { filter: edgeShown });

  const network = new vis.Network($("graph"), {}, {
    nodes: { shape: "dot", scaling: { min: 6, max: 32, label: { enabled: true, min: 11, max: 30 } }, font: { face: "sans-serif" } },
    edges: { scaling: { min: 1, max: 8 }, color: { inherit: "both", opacity: 0.6 }, smooth: false },
    physics: false,
    interaction: { hover: true, tooltipDelay: 200 },
  });

  function renderShown() {
    const ids = nodesView.getIds();
    $("visible-count").textContent = String(ids.length);
    $("visible-edges").textContent = String(edgesView.getIds().length);
    $("visible-list").replaceChildren(...ids.map((id) => {
      const item = el("li", byId.get(id).label);
      item.dataset.nodeId = id;
      return item;
    }));
  }
  const yearFrom = $("year-from"), yearTo = $("year-to"), crime = $("crime");
  for (const y of data.years) {
    yearFrom.append(new Option(String(y), String(y)));
    yearTo.append(new Option(String(y), String(y)));
  }
  yearFrom.value = String(first);
  yearTo.value = String(last);
  for (const c of data.crimes) crime.append(new Option(c.label, c.id));
  function applyFilters() {
    state.from = Number(yearFrom.value);
    state.to = Number(yearTo.value);
    state.crime = crime.value;
    recompute();
    edgesView.refresh();
    nodesView.refresh();
    renderShown();
  }
  [yearFrom, yearTo, crime].forEach((s) => s.addEventListener("change", applyFilters));

  function factItem(fact) {
    const item = el("li");
    const when = fact.date ? " (" + fact.date + ")" : "";
    item.append(el("strong", fact.label), el("span", " " + fact.type + when));
    for (const quote of fact.evidence) {
      item.append(el("blockquote", quote.quote), el("cite", "release " + quote.release + ", characters " + quote.start + "-" + quote.end));
    }
    return item;
  }
  function showDetails(id) {
    const node = byId.get(id);
    const box = $("details");
    const list = el("ol");
    node.facts.forEach((fact) => list.append(factItem(fact)));
    const about = node.type + " · weight " + node.weight + (node.years.length ? " · " + node.years[0] + "-" + node.years[node.years.length - 1] : "");
    box.replaceChildren(el("h2", node.label), el("p", about), node.facts.length ? list : el("p", "No facts with evidence."));
    box.dataset.nodeId = id;
  }
  network.on("click", (event) => { if (event.nodes.length) showDetails(event.nodes[0]); });

  const search = $("search"), matches = $("matches");
  search.addEventListener("input", () => {
    const wanted = search.value.trim().toLowerCase();
    const hits = wanted ? data.nodes.filter((n) => n.label.toLowerCase().includes(wanted) && shown.has(n.id)).slice(0, 20) : [];
    matches.replaceChildren(...hits.map((n) => {
      const button = el("button", n.label);
      button.type = "button";
      button.dataset.nodeId = n.id;
      button.addEventListener("click", () => { network.selectNodes([n.id]); network.focus(n.id, { scale: 1.2 }); showDetails(n.id); });
      const item = el("li");
      item.append(button);
      return item;
    }));
    if (hits.length) network.selectNodes(hits.map((n) => n.id));
  });

  renderShown();
  window.cckgView = {
    visibleNodeIds: () => nodesView.getIds(),
    visibleEdgeIds: () => edgesView.getIds(),
    toDOM: (id) => network.canvasToDOM(network.getPositions([id])[id]),
    showDetails,
  };
  network.once("afterDrawing", () => { document.body.dataset.drawn = "1"; });
  network.setData({ nodes: nodesView, edges: edgesView });
})();
