"""One text under several file names: stored once, the other files recorded and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from cckg import pipeline
from cckg.store import OxigraphStore

TEXT = "Hong Kong Customs met Korea Customs Service in Seoul on 1 November 2023.\n\nThey signed a deal.\n"
OTHER = "Singapore Police Force met the Royal Malaysia Police in Johor on 3 March 2024.\n"


def sources(store: OxigraphStore) -> dict[str, tuple[str, list[str]]]:
    """Each stored release id -> its dcterms:source and its cckg:alsoSource values, sorted."""
    rows = store.select(
        "PREFIX cckg: <https://w3id.org/cckg/ns#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?id ?source ?also WHERE { GRAPH ?g { ?g a cckg:Release ; dcterms:identifier ?id ; "
        "dcterms:source ?source OPTIONAL { ?g cckg:alsoSource ?also } } } ORDER BY ?id ?also"
    ).rows
    found: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        _, also = found.setdefault(str(row["id"]), (str(row["source"]), []))
        if row.get("also") is not None:
            also.append(str(row["also"]))
    return found


def folder(tmp_path: Path, **files: str) -> Path:
    where = tmp_path / "releases"
    where.mkdir(exist_ok=True)
    for name, text in files.items():
        (where / f"{name}.txt").write_text(text, encoding="utf-8")
    return where


def test_two_names_one_text_are_stored_once(tmp_path: Path) -> None:
    where = folder(tmp_path, a=TEXT, b=TEXT)
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [where])
        assert (report.ingested, report.duplicate) == (["a"], ["b"])
        assert [(p.outcome, p.message) for p in report.problems if p.outcome == "duplicate"] == [
            ("duplicate", f"{where / 'b.txt'}: same text as release a (a.txt); stored once")
        ]
        assert report.ok
        assert sources(store) == {"a": ("a.txt", ["b.txt"])}
        assert "ingested 1, unchanged 0, duplicate 1, failed 0" in report.summary()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("batch_size", [1, 200])
def test_three_names_in_file_order(tmp_path: Path, workers: int, batch_size: int) -> None:
    """The first file in file order is stored, whatever the workers and the validation batches."""
    where = folder(tmp_path, **{"香港": TEXT, "z": TEXT, "a": TEXT, "other": OTHER})
    with OxigraphStore() as store:
        report = pipeline.ingest(store, [where], workers=workers, batch_size=batch_size)
        assert report.ingested == ["a", "other"]
        assert report.duplicate == ["z", "香港"]
        assert sources(store) == {"a": ("a.txt", ["z.txt", "香港.txt"]), "other": ("other.txt", [])}


def test_the_text_of_a_release_stored_before_is_a_duplicate(tmp_path: Path) -> None:
    where = folder(tmp_path, b=TEXT)
    with OxigraphStore() as store:
        pipeline.ingest(store, [where / "b.txt"])
        folder(tmp_path, a=TEXT)
        report = pipeline.ingest(store, [where])
        assert (report.ingested, report.unchanged, report.duplicate) == ([], ["b"], ["a"])
        assert sources(store) == {"b": ("b.txt", ["a.txt"])}


def test_reingest_changes_nothing_and_force_keeps_the_rule(tmp_path: Path) -> None:
    where = folder(tmp_path, a=TEXT, b=TEXT)
    with OxigraphStore() as store:
        pipeline.ingest(store, [where])
        before = store.dump("nquads", None)
        again = pipeline.ingest(store, [where])
        assert (again.ingested, again.unchanged, again.duplicate, again.triples) == ([], ["a"], ["b"], 0)
        assert store.dump("nquads", None) == before
        forced = pipeline.ingest(store, [where], force=True)
        assert (forced.ingested, forced.duplicate) == (["a"], ["b"])
        assert sources(store) == {"a": ("a.txt", ["b.txt"])}
        alone = pipeline.ingest(store, [where / "a.txt"], force=True)  # re-extracted alone
        assert alone.ingested == ["a"] and sources(store) == {"a": ("a.txt", ["b.txt"])}


def test_removing_the_stored_release_lets_the_other_file_be_stored(tmp_path: Path) -> None:
    where = folder(tmp_path, a=TEXT, b=TEXT)
    with OxigraphStore() as store:
        pipeline.ingest(store, [where])
        store.remove_graph(pipeline.release_graph("a"))
        (where / "a.txt").unlink()
        report = pipeline.ingest(store, [where])
        assert (report.ingested, report.duplicate) == (["b"], [])
        assert sources(store) == {"b": ("b.txt", [])}


def test_a_changed_text_is_no_duplicate_of_its_old_version(tmp_path: Path) -> None:
    """a.txt changed, b.txt still has a's old text: b is stored, since a no longer has it."""
    where = folder(tmp_path, a=TEXT)
    with OxigraphStore() as store:
        pipeline.ingest(store, [where])
        folder(tmp_path, a=OTHER, b=TEXT)
        report = pipeline.ingest(store, [where])
        assert (report.ingested, report.duplicate) == (["a", "b"], [])
        assert sources(store) == {"a": ("a.txt", []), "b": ("b.txt", [])}


def test_a_file_recorded_later_is_in_the_merged_graph_too(tmp_path: Path) -> None:
    """The file added to a stored release reaches the merged graph the queries read, in one write."""
    where = folder(tmp_path, a=TEXT)
    with OxigraphStore() as store:
        pipeline.ingest(store, [where])
        folder(tmp_path, b=TEXT)
        report = pipeline.ingest(store, [where])
        assert (report.unchanged, report.duplicate, report.triples) == (["a"], ["b"], 1)
        merged = store.select(
            "SELECT ?file WHERE { <https://w3id.org/cckg/id/release/a> "
            "<https://w3id.org/cckg/ns#alsoSource> ?file }"
        )
        assert [str(row["file"]) for row in merged.rows] == ["b.txt"]
        content_hash = store.graph_metadata(pipeline.release_graph("a")).content_hash
        [text] = store.releases_with_hash(content_hash or "")
        assert (text.release_id, text.source, text.also_sources) == ("a", "a.txt", ("b.txt",))


def test_a_file_whose_text_became_a_copy_gives_up_its_old_release(tmp_path: Path) -> None:
    """b.txt had a text of its own and is now a copy of a.txt: its old release is removed."""
    where = folder(tmp_path, a=TEXT, b=OTHER)
    with OxigraphStore() as store:
        pipeline.ingest(store, [where])
        folder(tmp_path, b=TEXT)
        report = pipeline.ingest(store, [where])
        assert (report.unchanged, report.duplicate) == (["a"], ["b"])
        assert report.problems[-1].message.endswith("; the release b stored before from this file is removed")
        assert sources(store) == {"a": ("a.txt", ["b.txt"])}
        assert not store.has_graph(pipeline.release_graph("b"))
