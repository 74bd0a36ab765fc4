#!/usr/bin/env python3
"""Prove the Binder environment: build it only from ``binder/``, run every notebook.

What repo2docker does with this repository, minus Docker:

1. copy the repository (the files git tracks or would track; no .venv, no
   _build) into a temporary directory, as repo2docker copies it into the image;
2. create a fresh virtual environment with the Python named in
   ``binder/runtime.txt`` (``python-3.11`` -> ``python3.11`` on PATH);
3. ``pip install -r binder/requirements.txt`` from the copy's root (its
   ``-e .`` line installs klbook from the copy);
4. check that JupyterLab there has the widget manager extension;
5. execute every notebook under ``chapters/`` top to bottom with the kernel
   its metadata names, from that environment (checked: the kernel reports the
   venv's prefix), failing on the first error of each notebook;
6. with ``--lab``: start JupyterLab from that environment, open the intro at
   ``lab/tree/<intro>.ipynb`` (what the intro page's Binder button asks for),
   drag a live slider, then present the same notebook as a live RISE
   slideshow and drag the slider on its slide (see ``check_jupyterlab``).

Executed notebooks and logs go to ``_build/binder-check/``. Prints the time
of each stage. Exit status 1 on any failure.

``make test`` runs ``--no-notebooks --env-dir _build/binder-env --kernel-name
klbook-binder``: step 5 is left to nbval, which runs every notebook in the
environment's kernel (installed as that kernelspec), so no notebook runs twice;
JupyterLab then opens the committed notebooks, whose outputs nbval checks.

Usage: python tools/binder_check.py [--lab] [--keep] [--notebooks GLOB ...]
       [--env-dir DIR [--kernel-name NAME]] [--no-notebooks]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from klbook_browser import launch

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "binder-check"
# Files of the working tree never copied (repo2docker gets a clean checkout).
SKIP_DIRS = {".git", ".venv", "_build", "node_modules", ".pytest_cache", ".hypothesis",
             "__pycache__", ".ipynb_checkpoints", ".jupyter_cache"}


def log(message: str) -> None:
    print(f"[binder-check] {message}", flush=True)


def runtime_python(binder: Path) -> str:
    """The interpreter that binder/runtime.txt names, falling back to this one."""
    runtime = (binder / "runtime.txt").read_text().strip() if (binder / "runtime.txt").is_file() else ""
    match = re.fullmatch(r"python-(\d+)\.(\d+)(?:\.\d+)?", runtime)
    if not match:
        log(f"binder/runtime.txt names no Python ({runtime!r}); repo2docker would use its default")
        return sys.executable
    wanted = f"python{match[1]}.{match[2]}"
    found = shutil.which(wanted)
    if found:
        return found
    if sys.version_info[:2] == (int(match[1]), int(match[2])):
        return sys.executable
    log(f"WARNING: runtime.txt asks for {wanted}, which is not on PATH; using {sys.executable}")
    return sys.executable


def repository_files(root: Path) -> list[Path]:
    """Files repo2docker would see: tracked plus untracked-but-not-ignored ones."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root, check=True, capture_output=True,
        ).stdout.decode().split("\0")
        files = [Path(p) for p in listed if p]
    except (OSError, subprocess.CalledProcessError):
        files = [p.relative_to(root) for p in root.rglob("*") if p.is_file()]
    return [p for p in files if not SKIP_DIRS.intersection(p.parts) and (root / p).is_file()]


def copy_repository(root: Path, dest: Path) -> None:
    for rel in repository_files(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)


def run(cmd, *, cwd, env, logfile: Path) -> None:
    with logfile.open("ab") as fh:
        fh.write(f"$ {' '.join(map(str, cmd))}\n".encode())
        fh.flush()
        result = subprocess.run(cmd, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    if result.returncode:
        tail = logfile.read_text(errors="replace").splitlines()[-40:]
        raise SystemExit(f"[binder-check] FAILED: {' '.join(map(str, cmd))}\n" + "\n".join(tail))


def find_notebooks(repo: Path, patterns: list[str]) -> list[Path]:
    notebooks = sorted({p for pattern in patterns for p in repo.glob(pattern)
                        if ".ipynb_checkpoints" not in p.parts and p.is_file()})
    return notebooks


def myst_notebooks(repo: Path) -> list[Path]:
    """Markdown files with a kernelspec: notebooks that JupyterLab on Binder cannot open as such."""
    found = []
    for md in sorted((repo / "chapters").rglob("*.md")):
        head = md.read_text(errors="replace")[:2000]
        if head.startswith("---") and "kernelspec:" in head.split("---", 2)[1]:
            found.append(md.relative_to(repo))
    return found


LAB_STARTUP_S = 60


def intro_notebook(repo: Path) -> str:
    """The root document of _toc.yml, as the notebook the intro's launch button opens."""
    import yaml

    root = yaml.safe_load((repo / "_toc.yml").read_text())["root"]
    return re.sub(r"\.(md|ipynb)$", "", root) + ".ipynb"


def toc_order(repo: Path) -> list[str]:
    """Chapter file stems in the book's reading order (_toc.yml, by line)."""
    return re.findall(r"file:\s*chapters/([\w-]+)", (repo / "_toc.yml").read_text())


def executed_copy(repo: Path, stem: str) -> Path | None:
    """The notebook ``stem`` as executed by this run (``OUT/<stem>.executed.ipynb``);
    with ``--no-notebooks``, its committed outputs (which nbval compares with a
    fresh run in this environment's kernel)."""
    run = OUT / f"{stem}.executed.ipynb"
    if run.is_file():
        return run
    found = sorted(repo.glob(f"chapters/**/{stem}.ipynb"))
    return found[0] if found else None


def widget_notebook(repo: Path) -> str | None:
    """The first chapter notebook, in reading order, whose executed copy displays an ipywidget."""
    for stem in toc_order(repo):
        executed = executed_copy(repo, stem)
        if executed is not None and first_widget_cell(executed) is not None:
            return sorted(repo.glob(f"chapters/**/{stem}.ipynb"))[0].relative_to(repo).as_posix()
    return None


def check_jupyterlab(venv: Path, repo: Path, env: dict, logfile: Path) -> list[str]:
    """Start JupyterLab from the Binder environment and use it as a reader would.

    1. Open ``/lab/tree/<intro>.ipynb``, the path the intro page's Binder button
       passes as ``urlpath``: the intro must open in a notebook panel and its
       kernel must start.
    2. In the first notebook that shows ipywidgets: Run All, drag the first
       slider, and see the figure below it change (live widgets with a kernel).
    3. Present that notebook with jupyterlab-rise (``/rise/<path>``), run it up
       to the widget, and drag the slider on the slide: live widgets on slides.
    """
    import secrets
    import socket
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    problems = []
    with logfile.open("ab") as log_fh:
        # --allow-root: this machine runs as root; Binder runs as an ordinary user.
        server = subprocess.Popen(
            [str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={repo}", "--allow-root",
             "--expose-app-in-browser"],
            cwd=repo, env=env, stdout=log_fh, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + LAB_STARTUP_S
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        return [f"JupyterLab did not start (log: {logfile})"]
                    time.sleep(0.5)
            with sync_playwright() as playwright:
                browser = launch(playwright.chromium)
                try:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    problems += _open_intro(page, base, token, repo)
                    live = widget_notebook(repo)
                    if live is None:
                        log("no chapter displays ipywidgets: live widget check not applicable")
                    else:
                        problems += _drag_live_slider(page, base, token, live)
                        # Close the JupyterLab tab first: its autosave of the same
                        # notebook would stop RISE with a "File Changed" dialog.
                        page.close()
                        page = browser.new_page(viewport={"width": 1280, "height": 800})
                        problems += _rise_live_widget(page, base, token, live, repo)
                except Exception as err:  # a timeout in the UI: report it, keep the screenshot
                    page.screenshot(path=str(OUT / "jupyterlab-failure.png"))
                    problems.append(f"JupyterLab: {type(err).__name__}: {str(err).splitlines()[0]} "
                                    f"(screenshot {OUT / 'jupyterlab-failure.png'})")
                finally:
                    browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    return problems


KERNEL_READY_JS = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    if (!panel) return false;
    const kernel = panel.querySelector('.jp-Toolbar-kernelName');
    const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    return !!(kernel && /Python/.test(kernel.textContent) && status && status.dataset.status === 'idle');
}"""
ALL_RUN_JS = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const prompts = Array.from(panel.querySelectorAll('.jp-InputArea-prompt')).map(e => e.textContent);
    return prompts.length > 0 && prompts.every(t => !t.includes('*')) && prompts.some(t => /\\[\\d+\\]/.test(t));
}"""
FIGURE_SOURCES_JS = "els => els.map(e => e.getAttribute('src') || '')"
# Index of the active cell of the notebook in the RISE slideshow (None if none).
ACTIVE_CELL_JS = """() => {
    const cells = Array.from(document.querySelectorAll('.reveal .slides .jp-Cell'));
    const i = cells.findIndex(c => c.classList.contains('jp-mod-active'));
    return i < 0 ? null : i;
}"""


def _open_intro(page, base: str, token: str, repo: Path) -> list[str]:
    intro = intro_notebook(repo)
    if not (repo / intro).is_file():
        return [f"the intro is not a notebook: {intro} does not exist, so Binder's "
                f"lab/tree/{intro} opens nothing"]
    page.goto(f"{base}/lab/tree/{intro}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
    try:
        page.wait_for_function(
            """(name) => Array.from(document.querySelectorAll('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel'))
                .some(e => e.textContent.trim() === name)""", arg=Path(intro).name, timeout=30_000)
    except Exception:
        tab = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").all_inner_texts()
        return [f"lab/tree/{intro} opened {tab}, not the intro"]
    page.wait_for_function(KERNEL_READY_JS, timeout=60_000)
    page.screenshot(path=str(OUT / "jupyterlab-intro.png"))
    log(f"JupyterLab opens lab/tree/{intro} (the intro's launch URL) with a live kernel")
    return []


def _drag_live_slider(page, base: str, token: str, notebook: str) -> list[str]:
    page.goto(f"{base}/lab/tree/{notebook}?token={token}")
    page.wait_for_function(KERNEL_READY_JS, timeout=60_000)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    slider = panel.locator(".jp-OutputArea .widget-slider").first
    # A notebook run in the first moments after it opens, before the widget
    # manager has registered with it, shows widgets as text; a reader's second
    # Run All shows them. Allow one such retry.
    for attempt in (1, 2):
        page.wait_for_timeout(2000)
        # Run All through JupyterLab's own command (the app is exposed for this test).
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RUN_JS, timeout=300_000)
        # JupyterLab may render only the cells near the viewport: scroll to the widget.
        page.evaluate("""() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const scroller = panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook');
            scroller.scrollTop = 0;
        }""")
        for _ in range(100):
            if slider.count():
                break
            page.evaluate("""() => {
                const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                const scroller = panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook');
                scroller.scrollBy(0, 500);
            }""")
            page.wait_for_timeout(100)
        if slider.count():
            break
        log(f"{notebook}: no live widget after Run All #{attempt}")
    if not slider.count():
        page.screenshot(path=str(OUT / "jupyterlab-live-widget.png"))
        return [f"{notebook}: no live slider after Run All (see {OUT / 'jupyterlab-live-widget.png'})"]
    problem = _drag_and_expect_redraw(page, slider, OUT / "jupyterlab-live-widget.png")
    if problem:
        return [f"{notebook}: {problem}"]
    log(f"live widgets: dragging the first slider of {notebook} redraws its figure")
    return []


def _drag_and_expect_redraw(page, slider, screenshot: Path) -> str | None:
    """Drag ``slider``'s handle; None if a figure in the same output changes, else why not."""
    # The figures the slider drives: images in the same cell output.
    output = slider.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
    figures = output.locator("img")
    before = figures.evaluate_all(FIGURE_SOURCES_JS)
    if not before:
        return "the first slider's output shows no figure"
    # JupyterLab's "news" notification sits over the bottom right: answer it.
    news = page.get_by_role("button", name="No", exact=True)
    if news.count():
        news.first.click()
    handle = slider.locator(".noUi-handle").first
    handle.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    readout = slider.locator(".widget-readout").first
    value_before = readout.inner_text() if readout.count() else None
    box = handle.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 40, y, steps=5)
    page.mouse.up()
    deadline = time.monotonic() + 30
    while figures.evaluate_all(FIGURE_SOURCES_JS) == before:
        if time.monotonic() > deadline:
            page.screenshot(path=str(screenshot))
            value_after = readout.inner_text() if readout.count() else None
            return (f"dragging the first slider (readout {value_before} -> {value_after}) "
                    f"did not redraw its figure (see {screenshot})")
        page.wait_for_timeout(250)
    page.screenshot(path=str(screenshot))
    return None


def first_widget_cell(executed: Path) -> int | None:
    """Index of the first cell of an executed notebook whose outputs display an ipywidget."""
    cells = json.loads(executed.read_text())["cells"]
    for index, cell in enumerate(cells):
        if any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               for out in cell.get("outputs", [])):
            return index
    return None


def _rise_live_widget(page, base: str, token: str, notebook: str, repo: Path) -> list[str]:
    """Present ``notebook`` with jupyterlab-rise, run it up to its first widget, drag a slider.

    RISE shows a notebook in its own slideshow app (``/rise/<path>``), which
    loads JupyterLab extensions itself; the widget manager must load there too,
    or widget cells show as text on the slides. The presenter's key is used:
    Shift+Enter runs a cell and moves on (the deck follows), up to and
    including the widget's cell.
    """
    index = first_widget_cell(executed_copy(repo, Path(notebook).stem))
    if index is None:
        return [f"{notebook}: no widget cell to present with RISE"]
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/rise/{notebook}?token={token}")
    page.wait_for_selector(".reveal .slides .jp-Cell", timeout=60_000)
    page.wait_for_timeout(3000)  # the kernel and the widget manager start
    broken = [e for e in errors if "Shared module" in e or "Failed to create module" in e]
    if broken:
        return [f"RISE: a JupyterLab extension failed to load in the slideshow: {broken[0][:200]}"]
    cells = page.locator(".reveal .slides .jp-Cell")
    cells.first.click()
    page.keyboard.press("Escape")
    # Shift+Enter runs the active cell and makes the next one active (the deck
    # follows). Press it until the widget cell has run, one key at a time and
    # only once the previous press has moved the selection: keys pressed during
    # a slide transition are lost.
    for _ in range(index + 1 + 10):
        active = page.evaluate(ACTIVE_CELL_JS)
        if active is not None and active > index:
            break
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(f"() => ({ACTIVE_CELL_JS})() !== {active}", timeout=10_000)
        except Exception:
            pass
    widget_cell = cells.nth(index)
    widget_cell.scroll_into_view_if_needed()
    slider = widget_cell.locator(".jp-OutputArea .widget-slider:visible").first
    try:
        slider.wait_for(timeout=120_000)
    except Exception:
        page.screenshot(path=str(OUT / "rise-live-widget.png"))
        return [f"RISE: {notebook} cell {index} shows no live slider on its slide "
                f"(active cell {page.evaluate(ACTIVE_CELL_JS)}; see {OUT / 'rise-live-widget.png'}; "
                f"console errors: {errors[:3]})"]
    # The notebook's "rise" metadata (scroll, no vertical centring) starts a tall
    # widget slide at the top; centred, its figure ran off the bottom.
    page.wait_for_timeout(1000)  # the slide transition ends
    viewport = page.viewport_size
    output = widget_cell.locator(".jp-OutputArea").first.bounding_box()
    if output is None or output["y"] < 0 or output["y"] + output["height"] > viewport["height"]:
        page.screenshot(path=str(OUT / "rise-live-widget.png"))
        return [f"RISE: {notebook} cell {index}: the widget does not fit its slide "
                f"({output} in a {viewport['width']}x{viewport['height']} window; "
                f"see {OUT / 'rise-live-widget.png'})"]
    problem = _drag_and_expect_redraw(page, slider, OUT / "rise-live-widget.png")
    if problem:
        return [f"RISE: {notebook}: {problem}"]
    log(f"live slides: in RISE, dragging the first slider of {notebook} redraws its figure")
    return []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", nargs="*", default=["chapters/**/*.ipynb"],
                        help="glob patterns relative to the repository root")
    parser.add_argument("--keep", action="store_true", help="keep the temporary environment")
    parser.add_argument("--lab", action="store_true",
                        help="also start JupyterLab there and drive it in Chromium (needs playwright)")
    parser.add_argument("--env-dir", type=Path, default=None,
                        help="build the environment in this directory (made afresh) and keep it")
    parser.add_argument("--kernel-name", default=None,
                        help="also install the environment's kernel as this kernelspec under "
                             "ENV_DIR/share/jupyter (for nbval --nbval-kernel-name)")
    parser.add_argument("--no-notebooks", action="store_true",
                        help="do not execute the notebooks here: nbval runs them in this "
                             "environment's kernel (make test)")
    args = parser.parse_args(argv)
    if args.kernel_name and not args.env_dir:
        parser.error("--kernel-name needs --env-dir (the kernelspec must outlive this run)")

    binder = ROOT / "binder"
    if not (binder / "requirements.txt").is_file():
        log("binder/requirements.txt is missing")
        return 1
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    logfile = OUT / "install.log"
    if args.env_dir:
        tmp = args.env_dir.resolve()
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="klbook-binder-"))
    repo, venv = tmp / "repo", tmp / "venv"
    # A clean environment: nothing from the developer's venv or Jupyter/IPython
    # setup (kernelspecs, config) leaks in. pip keeps the machine's own settings
    # (index, mirror, cache), as for any install.
    home = tmp / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "IPYTHON", "CONDA", "MPL"))}
    env.update({
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "IPYTHONDIR": str(home / ".ipython"),
        "MPLCONFIGDIR": str(home / ".config" / "matplotlib"),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    })
    home.mkdir()
    timings = {}
    try:
        start = time.perf_counter()
        copy_repository(ROOT, repo)
        python = runtime_python(repo / "binder")
        version = subprocess.run([python, "--version"], capture_output=True, text=True).stdout.strip()
        log(f"environment from binder/ only: {version} ({python}), venv in {venv}")
        run([python, "-m", "venv", str(venv)], cwd=repo, env=env, logfile=logfile)
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r",
             "binder/requirements.txt"], cwd=repo, env=env, logfile=logfile)
        timings["environment"] = time.perf_counter() - start
        log(f"environment ready in {timings['environment']:.1f} s (log: {logfile})")

        # Widgets work in Binder's JupyterLab only with the widget manager extension.
        extensions = subprocess.run([str(venv / "bin" / "jupyter"), "labextension", "list"],
                                    cwd=repo, env=env, capture_output=True, text=True)
        listing = re.sub(r"\x1b\[[0-9;]*m", "", extensions.stdout + extensions.stderr)
        problems = [f"JupyterLab extension {name} is not installed and enabled"
                    for name in ("@jupyter-widgets/jupyterlab-manager",)
                    if not re.search(rf"{re.escape(name)} v\S+ enabled\s+OK", listing)]
        problems += [f"{p}: a MyST notebook; Binder's JupyterLab opens it as text. Make it an .ipynb"
                    for p in myst_notebooks(repo)]
        if args.kernel_name:
            # The environment's own ipykernel writes the spec: argv[0] is its Python.
            run([str(venv / "bin" / "python"), "-m", "ipykernel", "install", "--prefix", str(tmp),
                 "--name", args.kernel_name, "--display-name", f"Python 3 (Binder check: {args.kernel_name})"],
                cwd=repo, env=env, logfile=logfile)
            log(f"kernelspec {args.kernel_name!r} in {tmp / 'share' / 'jupyter'} (JUPYTER_PATH)")
        notebooks = [] if args.no_notebooks else find_notebooks(repo, args.notebooks)
        if not notebooks and not args.no_notebooks:
            problems.append(f"no notebook matches {args.notebooks}")
        for problem in problems:
            log(f"FAILED: {problem}")
        start = time.perf_counter()
        rel = [str(nb.relative_to(repo)) for nb in notebooks]
        result = subprocess.run(
            [str(venv / "bin" / "python"), str(repo / "tools" / "binder_runner.py"), str(OUT), str(venv), *rel],
            cwd=repo, env=env,
        ) if notebooks else None
        if args.no_notebooks:
            log("notebooks not run here: nbval runs them in this environment's kernel")
        else:
            timings["notebooks"] = time.perf_counter() - start
            log(f"{len(notebooks)} notebooks run in {timings['notebooks']:.1f} s "
                f"(executed copies in {OUT})")
        if args.lab:
            start = time.perf_counter()
            lab_problems = check_jupyterlab(venv, repo, env, OUT / "jupyterlab.log")
            for problem in lab_problems:
                log(f"FAILED: {problem}")
            problems += lab_problems
            timings["jupyterlab"] = time.perf_counter() - start
        ok = not problems and (args.no_notebooks or (result is not None and result.returncode == 0))
        log(("PASSED" if ok else "FAILED") + ": " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
        return 0 if ok else 1
    finally:
        if args.keep or args.env_dir:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
