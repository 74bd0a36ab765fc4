"""The kernel-free explorers in the browser: their numbers are klbook's.

The page's script draws with closed-form formulas only; here those formulas
(mixture log-densities, the KL integrand, the categorical sums) are evaluated
in Chromium on random cases and compared with klbook, and the numbers each
explorer prints at sampled lattice points are compared with klbook's state
functions. Random positions of every control never print NaN or throw.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import klbook as kb
from klbook import _apps, explorers, plotting
from klbook.widgets import fmt

from .conftest import SITE_DIR, pages_with

pytestmark = pytest.mark.browser

RNG = np.random.default_rng(9)
EXPLORER_PAGES = pages_with(r'class="klbook-explorer"')


def test_the_book_has_every_explorer():
    apps = set()
    for rel in EXPLORER_PAGES:
        apps |= set(re.findall(r'data-app="(\w+)"', (SITE_DIR / rel).read_text()))
    assert apps == set(explorers.APPS) | set(explorers.CONFIG_ONLY_APPS)


@pytest.fixture(scope="module")
def view(site_browser):
    return site_browser.open(EXPLORER_PAGES[0], "desktop")


def random_mixture(k):
    w = RNG.dirichlet(np.ones(k))
    return [[float(w[i]), float(RNG.uniform(-5, 5)), float(RNG.uniform(0.2, 3))] for i in range(k)]


def as_dist(comps):
    return kb.Mixture([c[0] for c in comps], [kb.Normal(c[1], c[2]) for c in comps], normalize=True)


def test_drawing_formulas_match_klbook(view):
    x = RNG.uniform(-12, 12, 40).tolist()
    for _ in range(12):
        p, q = random_mixture(int(RNG.integers(1, 4))), random_mixture(int(RNG.integers(1, 4)))
        got = view.page.evaluate("""([x, p, q]) => ({
            lp: x.map(v => klbookExplorers.mixtureLogpdf(v, p)),
            fwd: klbookExplorers.integrand(x, p, q, 'forward'),
            rev: klbookExplorers.integrand(x, p, q, 'reverse')})""", [x, p, q])
        P, Q = as_dist(p), as_dist(q)
        xs = np.array(x)
        np.testing.assert_allclose(got["lp"], P.logpdf(xs), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got["fwd"], plotting.integrand(P, Q, xs, direction="forward"),
                                   rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(got["rev"], plotting.integrand(P, Q, xs, direction="reverse"),
                                   rtol=1e-10, atol=1e-14)


def test_categorical_sums_match_klbook(view):
    for _ in range(20):
        k = int(RNG.integers(2, 6))
        p = RNG.dirichlet(np.ones(k)) * (RNG.uniform(size=k) > 0.2)
        q = RNG.dirichlet(np.ones(k)) * (RNG.uniform(size=k) > 0.2)
        if p.sum() == 0 or q.sum() == 0:
            continue
        p, q = p / p.sum(), q / q.sum()
        got = view.page.evaluate("""([p, q]) => [p.reduce((s, v, i) => s + klbookExplorers.relEntr(v, q[i]), 0),
                                                 q.reduce((s, v, i) => s + klbookExplorers.relEntr(v, p[i]), 0)]""",
                                 [p.tolist(), q.tolist()])
        for value, ref in zip(got, (kb.kl(p, q), kb.kl(q, p))):
            if math.isinf(ref):
                assert value is None or value == math.inf  # JSON turns Infinity into null
            else:
                assert value == pytest.approx(ref, rel=1e-12, abs=1e-15)


def open_with(site_browser, app):
    # A page where the app is in the text, not in a folded solution.
    rel = next(r for r in sorted(EXPLORER_PAGES, key=lambda r: "exercises" in r)
               if f'data-app="{app}"' in (SITE_DIR / r).read_text())
    view = site_browser.open(rel, "desktop")
    root = view.page.locator(f'.klbook-explorer[data-app="{app}"]').first
    root.scroll_into_view_if_needed()
    return view, root


def set_control(root, index, value):
    root.locator("input, select").nth(index).evaluate(
        "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }", value)
    return root.locator(".kx-readout").text_content()


def test_glance_readout_is_klbooks_at_sampled_points(site_browser):
    view, root = open_with(site_browser, "glance")
    a_values, w_values = explorers._lattice(*explorers.GLANCE_A), explorers._lattice(*explorers.GLANCE_W)
    for _ in range(4):
        i, j = int(RNG.integers(len(a_values))), int(RNG.integers(len(w_values)))
        set_control(root, 0, i)
        text = set_control(root, 1, j)
        st = _apps.glance_state(a_values[i], w_values[j])
        assert f"D(P‖Q) = {fmt(st.forward.divergence)} nats" in text  # forward
        assert f"D(Q‖P) = {fmt(st.optima[0].divergence)} nats" in text  # reverse, best
        assert f"sd {fmt(st.forward.q.sd, 2)}" in text


def test_reverse_readout_is_klbooks_at_sampled_starts(site_browser):
    view, root = open_with(site_browser, "reverse")
    means = explorers._lattice(*explorers.REVERSE_START_MEANS)
    for _ in range(4):
        k = int(RNG.integers(len(explorers.REVERSE_PRESETS)))
        i, j = int(RNG.integers(len(means))), int(RNG.integers(len(explorers.REVERSE_START_SDS)))
        root.locator("select").first.select_option(index=k)
        set_control(root, 1, i)
        text = set_control(root, 2, j)
        p = _apps.target(explorers.REVERSE_PRESETS[k][1])
        r = kb.fit(p, "normal", direction="reverse", init=kb.Normal(means[i], explorers.REVERSE_START_SDS[j]))
        assert f"D(Q‖P) = {fmt(kb.kl(r.q, p))} nats" in text.replace("\n", " ")


def test_forward_and_phase_readouts_are_klbooks(site_browser):
    view, root = open_with(site_browser, "forward")
    root.locator("select").nth(1).select_option(index=0)  # Q: one Normal
    for k, (_, comps) in enumerate(explorers.FORWARD_PRESETS):
        root.locator("select").first.select_option(index=k)
        p = _apps.target(comps)
        assert f"D(P‖Q) = {fmt(kb.kl(p, kb.Normal(p.mean, p.sd)))} nats" in \
            root.locator(".kx-readout").text_content()
    view, root = open_with(site_browser, "phase")
    a_values = explorers._lattice(*explorers.PHASE_A)
    for i in RNG.integers(len(a_values), size=4):
        text = set_control(root, 0, int(i))
        best = _apps.symmetric_optima(a_values[i])[0]
        assert f"D(Q‖P) = {fmt(best.divergence)}" in text


@pytest.mark.parametrize("app", sorted(set(explorers.APPS) | set(explorers.CONFIG_ONLY_APPS)))
def test_random_positions_never_show_nan_or_throw(site_browser, app):
    view, root = open_with(site_browser, app)
    controls = root.locator("input, select")
    for _ in range(25):
        c = int(RNG.integers(controls.count()))
        control = controls.nth(c)
        if control.evaluate("el => el.tagName") == "SELECT":
            value = int(RNG.integers(control.evaluate("el => el.options.length")))
        else:
            value = int(RNG.integers(int(control.get_attribute("max")) + 1))
        text = set_control(root, c, value)
        assert not re.search(r"\bNaN\b|undefined", text), text
        assert root.locator("svg.kx-plot").first.get_attribute("aria-labelledby")
    assert view.problems == []


@pytest.mark.parametrize("app", sorted(set(explorers.APPS) | set(explorers.CONFIG_ONLY_APPS)))
def test_explorer_controls_are_labelled_native_inputs(site_browser, app):
    view, root = open_with(site_browser, app)
    found = root.evaluate("""root => [...root.querySelectorAll('input, select')].map(el => ({
        tag: el.tagName, label: el.labels && el.labels[0] ? el.labels[0].textContent : '',
        tabbable: el.tabIndex >= 0}))""")
    assert found and all(f["label"] and f["tabbable"] for f in found), found
    assert root.locator(".kx-readout").get_attribute("aria-live") == "polite"
    # Keyboard: focus the first control and press End; the readout changes.
    before = root.locator(".kx-readout").text_content()
    first = root.locator("input[type=range]").first
    if first.count():
        first.focus()
        view.page.keyboard.press("End")
        view.page.keyboard.press("PageDown")
        assert root.locator(".kx-readout").text_content() != before
