"""One namespace and prefix module (cckg.namespaces): every namespace defined once, one prefix
table, one ontology loader."""

from __future__ import annotations

import ast
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF

from cckg import namespaces, resources
from cckg.namespaces import CCKG, ID, PREFIXES, compact, ontology, sparql_prefixes
from cckg.store import OxigraphStore
from conftest import REPO

SRC = REPO / "src" / "cckg"
OWNER = SRC / "namespaces.py"


def source_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def strings(tree: ast.AST) -> list[str]:
    """The string constants of a module, docstrings left out."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_other_module_defines_a_namespace_or_names_a_vocabulary_iri() -> None:
    vocabularies = [str(n) for n in PREFIXES.values()] + ["http://www.wikidata.org/", "https://sws.geonames"]
    offenders = []
    for path in source_files():
        if path == OWNER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == (
                "Namespace"
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: Namespace(...)")
        for text in strings(tree):
            if any(vocabulary in text for vocabulary in vocabularies):
                offenders.append(f"{path.relative_to(SRC)}: {text[:60]!r}")
    assert offenders == []


def test_prefixes_and_the_ontology_are_defined_once() -> None:
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
        called = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        if path != OWNER:
            assert "PREFIXES" not in assigned, path
            assert "ontology_files" not in called, f"{path} loads the ontology itself"


def test_prefixes_are_namespaces_ending_in_a_separator() -> None:
    assert list(PREFIXES)[:2] == ["id", "cckg"]
    assert all(str(iri).endswith(("#", "/")) for iri in PREFIXES.values())
    assert len({str(iri) for iri in PREFIXES.values()}) == len(PREFIXES)


def test_compact_uses_the_prefixes() -> None:
    assert compact(ID["agency/hk-ced"]) == "id:agency/hk-ced"
    assert compact(CCKG.Agency) == "cckg:Agency"
    assert compact(URIRef(str(CCKG))) == str(CCKG)  # the namespace itself has no local name
    assert compact(OWL.sameAs) == str(OWL.sameAs)  # owl: is not one of the prefixes
    assert compact(BNode("b1")) == "_:b1"
    assert compact(Literal("Korea Customs Service")) == "Korea Customs Service"
    assert compact(None) == ""


def test_sparql_prefixes_declare_what_a_query_uses() -> None:
    with OxigraphStore() as store:
        store.replace_graph(ID["release/x"], [(ID["agency/a"], RDF.type, CCKG.Agency)])
        rows = store.select(sparql_prefixes(("id", "cckg")) + "SELECT ?a WHERE { ?a a cckg:Agency }").rows
    assert rows == [{"a": ID["agency/a"]}]
    assert sparql_prefixes().count("PREFIX ") == len(PREFIXES)


def test_the_ontology_is_parsed_once_and_holds_every_file() -> None:
    graph = ontology()
    assert ontology() is graph
    assert (CCKG.Agency, RDF.type, OWL.Class) in graph
    for path in resources.ontology_files():
        assert len(graph) >= len(resources.turtle_graph([path]))
    assert URIRef("https://w3id.org/cckg/graph/vocabulary") == namespaces.VOCABULARY_GRAPH
