"""Date mentions (cckg.ingest.extract.dates) on the small test knowledge."""

from __future__ import annotations

from datetime import date

import pytest

from cckg.ingest.extract import Knowledge
from cckg.ingest.extract import dates as dates_module
from cckg.ingest.extract.dates import find_dates


def dates(text: str, kb: Knowledge, published: str | None = "2023-11-01") -> list[tuple[str, str | None]]:
    return [(d.value, d.end_value) for d in find_dates(text, published, kb)]


@pytest.mark.parametrize(
    ("phrase", "value", "end_value"),
    [
        ("today (November 1)", "2023-11-01", None),
        ("yesterday (June 28, Brussels time)", "2023-06-28", None),
        ("in February this year", "2023-02", None),
        ("in March next year", "2024-03", None),
        ("on December 1 last year", "2022-12-01", None),
        ("on May 3 the following year", "2024-05-03", None),
        ("between December 16 and 17", "2023-12-16", "2023-12-17"),
        ("from May 3 to 5", "2023-05-03", "2023-05-05"),
        ("on November 5 and 6", "2023-11-05", "2023-11-06"),
        ("on 16-18 May 2022", "2022-05-16", "2022-05-18"),
        ("from May 30 to June 2, 2021", "2021-05-30", "2021-06-02"),
        ("in March 2003", "2003-03", None),
        ("in Sept. 2019", "2019-09", None),
        ("last November", "2022-11", None),
        ("next March", "2024-03", None),
        ("this May", "2023-05", None),
        ("last October", "2023-10", None),
        ("next December", "2023-12", None),
        ("on 14 May 2019", "2019-05-14", None),
        ("on May 14th, 2019", "2019-05-14", None),
        ("on 2019-05-14", "2019-05-14", None),
        ("since March", "2023-03", None),
        ("by the end of May", "2023-05", None),
        ("in 2019", "2019", None),
        ("last year", "2022", None),
        ("next year", "2024", None),
        ("last month", "2023-10", None),
        ("next month", "2023-12", None),
        ("this month", "2023-11", None),
        ("yesterday", "2023-10-31", None),
        ("tomorrow", "2023-11-02", None),
    ],
)
def test_dates_resolve_against_publication(
    phrase: str, value: str, end_value: str | None, kb: Knowledge
) -> None:
    assert dates(f"The meeting was held {phrase} in Seoul.", kb) == [(value, end_value)]


def test_a_news_day_across_new_year_is_in_the_year_before(kb: Knowledge) -> None:
    """A release of 1 January reporting "yesterday (December 31)": the day is in the year before."""
    (found,) = find_dates("Officers seized it yesterday (December 31).", "2024-01-01", kb)
    assert (found.value, found.news_day) == ("2023-12-31", True)
    assert dates("It opened today (January 1).", kb, "2024-01-01") == [("2024-01-01", None)]
    assert dates("It opens tonight (January 3).", kb, "2024-01-01") == [("2024-01-03", None)]


def test_news_days_and_relative_days(kb: Knowledge) -> None:
    found = find_dates("Seized yesterday, reported today's; held tomorrow.", "2023-11-01", kb)
    assert [(d.value, d.news_day) for d in found] == [
        ("2023-10-31", True),
        ("2023-11-01", True),
        ("2023-11-02", False),
    ]


def test_relative_dates_without_publication_are_left_out(kb: Knowledge) -> None:
    assert dates("The meeting was held today (November 1), last month and last year.", kb, None) == []
    assert dates("It was held yesterday and last November.", kb, None) == []
    assert dates("It was held on 3 March 2021.", kb, None) == [("2021-03-03", None)]
    assert dates("It was held in 2021.", kb, None) == [("2021", None)]


def test_impossible_days_and_backward_ranges_are_not_dates(kb: Knowledge) -> None:
    assert dates("It was held on 30 February 2021.", kb) == [("2021-02", None)]  # the month stands
    assert dates("It was held from May 9 to 5.", kb) == []


def test_ranges_across_two_dates_and_the_same_day(kb: Knowledge) -> None:
    found = find_dates("from November 25 to today (November 27); at today's meeting", "2014-11-27", kb)
    assert [(d.value, d.end_value) for d in found] == [("2014-11-25", "2014-11-27"), ("2014-11-27", None)]
    found = find_dates("It opened on 3 May 2021. On the same day, it closed.", None, kb)
    assert [(d.value, d.start) for d in found] == [("2021-05-03", 13), ("2021-05-03", 25)]
    assert dates("On the same day, it closed.", kb) == []  # no day named before it


def test_mentions_keep_their_offsets_and_do_not_overlap(kb: Knowledge) -> None:
    text = "Held on 14 May 2019 and in June 2020."
    found = find_dates(text, None, kb)
    assert [text[d.start : d.end] for d in found] == ["14 May 2019", "June 2020"]


def test_the_words_are_the_knowledge_s(kb: Knowledge) -> None:
    """Only the words of the knowledge count: the test knowledge has no "Feb" and no "during"."""
    assert dates("It was held on Feb 3, 2021.", kb) == []
    assert dates("It was held during March.", kb) == []
    assert dates("It was held on Jan 3, 2021.", kb) == [("2021-01-03", None)]


def test_a_named_month_before_or_after_the_release() -> None:
    pub = date(2023, 6, 15)
    assert dates_module._named_month(6, -1, pub) == "2022-06"  # "last June" in June: a year ago
    assert dates_module._named_month(5, -1, pub) == "2023-05"
    assert dates_module._named_month(7, -1, pub) == "2022-07"
    assert dates_module._named_month(6, 1, pub) == "2024-06"  # "next June" in June: next year
    assert dates_module._named_month(7, 1, pub) == "2023-07"
    assert dates_module._named_month(5, 1, pub) == "2024-05"
    assert dates_module._named_month(5, 0, pub) == "2023-05"
