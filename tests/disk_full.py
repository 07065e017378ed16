"""A real full disk, for tests/test_disk_full.py: run as ``unshare -rm python tests/disk_full.py
WORK`` (a user and mount namespace, so no root is needed), it mounts a 3 MiB tmpfs at WORK/disk,
ingests eight development releases into a store there with ``--report`` on the same disk, tries
to open the store for writing on the full disk, writes a problem log with no space set aside, then gives the
disk more room and reads back what the store holds.  It prints what happened as one JSON object.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from cckg.pipeline import Problem, ProblemLog
from cckg.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
DEVSET = REPO / "data" / "devset" / "releases"


def cckg(*args: str) -> dict[str, object]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cckg", *args], capture_output=True, text=True, check=False)
    return {"exit": done.returncode, "stderr": done.stderr, "seconds": round(time.monotonic() - started, 1)}


def fill(disk: Path) -> None:
    """Take what room is left on ``disk``."""
    try:
        with (disk / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 4096)
                filler.flush()
    except OSError:
        return


def main() -> None:
    work = Path(sys.argv[1])
    releases, disk = work / "releases", work / "disk"
    releases.mkdir(parents=True)
    disk.mkdir()
    for path in sorted(DEVSET.glob("*.txt"))[:8]:
        shutil.copy(path, releases / path.name)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], check=True)
    store, report = disk / "store", disk / "report.jsonl"
    log = ProblemLog(disk / "unreserved.jsonl", reserve=0)  # opened while there is room
    ingest = cckg("--store", str(store), "ingest", "--report", str(report), str(releases))
    result: dict[str, object] = {"ingest": ingest}
    result["report"] = report.read_text(encoding="utf-8").splitlines()
    fill(disk)  # whatever room the store gave back when it closed
    result["reopen"] = cckg("--store", str(store), "ingest", str(releases))
    for n in range(3):
        log(Problem("failed", f"r{n}.txt", f"r{n}.txt: failed"))
    result["unreserved_lost"] = log.close()
    (disk / "filler").unlink(missing_ok=True)
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
    with OxigraphStore(store, read_only=True) as stored:
        rows = stored.query("SELECT ?id { ?r <http://purl.org/dc/terms/identifier> ?id }")
        result["stored"] = sorted(str(row["id"]) for row in rows.rows)  # type: ignore[union-attr]
    with OxigraphStore(store):
        result["writable_after"] = True
    print(json.dumps(result))


if __name__ == "__main__":
    main()
