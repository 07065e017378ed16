"""The knowledge files (cckg.ingest.extract.knowledge): what they hold, that the rules read every
key of them, and that the rule modules hold no word lists of their own."""

from __future__ import annotations

import ast
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pycountry
import pytest

from cckg import resources
from cckg.ingest.extract import Knowledge, extract, load_knowledge
from cckg.ingest.extract.knowledge import PATTERN_FILES, KnowledgeError, knowledge
from cckg.ingest.read import parse_release
from conftest import REPO

from .conftest import KB

KINDS = {"customs", "police", "anti-corruption", "intergovernmental", "ministry", "other"}
USER_ASSIGNED = {"XK"}  # Kosovo: in common use, not in ISO 3166-1
SRC = REPO / "src" / "cckg"
RULE_MODULES = sorted(p for p in (SRC / "ingest" / "extract").glob("*.py") if p.name != "knowledge.py")


def entries() -> list[dict]:
    return resources.load_yaml("data", "gazetteer", "agencies.yaml")


# --- the gazetteer -----------------------------------------------------------------------------


def test_agencies_have_unique_ids_and_valid_countries_and_kinds() -> None:
    ids = Counter(entry["id"] for entry in entries())
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(i == i.lower() and " " not in i for i in ids)
    bad = []
    for entry in entries():
        country = entry.get("country")
        if entry["kind"] == "intergovernmental":
            ok = country is None
        else:
            ok = country in USER_ASSIGNED or pycountry.countries.get(alpha_2=country) is not None
        if entry["kind"] not in KINDS or not ok:
            bad.append((entry["id"], entry["kind"], country))
    assert bad == []


def test_every_name_names_one_agency_and_none_is_a_bare_common_phrase() -> None:
    owners: dict[str, set[str]] = {}
    for entry in entries():
        for name in (entry["name"], *entry.get("acronyms", []), *entry.get("aliases", [])):
            owners.setdefault(name.lower(), set()).add(entry["id"])
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}
    risky = {"customs", "police", "the department", "the commission", "department", "bureau"}
    names = {n.lower() for e in entries() for n in (e["name"], *e.get("aliases", []))}
    assert names & risky == set()


def test_the_project_knowledge_reads_as_words() -> None:
    kb = knowledge()
    assert kb.agencies["hk-ced"].acronyms == ("C&ED",)
    assert kb.cities["Seoul"].country == "KR" and kb.countries["Korea"] == "KR"
    assert kb.customs_by_country["KR"] == "kr-kcs"
    word_lists = [
        v for name in PATTERN_FILES for v in vars(getattr(kb, name)).values() if isinstance(v, list)
    ]
    assert all(isinstance(word, str) for words in word_lists for word in words)  # YAML "on" stays a word
    assert kb.seizure_words.number_scales == {
        "thousand": 1_000,
        "million": 1_000_000,
        "mln": 1_000_000,
        "billion": 1_000_000_000,
    }


# --- every key is read, and the rules keep no words of their own ---------------------------------


@cache
def _reads() -> frozenset[str]:
    """Names the package's code reads: attributes, and string keys of subscripts and ``.get``."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                found.add(node.attr)
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                found.add(str(node.slice.value))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    return frozenset(found)


def _yaml_keys(path: Path) -> set[str]:
    data = resources.load_yaml(str(path))
    if isinstance(data, list):  # agencies.yaml: the fields of its entries
        return {key for entry in data for key in entry}
    return set(data or {})


@pytest.mark.parametrize(
    "path",
    sorted([*(REPO / "data" / "patterns").glob("*.yaml"), *(REPO / "data" / "gazetteer").glob("*.yaml")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_yaml_key_is_read_by_the_code(path: Path) -> None:
    assert sorted(_yaml_keys(path) - _reads()) == []


def test_every_patterns_file_is_loaded() -> None:
    loaded = {filename for filename, _ in PATTERN_FILES.values()} | {"page.yaml"}  # page.yaml: the reader's
    assert {p.name for p in (REPO / "data" / "patterns").glob("*.yaml")} == loaded


_WORD = r"[A-Za-z][\w'’ -]*"
_WORD_ALTERNATION = re.compile(rf"(?:^|[(|:>])(?:{_WORD}\|){{2,}}{_WORD}(?=$|[)|])")


def _word_lists(path: Path) -> list[str]:
    """Literal word lists in a module: a list, set, tuple or dict of three or more words, or a
    regex alternation of three or more words ("led|coordinated|hosted")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    exports = {
        id(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in exports:
            continue
        items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, (ast.List, ast.Set, ast.Tuple, ast.Dict)) and items is not None:
            words = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
            if len([w for w in words if re.search("[A-Za-z]", w)]) >= 3:
                found.append(f"line {node.lineno}: {words}")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and _WORD_ALTERNATION.search(node.value.replace("\\s+", " ").replace("\\b", ""))
        ):
            found.append(f"line {node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.name)
def test_rule_modules_hold_no_word_lists(path: Path) -> None:
    assert _word_lists(path) == []


def test_the_word_list_check_finds_word_lists(tmp_path: Path) -> None:
    module = tmp_path / "rules.py"
    module.write_text(
        'STOPS = {"said", "says", "and"}\nLED = r"-(?:led|coordinated|hosted)\\b"\nOK = ("in", "at")\n'
        'PUNCT = (",", ";", "-", "(")\nSHAPE = r"[A-Z][a-z]+|\\d+"\n',
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in _word_lists(module)] == ["line 1", "line 2"]


# --- loading other knowledge --------------------------------------------------------------------


def test_rules_use_the_knowledge_they_are_given(kb: Knowledge) -> None:
    release = parse_release("The RCS met the C&ED today (November 1).\n\nEnds/2023-11-01\n", "t", "t.txt")
    assert [a.name for a in extract(release, kb).agencies] == ["Ruritania Customs Service"]
    assert [a.name for a in extract(release).agencies] == ["Customs and Excise Department"]
    assert kb.confidence.known_agency != knowledge().confidence.known_agency
    assert extract(release, kb).agencies[0].confidence == kb.confidence.known_agency


def _copy(tmp_path: Path, name: str = "kb") -> Path:
    shutil.copytree(KB, tmp_path / name)
    return tmp_path / name


def test_an_unknown_key_is_refused_with_the_file_and_key(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    with (copy / "patterns" / "seizures.yaml").open("a", encoding="utf-8") as handle:
        handle.write("seizure_verbs: [grabbed]\n")
    with pytest.raises(KnowledgeError, match=r"seizures\.yaml: unknown key 'seizure_verbs'"):
        load_knowledge(copy / "gazetteer", copy / "patterns")


def test_a_missing_key_is_refused_with_the_file_and_key(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    path = copy / "gazetteer" / "titles.yaml"
    path.write_text(re.sub(r"(?m)^honorifics:.*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"titles\.yaml: key 'honorifics' is missing"):
        load_knowledge(copy / "gazetteer", copy / "patterns")
    copy = _copy(tmp_path, "kb2")
    (copy / "patterns" / "confidence.yaml").write_text("- 0.5\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"confidence\.yaml: not a mapping"):
        load_knowledge(copy / "gazetteer", copy / "patterns")


def test_a_word_added_in_data_is_matched_with_no_code_change(tmp_path: Path, kb: Knowledge) -> None:
    copy = _copy(tmp_path)
    path = copy / "patterns" / "seizures.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "[seized, detected, found]", "[seized, detected, found, grabbed]"
        ),
        encoding="utf-8",
    )
    release = parse_release("Officers grabbed 20 kg of heroin.\n", "t", "t.txt")
    assert extract(release, kb).seizures == []
    (seizure,) = extract(release, load_knowledge(copy / "gazetteer", copy / "patterns")).seizures
    assert (seizure.quantity, seizure.unit, seizure.goods) == (20, "kg", "heroin")


@pytest.mark.parametrize("filename", sorted(f for f, _ in PATTERN_FILES.values()))
def test_each_patterns_file_says_what_each_key_is(filename: str) -> None:
    path = REPO / "data" / "patterns" / filename
    text = path.read_text(encoding="utf-8")
    header = text[: re.search(r"(?m)^[a-z_]+:", text).start()]
    assert sorted(k for k in _yaml_keys(path) if not re.search(rf"(?m)^#\s+{k}\s", header)) == []
    assert "no Python change is needed" in header
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"data/patterns/{filename}" in readme


def test_country_names_for_codes(kb: Knowledge) -> None:
    assert kb.country_name("KR") == "South Korea"  # the common name where ISO 3166 has one
    assert kb.country_name("FR") == "France"
    assert kb.country_name("XR") == "XR"  # a code ISO 3166 does not assign
