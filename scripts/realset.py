#!/usr/bin/env python3
"""Split the real-release gold files and predictions by the manifest's split column.

Usage:
    realset.py MANIFEST GOLD_DIR PRED OUT_DIR

MANIFEST is data/realset/manifest.tsv (tab-separated, a header line, an ``id`` and a ``split``
column, split ``dev`` or ``test``). GOLD_DIR holds one <id>.json per annotated release; PRED is the
JSON Lines output of ``cckg extract``. For each split the script writes OUT_DIR/<split>/gold/ (the
gold files of that split) and OUT_DIR/<split>/pred.jsonl (the predictions of that split), ready for
``scripts/score.py``. Releases of the manifest without a gold file yet are counted on stderr.

Exit 0 on success, 2 with a one-line message when the manifest or a file is unusable.
Standard library only.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

SPLITS = ("dev", "test")


class RealsetError(Exception):
    """An unusable manifest, gold file or prediction file."""


def read_manifest(path: Path) -> dict[str, str]:
    """The split of every release id in the manifest."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as error:
        raise RealsetError(f"{path}: cannot read the manifest ({error.strerror})") from error
    if not rows or not {"id", "split"} <= set(rows[0]):
        raise RealsetError(f"{path}: the manifest needs a header line with 'id' and 'split' columns")
    splits: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        rid, split = (row.get("id") or "").strip(), (row.get("split") or "").strip()
        if not rid or split not in SPLITS:
            raise RealsetError(f"{path}:{line}: each row needs an id and a split of {' or '.join(SPLITS)}")
        if rid in splits:
            raise RealsetError(f"{path}:{line}: id {rid} is listed twice")
        splits[rid] = split
    return splits


def prediction_id(doc: dict) -> str:
    """The release id of a prediction: its ``id``, else the file stem of its ``source``."""
    return str(doc.get("id") or Path(str(doc.get("source") or "")).stem)


def split_files(manifest: Path, gold_dir: Path, pred: Path, out_dir: Path) -> dict[str, dict[str, int]]:
    """Write the per-split gold folders and prediction files; return what each split holds."""
    splits = read_manifest(manifest)
    counts = {s: {"releases": 0, "gold": 0, "predictions": 0} for s in SPLITS}
    for split in splits.values():
        counts[split]["releases"] += 1
    for split in SPLITS:
        target = out_dir / split / "gold"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
    for gold in sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []:
        split = splits.get(gold.stem)
        if split is None:
            raise RealsetError(f"{gold}: no row for {gold.stem} in {manifest}")
        shutil.copyfile(gold, out_dir / split / "gold" / gold.name)
        counts[split]["gold"] += 1
    lines: dict[str, list[str]] = {s: [] for s in SPLITS}
    try:
        text = pred.read_text(encoding="utf-8")
    except OSError as error:
        raise RealsetError(f"{pred}: cannot read the predictions ({error.strerror})") from error
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as error:
            raise RealsetError(f"{pred}:{number}: not a JSON object ({error.msg})") from error
        split = splits.get(prediction_id(doc))
        if split is not None:
            lines[split].append(line)
            counts[split]["predictions"] += 1
    for split in SPLITS:
        body = "".join(line + "\n" for line in lines[split])
        (out_dir / split / "pred.jsonl").write_text(body, encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 4:
        print("usage: realset.py MANIFEST GOLD_DIR PRED OUT_DIR", file=sys.stderr)
        return 2
    manifest, gold_dir, pred, out_dir = map(Path, args)
    try:
        counts = split_files(manifest, gold_dir, pred, out_dir)
    except RealsetError as error:
        print(f"realset: {error}", file=sys.stderr)
        return 2
    for split, count in counts.items():
        missing = count["releases"] - count["gold"]
        note = f", {missing} not annotated yet" if missing else ""
        print(f"realset: {split}: {count['releases']} releases, {count['gold']} gold files, "
              f"{count['predictions']} predictions{note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
