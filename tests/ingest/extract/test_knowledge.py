"""The knowledge files: each agency once, each name naming one agency, codes and kinds valid."""

from __future__ import annotations

from collections import Counter

import pycountry
import pytest

from cckg import resources
from cckg.ingest.extract.knowledge import PATTERN_FILES, knowledge

KINDS = {"customs", "police", "anti-corruption", "intergovernmental", "ministry", "other"}
USER_ASSIGNED = {"XK"}  # Kosovo: in common use, not in ISO 3166-1


def entries() -> list[dict]:
    return resources.load_yaml("data", "gazetteer", "agencies.yaml")


def test_ids_are_unique_slugs() -> None:
    ids = Counter(entry["id"] for entry in entries())
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(i == i.lower() and " " not in i for i in ids)


def test_every_name_names_one_agency() -> None:
    owners: dict[str, set[str]] = {}
    for entry in entries():
        for name in (entry["name"], *entry.get("acronyms", []), *entry.get("aliases", [])):
            owners.setdefault(name.lower(), set()).add(entry["id"])
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize("entry", entries(), ids=lambda e: e["id"])
def test_country_and_kind(entry: dict) -> None:
    assert entry["kind"] in KINDS
    country = entry.get("country")
    if entry["kind"] == "intergovernmental":
        assert country is None
    else:
        assert country in USER_ASSIGNED or pycountry.countries.get(alpha_2=country) is not None


def test_no_bare_common_phrases_as_names() -> None:
    risky = {"customs", "police", "the department", "the commission", "department", "bureau"}
    names = {n.lower() for e in entries() for n in (e["name"], *e.get("aliases", []))}
    assert names & risky == set()


def test_knowledge_loads_every_file() -> None:
    kb = knowledge()
    assert len(kb.agencies) == len(entries())
    assert set(kb.crime_labels) == {
        "drug-trafficking", "money-laundering", "ipr-infringement", "tobacco-smuggling", "smuggling",
        "cybercrime", "financial-crime", "terrorism", "wildlife-trafficking", "revenue-fraud",
        "strategic-commodities", "other",
    }  # fmt: skip
    assert "mou" in kb.agreement_labels and kb.honorifics and kb.titles
    assert kb.cities["Seoul"].country == "KR" and kb.countries["Korea"] == "KR"
    word_lists = [
        value
        for name in PATTERN_FILES
        for value in vars(getattr(kb, name)).values()
        if isinstance(value, list)
    ]
    assert all(isinstance(word, str) for words in word_lists for word in words)  # YAML "on" stays a word
