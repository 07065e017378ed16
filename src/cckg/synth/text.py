"""How releases write dates, numbers, lists and quantities."""

from __future__ import annotations

from datetime import date

# Written out (not taken from the calendar module, whose names follow the locale).
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August", "September"),
    *("October", "November", "December"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SMALL = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"),
    *("nineteen", "twenty"),
)


def ordinal(n: int) -> str:
    """26 -> "26th", 1 -> "1st", 12 -> "12th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def month_day(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def long_date(day: date) -> str:
    """ "Friday, December 17, 2004" (the sign-off line)."""
    return f"{WEEKDAYS[day.weekday()]}, {MONTHS[day.month - 1]} {day.day}, {day.year}"


def day_month_year(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_day_year(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def short_date(day: date) -> str:
    """ "1 Nov 2023" (a date line under the headline)."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def day_range(first: date, last: date) -> str:
    """ "May 3 to 5", "April 29 to May 2"."""
    if first.month == last.month:
        return f"{MONTHS[first.month - 1]} {first.day} to {last.day}"
    return f"{month_day(first)} to {month_day(last)}"


def join(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def with_commas(n: int) -> str:
    return f"{n:,}"


def number_words(n: int) -> str | None:
    """ "twelve", "eight million"; None when the number has no short spelling."""
    if n <= 20:
        return _SMALL[n]
    for scale, word in ((1_000_000, "million"), (1_000, "thousand")):
        if n % scale == 0 and n // scale <= 20:
            return f"{_SMALL[n // scale]} {word}"
    return None


def decimal(value: float) -> str:
    """31.6 -> "31.6", 120.0 -> "120"."""
    return f"{value:.1f}".removesuffix(".0")


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
