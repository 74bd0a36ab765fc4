"""Time the kernel-free explorers in Chromium: control change -> redrawn figure, no kernel.

Run: ``.venv/bin/python benchmarks/bench_explorers.py`` after ``make book``
(about a minute). The built site is served on 127.0.0.1 and opened in
Debian's Chromium (headless), with every request outside the site refused.

For every explorer on every page, each of its controls is stepped through
its lattice (ranges) or options (selects) by setting the value and sending the
``input`` event, as a reader's drag does. Two times per step:

* update: the event handler, synchronous (look-up, densities, SVG attributes);
* frame: from the event to the next animation frame, when the browser has the
  new figure to paint (style and layout of the SVG included).

Baseline, in the same page and process: a bare range input whose handler
writes one number into the page; the ratio shows the explorer's cost over the
browser's own floor on this (shared, noisy) machine. Also: how long after the
start of navigation the page's first explorer is ready (controls live).
Targets (issue 9): median <= 16 ms and p95 <= 33 ms per change; first control
within 1 s of load. Prints medians and 95th percentiles; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from klbook_browser import launch  # noqa: E402
from tests.browser.conftest import SITE_DIR, refuse_external, serve  # noqa: E402

MEASURE_JS = """async ([k, c, steps]) => {
    const root = document.querySelectorAll('.klbook-explorer')[k];
    const control = root.querySelectorAll('input, select')[c];
    const n = control.tagName === 'SELECT' ? control.options.length : Number(control.max) + 1;
    const update = [], frame = [];
    const nextFrame = () => new Promise(done => requestAnimationFrame(() => done(performance.now())));
    for (let i = 0; i < steps; i++) {
        const value = String((i * (control.tagName === 'SELECT' ? 1 : Math.max(1, Math.floor(n / steps)))) % n);
        await nextFrame();
        const t0 = performance.now();
        control.value = value;
        control.dispatchEvent(new Event('input', {bubbles: true}));
        update.push(performance.now() - t0);
        frame.push(await nextFrame() - t0);
    }
    return {label: control.labels && control.labels[0] ? control.labels[0].textContent : control.tagName,
            app: root.dataset.app, update, frame};
}"""

BASELINE_JS = """async (steps) => {
    const input = Object.assign(document.createElement('input'), {type: 'range', min: 0, max: 100});
    const out = document.createElement('output');
    input.addEventListener('input', () => { out.textContent = input.value; });
    document.body.append(input, out);
    const nextFrame = () => new Promise(done => requestAnimationFrame(() => done(performance.now())));
    const update = [], frame = [];
    for (let i = 0; i < steps; i++) {
        await nextFrame();
        const t0 = performance.now();
        input.value = String(i % 100);
        input.dispatchEvent(new Event('input', {bubbles: true}));
        update.push(performance.now() - t0);
        frame.push(await nextFrame() - t0);
    }
    input.remove(); out.remove();
    return {update, frame};
}"""


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main(steps: int = 24) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(SITE_DIR).as_posix() for p in SITE_DIR.rglob("*.html")
                   if 'class="klbook-explorer"' in p.read_text(errors="replace"))
    if not pages:
        raise SystemExit(f"no explorer pages under {SITE_DIR}: run `make book` first")
    rows, ready = [], []
    with serve(SITE_DIR) as base, sync_playwright() as pw:
        browser = launch(pw.chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        problems: list[str] = []
        refuse_external(page, base, problems)
        for rel in pages:
            page.goto(base + rel, wait_until="load")
            page.wait_for_function("() => [...document.querySelectorAll('.klbook-explorer')]"
                                   ".every(e => e.dataset.ready === 'yes')")
            first = page.evaluate("() => Math.min(...[...document.querySelectorAll('.klbook-explorer')]"
                                  ".map(e => +e.dataset.readyMs))")
            ready.append((rel, first))
            base_times = page.evaluate(BASELINE_JS, steps)
            n = page.evaluate("document.querySelectorAll('.klbook-explorer').length")
            for k in range(n):
                count = page.evaluate(f"document.querySelectorAll('.klbook-explorer')[{k}]"
                                      ".querySelectorAll('input, select').length")
                for c in range(count):
                    r = page.evaluate(MEASURE_JS, [k, c, steps])
                    rows.append((rel.split("/")[-1].removesuffix(".html"), r["app"], r["label"][:24],
                                 r["update"], r["frame"], base_times["frame"]))
        browser.close()
        if problems:
            print("requests refused:", *problems, sep="\n  ")
    print(f"{'page':<24} {'app':<9} {'control':<24} {'update med':>10} {'frame med':>10} {'frame p95':>10}"
          f" {'baseline med':>12} {'ratio':>6}")
    for page_name, app, label, update, frame, base_frame in rows:
        b = statistics.median(base_frame)
        print(f"{page_name:<24} {app:<9} {label:<24} {statistics.median(update):>8.2f}ms "
              f"{statistics.median(frame):>8.2f}ms {p95(frame):>8.2f}ms {b:>10.2f}ms "
              f"{statistics.median(frame) / b:>6.2f}")
    every = [t for row in rows for t in row[4]]
    print(f"\nall changes ({len(every)}): frame median {statistics.median(every):.2f} ms, "
          f"p95 {p95(every):.2f} ms; update median {statistics.median([t for r in rows for t in r[3]]):.2f} ms")
    print("first explorer ready after navigation start:")
    for rel, ms in ready:
        print(f"  {rel:<40} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
