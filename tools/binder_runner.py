#!/usr/bin/env python3
"""Run inside the Binder environment by tools/binder_check.py: execute notebooks.

Usage: <binder venv>/bin/python tools/binder_runner.py OUT_DIR VENV_PREFIX NOTEBOOK...

Each notebook runs top to bottom with the kernel its metadata names (as
JupyterLab would start it on Binder); a probe cell, run last in the same
kernel, proves that the kernel's Python is the Binder environment's. The
executed copies go to OUT_DIR as <name>.executed.ipynb. Exit status 1 if any
notebook fails. Only nbformat and nbclient are imported: both come with the
Binder environment's JupyterLab.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(argv: list[str]) -> int:
    out_dir, prefix = Path(argv[0]), argv[1]
    failures = 0
    for name in argv[2:]:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        # A probe cell, run last in the same kernel: proves which Python ran it.
        nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
        start = time.perf_counter()
        # The notebook's own kernelspec, as JupyterLab would start it on Binder.
        client = NotebookClient(nb, timeout=600,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
            probe = "".join(o.get("text", "") for o in nb.cells[-1].outputs).strip()
            if Path(probe).resolve() != Path(prefix).resolve():
                raise RuntimeError(f"kernel ran in {probe!r}, not in the Binder environment {prefix!r}")
            status = "ok"
        except CellExecutionError as err:
            failures += 1
            status = "FAILED"
            print(f"--- {path}: cell error\n{str(err)[-3000:]}", file=sys.stderr)
        except Exception as err:
            failures += 1
            status = "FAILED"
            print(f"--- {path}: {type(err).__name__}: {err}", file=sys.stderr)
        nb.cells.pop()
        out = out_dir / path.with_suffix(".executed.ipynb").name
        nbformat.write(nb, out)
        print(f"{status:>6}  {time.perf_counter() - start:7.1f} s  {path}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
