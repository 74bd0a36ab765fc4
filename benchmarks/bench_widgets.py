"""Time the live apps: control change -> fit -> redrawn figure (PNG), median per app.

Run: ``.venv/bin/python benchmarks/bench_widgets.py [NAME ...]`` (about a
minute; names such as ``glance phase`` time only those apps).

Each control is dragged across its range in small steps, as a reader would,
by setting ``.value`` programmatically; the observer runs synchronously, so
the time of the assignment is the whole update: the fit, the artists'
``set_data``, the redraw and the PNG encoding. Target: median <= 50 ms for the
fit explorers on the book's 2-core machine. Prints medians and 90th
percentiles; asserts nothing (speed is measured here, never in tests).
"""

import statistics
import time

import ipywidgets as W
import numpy as np

from klbook import widgets

STEPS = 12  # positions per control, spread over its range


def controls(box):
    stack = [box]
    while stack:
        w = stack.pop()
        if isinstance(w, (W.FloatSlider, W.Dropdown, W.ToggleButtons)):
            yield w
        stack.extend(reversed(getattr(w, "children", ())))


def drag(control):
    """Positions a reader passes through, ending back at the default."""
    if isinstance(control, W.FloatSlider):
        values = list(np.linspace(control.min, control.max, STEPS))
    else:
        values = [v for _, v in control.options] if isinstance(control.options[0], tuple) \
            else list(control.options)
    return values + [control.value]


def bench(make):
    box = make()
    times = []
    for c in list(controls(box)):
        for v in drag(c):
            if v == c.value:
                continue
            t0 = time.perf_counter()
            c.value = v
            times.append(time.perf_counter() - t0)
    return times


def main(names=()):
    apps = [
        ("glance_explorer", widgets.glance_explorer, True),
        ("forward_explorer", widgets.forward_explorer, True),
        ("reverse_explorer", widgets.reverse_explorer, True),
        ("phase_explorer", widgets.phase_explorer, True),
        ("discrete_explorer", widgets.discrete_explorer, False),
        # The apps of the later chapters (issues 11 and 12 ask <= 50 ms too).
        ("meanfield_explorer", widgets.meanfield_explorer, True),
        ("alpha_explorer", widgets.alpha_explorer, True),
        ("estimate_explorer", widgets.estimate_explorer, True),
        ("rlhf_explorer", widgets.rlhf_explorer, True),
        ("distill_explorer", widgets.distill_explorer, True),
    ]
    if names:
        apps = [app for app in apps if any(app[0].startswith(n) for n in names)]
    print(f"{'app':<20} {'updates':>7} {'median ms':>10} {'p90 ms':>8}  target")
    for name, make, is_fit in apps:
        t = bench(make)
        med = 1e3 * statistics.median(t)
        p90 = 1e3 * float(np.quantile(t, 0.9))
        target = ("<= 50 ms median " + ("ok" if med <= 50 else "MISSED")) if is_fit else "-"
        print(f"{name:<20} {len(t):>7} {med:>10.1f} {p90:>8.1f}  {target}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
