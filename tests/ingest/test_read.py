"""Reading releases: text, the web-page form and HTML; chrome masked, offsets kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from cckg.ingest.read import ReleaseError, find_releases, parse_release, read_release
from conftest import REPO

SEED_PAGE = REPO / "data" / "releases" / "000_d93ee451fa80120b.txt"
SEED_TEXT = REPO / "data" / "releases" / "001_c98b5c3fca22d16e.txt"


def test_web_page_form_masks_chrome_and_keeps_offsets() -> None:
    release = read_release(SEED_PAGE)
    assert release.title == (
        "Hong Kong Customs and Korea Customs Service hold 34th Customs Cooperation Conference (with photos)"
    )
    assert release.published == "2023-11-01"
    assert len(release.content) == len(release.text)
    for chrome in ("[Home](#)", "Previous Page", "Customs Announcement", "led a delegation to..."):
        assert chrome in release.text
        assert chrome not in release.content
    body = "The Commissioner of Customs and Excise, Ms Louise Ho"
    at = release.content.index(body)
    assert release.text[at : at + len(body)] == body


def test_plain_text_dates_from_ends_line() -> None:
    release = read_release(SEED_TEXT)
    assert release.published == "2004-12-17"
    assert release.title is None
    assert release.id == "001_c98b5c3fca22d16e"
    assert release.content.rstrip().endswith("regional concern.")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("News | 2019-05-14", "2019-05-14"),
        ("Date: 22 November 2019 (Friday)", "2019-11-22"),
        ("1 Nov 2023", "2023-11-01"),
    ],
)
def test_header_date_lines(header: str, expected: str) -> None:
    release = parse_release(f"Agency\n{header}\n\nA title line\n\nBody sentence here.\n", "r", "r.txt")
    assert release.published == expected


def test_dateline_and_sign_off() -> None:
    dateline = parse_release("Title of it\n\nSEOUL, Nov. 6, 2008 — The two chiefs met.\n", "a", "a.txt")
    assert dateline.published == "2008-11-06"
    signed = parse_release("The MoU was signed.\n\nPutrajaya, 26 September 2012\n", "b", "b.txt")
    assert signed.published == "2012-09-26"
    undated = parse_release("The two sides met in Seoul.\n", "c", "c.txt")
    assert undated.published is None


def test_html_page_drops_navigation_and_captions() -> None:
    html = """<!doctype html><html><head><title>Site - Press</title>
    <link rel="canonical" href="https://example.org/press/1"></head><body>
    <nav class="menu"><a href="/">Home</a> <a href="/news">News</a></nav>
    <div class="breadcrumb">Home &gt; Press Releases</div>
    <article><h1>Customs sign MoU</h1><p class="date">3 March 2021</p>
    <p>Korea Customs Service &amp; Japan Customs <b>signed</b> an MoU today (March 3).</p>
    <figure><img src="x.jpg"><figcaption>The two commissioners shake hands</figcaption></figure>
    </article><footer>Copyright 2021</footer></body></html>"""
    release = parse_release(html, "h", "h.html", is_html=True)
    assert release.title == "Customs sign MoU"
    assert release.url == "https://example.org/press/1"
    assert release.published == "2021-03-03"
    assert "Korea Customs Service & Japan Customs signed an MoU today (March 3)." in release.content
    for chrome in ("shake hands", "Copyright", "Press Releases"):
        assert chrome not in release.content


def test_errors_name_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for path, problem in (
        (empty, "empty release"),
        (binary, "not UTF-8"),
        (tmp_path / "gone.txt", "no such file"),
    ):
        with pytest.raises(ReleaseError) as error:
            read_release(path)
        assert str(error.value).startswith(str(path))
        assert problem in str(error.value)
        assert "\n" not in str(error.value)


def test_find_releases_walks_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "sub/b.html", "notes.json"):
        (tmp_path / name).write_text("x")
    found = find_releases([tmp_path])
    assert [p.name for p in found] == ["a.txt", "b.html"]
