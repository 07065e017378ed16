"""Ingest validates each release graph before storing it: a Violation blocks the release, Warnings
do not, and the others go on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import XSD, Literal, URIRef

from cckg import pipeline
from cckg.store import OxigraphStore
from conftest import RELEASE_2004, RELEASE_2023, VOCABULARY, fake_stages, run_cli

CCKG = rdflib.Namespace("https://w3id.org/cckg/ns#")
ID = rdflib.Namespace("https://w3id.org/cckg/id/")
EVENT_34 = ID["event/customs-cooperation-conference-hk-ced-kr-kcs/34"]
CED, KCS = ID["agency/hk-ced"], ID["agency/kr-kcs"]
STAGES = fake_stages()


def with_violation(release: Any) -> rdflib.Graph:
    """Release 000 with a confidence above 1 (a Violation); 001 as it is."""
    graph = STAGES.facts_to_graph(release)
    if release.id.startswith("000"):
        graph.set((EVENT_34, CCKG.confidence, Literal("1.5", datatype=XSD.decimal)))
    return graph


def with_warning(release: Any) -> rdflib.Graph:
    """Release 000 with KCS missing its agency kind (a Warning)."""
    graph = STAGES.facts_to_graph(release)
    if release.id.startswith("000"):
        graph.remove((KCS, CCKG.agencyKind, None))
    return graph


def without_ced(release: Any) -> rdflib.Graph:
    """Release 001 refers to C&ED without describing it (release 000, stored first, does)."""
    graph = STAGES.facts_to_graph(release)
    if release.id.startswith("001"):
        graph.remove((CED, None, None))
    return graph


def test_a_release_with_a_violation_is_not_stored_and_the_others_are(release_dir: Path) -> None:
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=replace(STAGES, facts_to_graph=with_violation))
        assert set(store.graph_names()) == {RELEASE_2004, VOCABULARY}
    assert report.ingested == ["001_c98b5c3fca22d16e"]
    assert not report.ok and not report.errors
    [check] = report.rejected
    assert check.path == release_dir / "000_d93ee451fa80120b.txt" and not check.stored
    assert check.report.counts()["Violation"] == 1
    assert [r.focus for r in check.report.results if r.severity == "Violation"] == [EVENT_34]
    summary = "ingested 1, unchanged 0, duplicate 0, failed 0, rejected 1, skipped 0 ("
    assert report.summary().startswith(summary)


def test_store_invalid_stores_it_anyway(release_dir: Path) -> None:
    stages = replace(STAGES, facts_to_graph=with_violation)
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=stages, store_invalid=True)
        assert RELEASE_2023 in store.graph_names()
    assert len(report.ingested) == 2 and not report.rejected
    assert [check.stored for check in report.checks] == [True]
    assert not report.ok, "a stored violation still fails the ingest"


def test_warnings_do_not_block(release_dir: Path) -> None:
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=replace(STAGES, facts_to_graph=with_warning))
        assert RELEASE_2023 in store.graph_names()
    assert report.ok and len(report.ingested) == 2
    [check] = report.checks
    assert check.stored and check.report.counts() == {"Violation": 0, "Warning": 1, "Info": 0}


def test_a_release_may_refer_to_agencies_already_stored(release_dir: Path) -> None:
    stages = replace(STAGES, facts_to_graph=without_ced)
    with OxigraphStore() as store:
        first = pipeline.ingest(store, [release_dir / "000_d93ee451fa80120b.txt"], stages=stages)
        report = pipeline.ingest(store, [release_dir], stages=stages)
    assert first.ok and first.ingested == ["000_d93ee451fa80120b"]
    assert report.ok and report.checks == [] and report.ingested == ["001_c98b5c3fca22d16e"]


def test_the_releases_of_one_batch_are_validated_against_the_store_before_it(release_dir: Path) -> None:
    """001 refers to C&ED, which only 000 describes: validated in one batch, 001 does not see 000
    (so C&ED is no agency to it); in batches of one, 000 is stored first."""
    stages = replace(STAGES, facts_to_graph=without_ced)
    with OxigraphStore() as store:
        together = pipeline.ingest(store, [release_dir], stages=stages)
    [check] = together.rejected
    assert check.release_id == "001_c98b5c3fca22d16e"
    assert {r.focus for r in check.report.results if r.component == rdflib.SH.ClassConstraintComponent}
    with OxigraphStore() as store:
        one_by_one = pipeline.ingest(store, [release_dir], stages=stages, batch_size=1)
    assert one_by_one.ok and one_by_one.checks == [] and len(one_by_one.ingested) == 2


def test_without_validation(release_dir: Path) -> None:
    stages = replace(STAGES, facts_to_graph=with_violation)
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [release_dir], stages=stages, validate=False)
    assert report.ok and len(report.ingested) == 2


# --- the command line -----------------------------------------------------------------------------




@pytest.fixture
def violating_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "default_stages", lambda: replace(STAGES, facts_to_graph=with_violation))


@pytest.mark.usefixtures("violating_pipeline")
def test_cli_reports_the_rejected_release(tmp_path: Path, release_dir: Path) -> None:
    result = run_cli("--store", tmp_path / "store", "ingest", release_dir)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    name = release_dir / "000_d93ee451fa80120b.txt"
    assert lines[0] == f"cckg: {name}: not stored: 1 violation (--store-invalid stores it anyway)"
    assert lines[1] == f'{EVENT_34.replace(str(ID), "id:")}  "34th Customs Cooperation Conference"'
    assert any(line.startswith("  Violation cckg:confidence: ") for line in lines)
    assert lines[-1].startswith("ingested 1, unchanged 0, duplicate 0, failed 0, rejected 1, skipped 0 (")
    with OxigraphStore(tmp_path / "store", read_only=True) as store:
        assert RELEASE_2023 not in store.graph_names()


@pytest.mark.usefixtures("violating_pipeline")
def test_cli_store_invalid(tmp_path: Path, release_dir: Path) -> None:
    result = run_cli("--store", tmp_path / "store", "ingest", "--store-invalid", release_dir)
    assert result.exit_code == 1
    assert "000_d93ee451fa80120b.txt: stored with 1 violation" in result.stderr
    assert "ingested 2, unchanged 0, duplicate 0, failed 0, skipped 0 (" in result.stderr
    with OxigraphStore(tmp_path / "store", read_only=True) as store:
        assert URIRef(RELEASE_2023) in store.graph_names()
