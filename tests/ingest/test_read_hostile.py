"""The reader on hostile files: special files refused before they are opened, sizes checked
before reading against the limit the extractor really takes, unreadable folders named, text a
browser does not show left out, and the release's language told."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cckg import language
from cckg.ingest.extract.knowledge import knowledge
from cckg.ingest.extract.nlp import matchers
from cckg.ingest.read import (
    MAX_HTML_BYTES,
    MAX_TEXT_CHARS,
    Found,
    ReleaseError,
    parse_release,
    read_release,
    scan_releases,
)
from cckg.pipeline import extract_readable
from conftest import REPO

SEED = REPO / "data" / "releases" / "001_c98b5c3fca22d16e.txt"
ZH = "香港海关与韩国关税厅今日在首尔举行第三十四届海关合作会议，双方就打击毒品走私及洗钱交换情报。\n"


def refused(path: Path) -> str:
    with pytest.raises(ReleaseError) as caught:
        read_release(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "release.txt"
    os.mkfifo(fifo)
    assert "not a regular file (a FIFO)" in refused(fifo)


def test_a_link_to_a_device_is_refused_before_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert "not a regular file (a character device)" in refused(link)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "not a regular file (a socket)" in refused(path)


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    link = tmp_path / "001_c98b5c3fca22d16e.txt"
    link.symlink_to(SEED)
    assert read_release(link).text == SEED.read_text(encoding="utf-8")


def test_text_over_the_extractor_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Customs. " * (1_046_400 // 9) + b"x" * (1_046_400 % 9))
    assert big.stat().st_size == 1_046_400
    assert f"too large for a release (1046400 bytes; at most {MAX_TEXT_CHARS})" in refused(big)


def test_html_whose_text_is_over_the_extractor_limit_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>" + "<p>word</p>" * (MAX_TEXT_CHARS // 5) + "</body></html>")
    assert page.stat().st_size <= MAX_HTML_BYTES
    assert "release text too long for the extractor" in refused(page)


def test_the_reader_limit_is_one_the_extractor_takes() -> None:
    assert matchers(knowledge()).nlp.max_length >= MAX_TEXT_CHARS
    words = ("x" * 999 + "\n") * (MAX_TEXT_CHARS // 1000)
    release = parse_release(words, "longest", "longest.txt")
    assert len(release.text) == MAX_TEXT_CHARS
    assert extract_readable(release).agencies == []
    with pytest.raises(ReleaseError, match="too long for the extractor"):
        parse_release(words + "y", "longer", "longer.txt")


def test_an_unreadable_folder_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "a.txt").write_text("A release.\n")
    locked.chmod(0)
    try:
        # root reads every folder: then scan as a user without that power
        found = scan_releases([tmp_path]) if os.geteuid() != 0 else unprivileged_scan(tmp_path)
    finally:
        locked.chmod(0o755)
    assert found.files == [tmp_path / "a.txt"]
    assert found.unreadable == [(locked, "cannot read the folder (Permission denied)")]


def unprivileged_scan(folder: Path) -> Found:
    """:func:`scan_releases` in a user namespace, where root's power over files does not reach."""
    tmp_parents = [p for p in folder.parents if p != Path("/")]
    modes = {p: p.stat().st_mode for p in tmp_parents}
    code = (
        "import sys, json; from pathlib import Path; from cckg.ingest.read import scan_releases; "
        "f = scan_releases([Path(sys.argv[1])]); "
        "print(json.dumps([[str(p) for p in f.files], [[str(p), r] for p, r in f.unreadable]]))"
    )
    try:
        for parent in tmp_parents:
            parent.chmod(parent.stat().st_mode | 0o005)
        result = subprocess.run(
            ["unshare", "--user", sys.executable, "-c", code, str(folder)],
            capture_output=True, text=True, check=False,
        )
    finally:
        for parent, mode in modes.items():
            parent.chmod(mode)
    if result.returncode != 0 and "unshare" in result.stderr:
        pytest.skip(f"no user namespaces here: {result.stderr.strip()}")
    files, unreadable = json.loads(result.stdout)
    return Found([Path(p) for p in files], [(Path(p), r) for p, r in unreadable])


def test_iframe_object_and_hidden_text_are_not_release_text(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><body><h1>Customs meet</h1><p>The Korea Customs Service met today.</p>"
        "<iframe src='x'><h1>Other</h1>The World Customs Organization signed a Memorandum of "
        "Understanding with Interpol.</iframe><object data='y'>Europol agreed.</object>"
        "<video>Your browser cannot play it.</video><p hidden>Interpol hidden</p>"
        "<div style='color: red; display: none'>Interpol unseen</div><p>Ends.</p></body></html>"
    )
    release = read_release(page)
    assert release.title == "Customs meet"
    assert release.text == "Customs meet\n\nThe Korea Customs Service met today.\n\nEnds.\n"
    facts = extract_readable(release)
    assert [a.name for a in facts.agencies] == ["Korea Customs Service"] and not facts.agreements


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (ZH * 3, "zh"),
        ("La douane française et la douane belge ont signé un accord de coopération contre le "
         "trafic de stupéfiants et le blanchiment d'argent.\n", "fr"),
        ("Nanning Customs and Hong Kong Customs met today (May 3, 2024) in Nanning.\n", "en"),
        ("Commissioner Tong (湯顯明) met the Korea Customs Service in Hong Kong to discuss the "
         "smuggling of drugs and counterfeit goods.\n", "en"),
        ("12345 67890\n", language.DEFAULT),
    ],
)
def test_the_language_is_told_from_the_text(text: str, code: str) -> None:
    assert parse_release(text, "r", "r.txt").language == code


def test_every_seed_and_development_release_is_english() -> None:
    from cckg.ingest.read import find_releases

    paths = find_releases([REPO / "data" / "releases", REPO / "data" / "devset" / "releases"])
    assert {read_release(p).language for p in paths} == {"en"}


def test_a_release_in_another_language_gets_no_facts() -> None:
    release = parse_release(ZH * 2, "zh-1", "zh-1.txt")
    facts = extract_readable(release)
    assert facts.language == "zh" and facts.to_json()["agencies"] == [] and not facts.crime_types


def test_control_characters_in_html_are_not_text() -> None:
    """Found by the fuzz target: lxml refused the text of a dropped element's tail."""
    page = "<html><body><p>Customs met.</p><nav>menu</nav>\x01tail \x0b x\x00</body></html>"
    assert parse_release(page, "a", "a.html", is_html=True).text == "Customs met.\n\ntail x\n"
