"""Binder: the files in binder/ alone give an environment that runs every notebook.

The full proof (a fresh virtual environment from binder/requirements.txt with
the Python of binder/runtime.txt, then every notebook of chapters/ executed in
it, then JupyterLab from it opened on the intro and a live slider dragged) is
tools/binder_check.py; this test runs it and shows its timings.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_runtime_names_a_python_the_package_supports():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"binder/runtime.txt must read python-X.Y, got {runtime!r}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.fullmatch(r">=\s*(\d+)\.(\d+)", requires)
    assert minimum and (int(match[1]), int(match[2])) >= (int(minimum[1]), int(minimum[2])), (
        f"runtime.txt {runtime} does not satisfy requires-python {requires}"
    )


def test_requirements_are_pinned_and_install_klbook():
    lines = [line.split("#", 1)[0].strip() for line in (BINDER / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert lines[-1] == "-e .", "binder/requirements.txt must install klbook from the repository (-e .)"
    loose = [line for line in lines[:-1] if not re.fullmatch(r"[A-Za-z0-9._-]+==[^=\s]+", line)]
    assert loose == [], f"unpinned lines in binder/requirements.txt: {loose}"
    names = {re.split(r"==", line)[0].lower().replace("_", "-") for line in lines[:-1]}
    for needed in ("ipywidgets", "ipykernel", "jupyterlab", "numpy", "scipy", "matplotlib"):
        assert needed in names, f"binder/requirements.txt lacks {needed}"
    files = sorted(p.name for p in BINDER.iterdir())
    assert set(files) <= {"requirements.txt", "runtime.txt", "postBuild", "start", "apt.txt"}, files


def binder_check_result(timeout_s=1800):
    """(exit status, output) of tools/binder_check.py --lab.

    `make test` starts it in the background beside the book build and names its
    log in KLBOOK_BINDER_LOG (the exit status follows in <log>.rc); then this
    waits for it. Otherwise (pytest run by hand) it runs here.
    """
    log = os.environ.get("KLBOOK_BINDER_LOG")
    if log:
        log = ROOT / log
        rc = log.with_name(log.name + ".rc")
        deadline = time.monotonic() + timeout_s
        while not rc.is_file() or not rc.read_text().strip():
            if time.monotonic() > deadline:
                pytest.fail(f"tools/binder_check.py did not finish within {timeout_s} s (see {log})")
            time.sleep(5)
        return int(rc.read_text()), log.read_text(errors="replace")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "binder_check.py"), "--lab"],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout_s,
    )
    return result.returncode, result.stdout + "\n" + result.stderr


def test_binder_environment_runs_every_notebook(capsys):
    """Fresh venv from binder/ only; every chapter notebook runs top to bottom in it;
    its JupyterLab opens the intro and live widgets respond."""
    code, output = binder_check_result()
    with capsys.disabled():
        summary = [line for line in output.splitlines()
                   if line.startswith("[binder-check]") or re.match(r"\s*(ok|FAILED)\s", line)]
        print("\n" + "\n".join(summary))
    assert code == 0, output[-8000:]
