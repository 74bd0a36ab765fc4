"""Binder: the files in binder/ alone give an environment that runs every notebook.

The pinned files and runtime.txt are checked in tests/test_requirements.py.
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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def binder_check_result(timeout_s=1800):
    """(exit status, output) of tools/binder_check.py --lab.

    `make test` runs it before pytest (make binder-env: the environment and
    JupyterLab, the notebooks left to nbval) and names its log in
    KLBOOK_BINDER_LOG (the exit status follows in <log>.rc); this reads it.
    Otherwise (pytest run by hand) the whole proof runs here.
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


def test_binder_environment_runs_every_notebook(capsys, request):
    """Fresh venv from binder/ only; every chapter notebook runs top to bottom in it;
    its JupyterLab opens the intro and live widgets respond.

    In `make test` the notebooks run once, under nbval, in the Binder
    environment's kernel (KLBOOK_BINDER_KERNEL names its kernelspec, which
    tools/binder_check.py --kernel-name installed): this checks that nbval used
    that kernel and that the kernel is the Binder environment's Python with
    klbook from the environment's copy of the repository.
    """
    code, output = binder_check_result()
    with capsys.disabled():
        summary = [line for line in output.splitlines()
                   if line.startswith("[binder-check]") or re.match(r"\s*(ok|FAILED)\s", line)]
        print("\n" + "\n".join(summary))
    assert code == 0, output[-8000:]
    kernel = os.environ.get("KLBOOK_BINDER_KERNEL")
    if kernel:
        assert request.config.getoption("nbval_kernel_name") == kernel, (
            f"make test runs the notebooks under nbval in the Binder kernel {kernel!r}; "
            f"this pytest has --nbval-kernel-name={request.config.getoption('nbval_kernel_name')!r}")
        prefix, where = _kernel_reports(kernel, "import sys, klbook; print(sys.prefix); print(klbook.__file__)")
        env_dir = Path(os.environ.get("JUPYTER_PATH", "")).parents[1]
        assert Path(prefix).resolve() == (env_dir / "venv").resolve(), (prefix, env_dir)
        assert Path(where).resolve().is_relative_to((env_dir / "repo").resolve()), where


def _kernel_reports(kernel: str, code: str) -> list[str]:
    """Lines printed by `code` run in a fresh kernel of the kernelspec `kernel`."""
    from jupyter_client.manager import start_new_kernel

    # In chapters/, as nbval and JupyterLab start a notebook's kernel: from the
    # repository root, `import klbook` would find the working tree's package.
    manager, client = start_new_kernel(kernel_name=kernel, cwd=str(ROOT / "chapters"))
    try:
        lines = []

        def collect(msg):
            if msg["msg_type"] == "stream":
                lines.extend(msg["content"]["text"].splitlines())
            elif msg["msg_type"] == "error":
                lines.append("ERROR " + msg["content"]["ename"] + ": " + msg["content"]["evalue"])

        client.execute_interactive(code, output_hook=collect, timeout=120)
        return lines
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
