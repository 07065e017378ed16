#!/usr/bin/env python3
"""Score extracted release facts against gold annotations.

The evaluation kit's scorer, kept in the project so that the tests and the quality report run
from a clone alone (docs/release-json.md describes the format it reads).

Usage:
    score.py GOLD_DIR PRED [--json] [--verbose]

GOLD_DIR holds one <id>.json per release (format: docs/release-json.md).
PRED is a directory of <id>.json files, or a JSON Lines file whose objects carry
"id" (or "source", whose file stem is matched against the gold "id" / "source").

Prints precision / recall / F1 per fact type (micro-averaged over releases),
attribute accuracy on matched facts, and last a line
    overall F1 0.XXX
(the mean F1 over fact types that occur in gold or predictions).
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

HONORIFICS = {"mr", "ms", "mrs", "miss", "dr", "madam", "sir", "prof", "professor", "mdm"}
UNIT_ALIASES = {
    "items": {"item", "items", "piece", "pieces", "pcs", "pc", "unit", "units", "stick", "sticks",
              "cigarette", "cigarettes", "article", "articles"},
    "kg": {"kg", "kgs", "kilogram", "kilograms", "kilogramme", "kilogrammes"},
    "g": {"g", "gram", "grams", "gramme", "grammes"},
    "t": {"t", "tonne", "tonnes", "ton", "tons", "metric ton", "metric tons"},
    "l": {"l", "litre", "litres", "liter", "liters"},
    "containers": {"container", "containers"},
    "hkd": {"hkd", "hk$", "hong kong dollars", "dollars"},
}
SINGULAR = {"agencies": "agency", "officials": "official", "events": "event", "agreements": "agreement",
            "seizures": "seizure"}
TYPES = ["agencies", "officials", "events", "agreements", "operations", "seizures",
         "crime_types", "cooperation"]


def norm(text) -> str:
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("co-operat", "cooperat")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"[^\w&\s]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def person_key(name) -> str:
    tokens = [t for t in norm(name).split() if t not in HONORIFICS]
    return " ".join(sorted(tokens))


def tokens(text) -> set[str]:
    stop = {"the", "of", "and", "on", "for", "in", "a", "an", "between", "with", "to"}
    return {t for t in norm(text).split() if t not in stop}


def jaccard(a, b) -> float:
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def unit_key(unit) -> str:
    u = norm(unit)
    for key, names in UNIT_ALIASES.items():
        if u in names:
            return key
    return u


def dates_agree(a, b) -> bool:
    """Equal at the coarser of the two precisions (YYYY, YYYY-MM, YYYY-MM-DD)."""
    if not a or not b:
        return False
    a, b = str(a), str(b)
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def agency_names(agency) -> set[str]:
    names = {agency.get("name")} | set(agency.get("acronyms") or []) | set(agency.get("aliases") or [])
    return {norm(n) for n in names if n}


def match(gold: list, pred: list, ok, score) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of pairs that satisfy ok(), best score() first."""
    cands = [(score(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred) if ok(g, p)]
    cands.sort(reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i), used_p.add(j), pairs.append((i, j))
    return pairs


def agency_ok(g, p):
    return bool(agency_names(g) & agency_names(p))


def official_ok(g, p):
    gk, pk = person_key(g.get("name")), person_key(p.get("name"))
    if not gk or not pk:
        return False
    return gk == pk or set(gk.split()) <= set(pk.split()) or set(pk.split()) <= set(gk.split()) and len(pk.split()) >= 2


def ordinal(event):
    try:
        return int(str(event.get("ordinal")).rstrip("stndrh")) if event.get("ordinal") else None
    except ValueError:
        return None


def event_ok(g, p):
    go, po = ordinal(g), ordinal(p)
    if go and po and go != po:
        return False
    if g.get("start") and p.get("start"):
        if not dates_agree(g["start"], p["start"]):
            return False
        return (go is not None and go == po) or g.get("kind") == p.get("kind") \
            or jaccard(g.get("name"), p.get("name")) >= 0.3
    if g.get("name") and p.get("name"):
        return jaccard(g.get("name"), p.get("name")) >= 0.5
    # Unnamed, undated events (a visit, say): same kind and a shared participant or city.
    shared = {norm(x) for x in g.get("participants") or []} & {norm(x) for x in p.get("participants") or []}
    same_city = g.get("city") and norm(g.get("city")) == norm(p.get("city"))
    return g.get("kind") == p.get("kind") and bool(shared or same_city)


def agreement_ok(g, p):
    if jaccard(g.get("name"), p.get("name")) >= 0.5:
        return True
    return g.get("kind") == p.get("kind") and g.get("kind") != "other" and dates_agree(g.get("date"), p.get("date"))


def operation_ok(g, p):
    return norm(g.get("name")) == norm(p.get("name")) or jaccard(g.get("name"), p.get("name")) >= 0.6


def seizure_ok(g, p):
    try:
        gq, pq = float(g.get("quantity")), float(p.get("quantity"))
    except (TypeError, ValueError):
        return False
    if gq == 0:
        return pq == 0
    return abs(gq - pq) / abs(gq) <= 0.01 and unit_key(g.get("unit")) == unit_key(p.get("unit"))


def title_agrees(g, p, gold_agencies) -> bool:
    """Titles share half their words, once the words of the official's own agency are removed
    from both ("Commissioner of Xland Customs" agrees with "Commissioner")."""
    strip = tokens(g.get("agency")) | tokens(p.get("agency"))
    for agency in gold_agencies:
        if norm(g.get("agency")) in agency_names(agency):
            for name in agency_names(agency):
                strip |= tokens(name)
    tg, tp = tokens(g.get("title")) - strip, tokens(p.get("title")) - strip
    if not tg or not tp:
        return jaccard(g.get("title"), p.get("title")) >= 0.5
    return len(tg & tp) / len(tg | tp) >= 0.5


def name_score(g, p):
    return jaccard(g.get("name"), p.get("name"))


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.attr_ok = {}
        self.misses = []

    def add(self, n_gold, n_pred, n_match):
        self.tp += n_match
        self.fn += n_gold - n_match
        self.fp += n_pred - n_match

    def attr(self, name, ok):
        right, total = self.attr_ok.get(name, (0, 0))
        self.attr_ok[name] = (right + bool(ok), total + 1)

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def gold_agency_for(name, gold_agencies, pred_agencies, agency_pairs):
    """Map a name used in a fact to the index of a gold agency (via the agency matching)."""
    n = norm(name)
    for i, g in enumerate(gold_agencies):
        if n in agency_names(g):
            return i
    for i, j in agency_pairs:
        if n in agency_names(pred_agencies[j]):
            return i
    return None


def score_release(gold: dict, pred: dict, tallies: dict, verbose: bool):
    def items(doc, key):
        return [x for x in (doc.get(key) or []) if x]

    ga, pa = items(gold, "agencies"), items(pred, "agencies")
    apairs = match(ga, pa, agency_ok, lambda g, p: len(agency_names(g) & agency_names(p)))
    tallies["agencies"].add(len(ga), len(pa), len(apairs))
    for i, j in apairs:
        if ga[i].get("country"):
            tallies["agencies"].attr("country", (pa[j].get("country") or "").upper() == ga[i]["country"].upper())

    def same_agency(gname, pname):
        gi = gold_agency_for(gname, ga, pa, apairs)
        pi = gold_agency_for(pname, ga, pa, apairs)
        return gi is not None and gi == pi

    go, po = items(gold, "officials"), items(pred, "officials")
    opairs = match(go, po, official_ok, lambda g, p: float(person_key(g["name"]) == person_key(p["name"])))
    tallies["officials"].add(len(go), len(po), len(opairs))
    for i, j in opairs:
        if go[i].get("agency"):
            tallies["officials"].attr("agency", same_agency(go[i]["agency"], po[j].get("agency")))
        if go[i].get("title"):
            tallies["officials"].attr("title", title_agrees(go[i], po[j], ga))

    ge, pe = items(gold, "events"), items(pred, "events")
    epairs = match(ge, pe, event_ok, name_score)
    tallies["events"].add(len(ge), len(pe), len(epairs))
    for i, j in epairs:
        g, p = ge[i], pe[j]
        tallies["events"].attr("kind", g.get("kind") == p.get("kind"))
        if g.get("city"):
            tallies["events"].attr("city", norm(g["city"]) == norm(p.get("city")))
        if g.get("end"):
            tallies["events"].attr("end", dates_agree(g["end"], p.get("end")))
        for name in g.get("participants") or []:
            tallies["events"].attr("participants", any(same_agency(name, q) for q in p.get("participants") or []))
        for name in g.get("delegation_heads") or []:
            tallies["events"].attr("delegation_heads",
                                   any(person_key(name) == person_key(q) for q in p.get("delegation_heads") or []))

    gg, pg = items(gold, "agreements"), items(pred, "agreements")
    gpairs = match(gg, pg, agreement_ok, name_score)
    tallies["agreements"].add(len(gg), len(pg), len(gpairs))
    for i, j in gpairs:
        g, p = gg[i], pg[j]
        tallies["agreements"].attr("kind", g.get("kind") == p.get("kind"))
        if g.get("date"):
            tallies["agreements"].attr("date", dates_agree(g["date"], p.get("date")))
        for name in g.get("parties") or []:
            tallies["agreements"].attr("parties", any(same_agency(name, q) for q in p.get("parties") or []))

    gop, pop = items(gold, "operations"), items(pred, "operations")
    tallies["operations"].add(len(gop), len(pop), len(match(gop, pop, operation_ok, name_score)))

    gs, ps = items(gold, "seizures"), items(pred, "seizures")
    spairs = match(gs, ps, seizure_ok, lambda g, p: jaccard(g.get("goods"), p.get("goods")))
    tallies["seizures"].add(len(gs), len(ps), len(spairs))
    for i, j in spairs:
        g, p = gs[i], ps[j]
        tallies["seizures"].attr("goods", jaccard(g.get("goods"), p.get("goods")) >= 0.5)
        if g.get("date"):
            tallies["seizures"].attr("date", dates_agree(g["date"], p.get("date")))

    gc, pc = set(gold.get("crime_types") or []), set(pred.get("crime_types") or [])
    tallies["crime_types"].add(len(gc), len(pc), len(gc & pc))

    def pair_keys(doc, agencies_side):
        keys = set()
        for pair in doc.get("cooperation") or []:
            if len(pair) != 2:
                continue
            if agencies_side == "gold":
                a, b = (gold_agency_for(x, ga, [], []) for x in pair)
            else:
                a, b = (gold_agency_for(x, ga, pa, apairs) for x in pair)
                a = a if a is not None else ("pred", norm(pair[0]))
                b = b if b is not None else ("pred", norm(pair[1]))
            if a is not None and b is not None and a != b:
                keys.add(frozenset((str(a), str(b))))
        return keys

    gk, pk = pair_keys(gold, "gold"), pair_keys(pred, "pred")
    tallies["cooperation"].add(len(gk), len(pk), len(gk & pk))

    if verbose:
        for key, pairs, g_list, p_list, label in [
            ("agencies", apairs, ga, pa, lambda x: x.get("name")),
            ("officials", opairs, go, po, lambda x: x.get("name")),
            ("events", epairs, ge, pe, lambda x: f"{x.get('name')} {x.get('start')}"),
            ("agreements", gpairs, gg, pg, lambda x: x.get("name")),
            ("seizures", spairs, gs, ps, lambda x: f"{x.get('quantity')} {x.get('unit')} {x.get('goods')}"),
        ]:
            matched_g = {i for i, _ in pairs}
            matched_p = {j for _, j in pairs}
            for i, g in enumerate(g_list):
                if i not in matched_g:
                    print(f"  {gold['id']}: missed {SINGULAR[key]}: {label(g)}")
            for j, p in enumerate(p_list):
                if j not in matched_p:
                    print(f"  {gold['id']}: extra  {SINGULAR[key]}: {label(p)}")
        for c in sorted(gc - pc):
            print(f"  {gold['id']}: missed crime type: {c}")
        for c in sorted(pc - gc):
            print(f"  {gold['id']}: extra  crime type: {c}")


def load_preds(path: Path) -> dict[str, dict]:
    docs = []
    if path.is_dir():
        for f in sorted(path.glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            doc.setdefault("id", f.stem)
            docs.append(doc)
    else:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                docs.append(json.loads(line))
    out = {}
    for doc in docs:
        for key in (doc.get("id"), Path(str(doc.get("source") or "")).stem):
            if key:
                out.setdefault(str(key), doc)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and extra facts")
    args = ap.parse_args(argv)

    preds = load_preds(args.pred)
    tallies = {t: Tally() for t in TYPES}
    missing = []
    for gfile in sorted(args.gold_dir.glob("*.json")):
        gold = json.loads(gfile.read_text(encoding="utf-8"))
        gid = gold.get("id", gfile.stem)
        pred = preds.get(gid) or preds.get(Path(str(gold.get("source") or "")).stem)
        if pred is None:
            missing.append(gid)
            pred = {}
        score_release(gold, pred, tallies, args.verbose)

    result, f1s = {}, []
    for t in TYPES:
        tl = tallies[t]
        p, r, f = tl.prf()
        result[t] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                     "tp": tl.tp, "fp": tl.fp, "fn": tl.fn,
                     "attributes": {k: round(a / n, 3) for k, (a, n) in tl.attr_ok.items() if n}}
        if tl.tp + tl.fp + tl.fn:
            f1s.append(f)
    overall = sum(f1s) / len(f1s) if f1s else 0.0
    if args.json:
        print(json.dumps({"types": result, "missing_predictions": missing, "overall_f1": round(overall, 3)}, indent=2))
    else:
        print(f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn   attribute accuracy")
        for t in TYPES:
            r = result[t]
            attrs = ", ".join(f"{k} {v:.2f}" for k, v in r["attributes"].items())
            print(f"{t:<12} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}   "
                  f"{r['tp']}/{r['fp']}/{r['fn']:<6} {attrs}")
        if missing:
            print(f"no prediction for: {', '.join(missing)}")
        print(f"overall F1 {overall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
