"""A generator of realistic releases and their gold facts, for tests and benchmarks at scale.

``generate(n, seed)`` yields releases 0 to n-1 of a world that depends on the seed and the year
range only; release i depends on (seed, i) only, so a run can be split, resumed or extended and
release 7 of a 300-release run is release 7 of a 100,000-release run.  ``write`` puts the texts in
``DIR/releases/<id>.txt`` and the gold facts (docs/release-json.md) in ``DIR/gold/<id>.json``.

The knowledge lives in data/synth/ (templates, names, places, topics, goods) and in the agency
gazetteer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cckg.synth.release import GeneratedRelease, generate_release, release_id
from cckg.synth.world import World, build_world

__all__ = ["DEFAULT_YEARS", "GeneratedRelease", "WriteReport", "generate", "release_id", "world", "write"]

DEFAULT_YEARS = (2000, 2024)


def world(seed: int | str = 0, start_year: int = DEFAULT_YEARS[0], end_year: int = DEFAULT_YEARS[1]) -> World:
    """The world of a seed: agencies, officials and their careers, conference series, partners."""
    if start_year > end_year:
        raise ValueError(f"the start year {start_year} is after the end year {end_year}")
    return build_world(str(seed), start_year, end_year)


def generate(
    n: int,
    seed: int | str = 0,
    *,
    start: int = 0,
    start_year: int = DEFAULT_YEARS[0],
    end_year: int = DEFAULT_YEARS[1],
) -> Iterator[GeneratedRelease]:
    """Releases ``start`` to ``start + n - 1`` of the seed's world."""
    if n < 0 or start < 0:
        raise ValueError("the number of releases and the first index must not be negative")
    made = world(seed, start_year, end_year)
    for index in range(start, start + n):
        yield generate_release(made, index)


@dataclass(frozen=True)
class WriteReport:
    folder: Path
    releases: int
    genres: dict[str, int]
    templates: dict[str, int]


def write(
    out_dir: Path | str,
    n: int,
    seed: int | str = 0,
    *,
    start_year: int = DEFAULT_YEARS[0],
    end_year: int = DEFAULT_YEARS[1],
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    """Write ``n`` releases and their gold facts under ``out_dir``; ``progress`` is called with the
    number of releases written so far."""
    folder = Path(out_dir)
    genres: dict[str, int] = {}
    templates: dict[str, int] = {}
    with _Folder(folder / "releases") as texts, _Folder(folder / "gold") as golds:
        for count, made in enumerate(generate(n, seed, start_year=start_year, end_year=end_year), 1):
            texts.put(f"{made.id}.txt", made.text)
            golds.put(f"{made.id}.json", json.dumps(made.gold, ensure_ascii=False) + "\n")
            genres[made.genre] = genres.get(made.genre, 0) + 1
            templates[made.template] = templates.get(made.template, 0) + 1
            if progress is not None:
                progress(count)
    return WriteReport(folder, n, dict(sorted(genres.items())), dict(sorted(templates.items())))


class _Folder:
    """A folder that takes many small files quickly (names resolved against an open folder)."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = -1

    def __enter__(self) -> _Folder:
        self._fd = os.open(self.path, os.O_RDONLY)
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)

    def put(self, name: str, text: str) -> None:
        data = memoryview(text.encode("utf-8"))
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=self._fd)
        try:
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)
