#!/usr/bin/env python3
"""Run one stage of `make test` and record how long it took; or print the table.

    python3 tools/timed.py "book build" -- make book
    python3 tools/timed.py --table

Times go to _build/stage-times.tsv (started afresh by --reset). Standard
library only: it runs before the virtual environment exists.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

TIMES = Path(__file__).resolve().parents[1] / "_build" / "stage-times.tsv"


def table() -> str:
    rows = [line.split("\t") for line in TIMES.read_text().splitlines()] if TIMES.is_file() else []
    total = sum(float(r[1]) for r in rows)
    out = [f"{'stage':<24} {'seconds':>9} {'min:s':>7}  status", "-" * 50]
    for name, seconds, status in rows:
        s = float(seconds)
        out.append(f"{name:<24} {s:>9.1f} {int(s // 60):>4}:{int(s % 60):02d}  {status}")
    out.append(f"{'total':<24} {total:>9.1f} {int(total // 60):>4}:{int(total % 60):02d}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if argv == ["--reset"]:
        TIMES.parent.mkdir(parents=True, exist_ok=True)
        TIMES.write_text("")
        return 0
    if argv == ["--table"]:
        print(table())
        return 0
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, command = argv[0], argv[2:]
    start = time.perf_counter()
    code = subprocess.call(command)
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    with TIMES.open("a") as f:
        f.write(f"{name}\t{time.perf_counter() - start:.1f}\t{'ok' if code == 0 else f'exit {code}'}\n")
    if code != 0:
        print(table())
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
