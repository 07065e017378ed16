"""The extractor's unit tests run on a small test gazetteer (tests/ingest/extract/kb/)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from spacy.tokens import Doc

from cckg.ingest.extract import Knowledge, extract, load_knowledge, read_context
from cckg.ingest.extract.context import Context
from cckg.ingest.read import Release, parse_release
from cckg.model import ReleaseFacts

KB = Path(__file__).resolve().parent / "kb"


@cache
def small_knowledge() -> Knowledge:
    """The small test knowledge: invented agencies of Ruritania (XR) and Freedonia (XF).  Loaded
    once per process (a mutation-testing run forks one pytest session per mutant from it)."""
    return load_knowledge(KB / "gazetteer", KB / "patterns")


@pytest.fixture
def kb() -> Knowledge:
    return small_knowledge()


def facts(text: str, kb: Knowledge, published: str | None = "2023-11-01") -> ReleaseFacts:
    """The facts of a release made of ``text`` (and a sign-off line giving ``published``)."""
    return extract(release(text, published), kb)


def release(text: str, published: str | None = "2023-11-01") -> Release:
    if published:
        text = f"{text}\n\nEnds/{published}\n"
    return parse_release(text, "t", "t.txt")


def context(text: str, kb: Knowledge, published: str | None = "2023-11-01") -> tuple[Doc, Context]:
    """The tokens and the shared context of a release made of ``text``."""
    return read_context(release(text, published), kb)
