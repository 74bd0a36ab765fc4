"""Project-wide pytest hooks: a table of where `make test`'s pytest time goes.

Groups: unit and property tests (tests/*.py, doctests in klbook/), notebook
validation (nbval on chapters/*.ipynb), the Binder proof (tests/test_binder.py),
browser tests of the site and decks (tests/browser/). Printed at the end of
the run and written to _build/stage-times-pytest.tsv.
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from pathlib import Path

_TIMES: dict[str, float] = defaultdict(float)
_COUNTS: dict[str, int] = defaultdict(int)
_START = [0.0]


def _group(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        return "nbval (notebooks)"
    if path.startswith("tests/browser/"):
        return "browser (site, decks)"
    if path == "tests/test_binder.py":
        return "binder proof"
    return "unit, property, doctests"


def pytest_sessionstart(session):
    _START[0] = time.perf_counter()
    # The browser tests write _build/screenshots/ afresh each run. Cleared here,
    # once, by the controller: a pytest-xdist worker clearing it would delete
    # the screenshots another worker has just written.
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(Path(__file__).resolve().parent / "_build" / "screenshots", ignore_errors=True)


def pytest_runtest_logreport(report):
    _TIMES[_group(report.nodeid)] += report.duration
    if report.when == "call":
        _COUNTS[_group(report.nodeid)] += 1


def pytest_terminal_summary(terminalreporter):
    if not _TIMES:
        return
    wall = time.perf_counter() - _START[0]
    lines = [f"{'group':<28} {'tests':>6} {'seconds':>9}"]
    for group, seconds in sorted(_TIMES.items(), key=lambda kv: -kv[1]):
        lines.append(f"{group:<28} {_COUNTS[group]:>6} {seconds:>9.1f}")
    lines.append(f"{'(pytest wall time)':<28} {sum(_COUNTS.values()):>6} {wall:>9.1f}")
    terminalreporter.write_sep("-", "time per group (setup + call + teardown)")
    for line in lines:
        terminalreporter.write_line(line)
    out = Path(__file__).resolve().parent / "_build" / "stage-times-pytest.tsv"
    if out.parent.is_dir():
        out.write_text("\n".join("\t".join(line.split()) for line in lines[1:]) + "\n")
