"""The generator's data files agree with the gazetteers they build on."""

from __future__ import annotations

from pathlib import Path

import yaml

from cckg.synth.data import synth_data, title_safe

REPO = Path(__file__).resolve().parents[2]


def load(*parts: str) -> object:
    return yaml.safe_load((REPO.joinpath(*parts)).read_text(encoding="utf-8"))


def test_every_agency_of_the_used_kinds_is_in_the_world() -> None:
    gazetteer = load("data", "gazetteer", "agencies.yaml")
    kinds = {"customs", "police", "anti-corruption", "intergovernmental"}
    assert {e["id"] for e in gazetteer if e["kind"] in kinds} == set(synth_data().agencies)  # type: ignore[union-attr,index]


def test_short_forms_and_title_forms_are_names_of_the_agency() -> None:
    for agency in synth_data().agencies.values():
        names = {agency.name, *agency.aliases, *agency.acronyms}
        assert agency.short in names, agency.key
        assert agency.title_name in names and title_safe(agency.title_name), agency.key


def test_every_post_is_a_title_of_the_gazetteer() -> None:
    titles = set(load("data", "gazetteer", "titles.yaml")["titles"])  # type: ignore[index]
    for agency in synth_data().agencies.values():
        assert len(agency.ladder) == 3, agency.key
        for post in agency.ladder:
            assert post in titles or post in agency.posts, (agency.key, post)


def test_seats_zones_and_name_regions_exist() -> None:
    data = synth_data()
    for agency in data.agencies.values():
        if agency.seat:
            city, country = agency.seat
            assert city in data.countries[country][1], agency.key
        assert set(agency.zone) <= set(data.regions), agency.key
        assert set(agency.roles) <= {"host", "coordinate"}, agency.key
        if agency.country:
            assert agency.country in data.countries, agency.key
    assert {r for regions in data.region_of_country.values() for r in regions} <= set(data.regions)


def test_name_pools_hold_no_month_or_weekday() -> None:
    months = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
              "Saturday", "Sunday"}  # fmt: skip
    for region in synth_data().regions.values():
        names = [*region.given["m"], *region.given["f"], *region.family]
        words = {word for name in names for word in name.split()}
        assert not words & months
