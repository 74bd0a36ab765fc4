import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from klbook import Categorical, Mixture, MultivariateNormal, Normal, alpha_divergence, fit, kl

import reference as ref

# ------------------------------------------------------------ the reference
# Independent of klbook's quadrature and of its stable forms: the integrand is
# the definition itself, [a p + (1-a) q - p^a q^(1-a)] / (a (1-a)), evaluated
# with 50 significant digits (decimal), so alpha 1e-6 from 0 or 1 cancels
# nothing that matters; scipy.integrate.quad integrates it over the whole
# line (infinite end intervals), split at points around every component.

_PI = Decimal("3.14159265358979323846264338327950288419716939937510")
_PREC = 50


def _prepare(d):
    out = []
    for w, m, s in zip(*ref.as_tuple(d)):
        if w > 0:
            w, m, s = Decimal(w), Decimal(m), Decimal(s)
            out.append(((w / s).ln() - (2 * _PI).sqrt().ln(), m, 2 * s * s))
    return out


def _log_density(comps, x):
    terms = [c - (x - m) ** 2 / v for c, m, v in comps]
    top = max(terms)
    return top + sum((t - top).exp() for t in terms).ln()


def reference_alpha(p, q, alpha):
    """D_alpha(p||q) by quad with a 50-digit integrand."""
    with localcontext() as ctx:
        ctx.prec = _PREC
        cp, cq = _prepare(p), _prepare(q)
        a = Decimal(alpha)
        b = 1 - a

    def f(x):
        with localcontext() as ctx:
            ctx.prec = _PREC
            xd = Decimal(x)
            lp, lq = _log_density(cp, xd), _log_density(cq, xd)
            return float((a * lp.exp() + b * lq.exp() - (a * lp + b * lq).exp()) / (a * b))

    edges = ref._edges(ref.as_tuple(p), ref.as_tuple(q))
    opts = {"epsabs": 1e-15, "epsrel": 1e-13, "limit": 400}
    parts = [integrate.quad(f, -np.inf, edges[0], **opts)[0], integrate.quad(f, edges[-1], np.inf, **opts)[0]]
    parts += [integrate.quad(f, lo, hi, **opts)[0] for lo, hi in zip(edges[:-1], edges[1:])]
    return math.fsum(parts)


def log_integrand_far_out(p, q, alpha, x):
    """The larger of log(p^alpha q^(1-alpha)) at -x and x."""
    return max(alpha * float(p.logpdf(v)) + (1 - alpha) * float(q.logpdf(v)) for v in (-x, x))


def within(value, expected, tol=1e-10):
    """|value - expected| <= tol * max(1, |expected|): absolute below 1, relative above."""
    if math.isinf(expected):
        return value == expected
    return abs(value - expected) <= tol * max(1.0, abs(expected))


BIMODAL = Mixture([0.5, 0.5], [Normal(-2, 1), Normal(2, 1)])
FAR = Mixture([0.5, 0.5], [Normal(-8, 1), Normal(8, 1)])
NARROW_WIDE = Mixture([0.3, 0.7], [Normal(0, 0.05), Normal(1, 2)])
THREE = Mixture([0.2, 0.3, 0.5], [Normal(-8, 1), Normal(0, 0.05), Normal(8, 3)])

PAIRS = {
    "two Normals": (Normal(0, 1), Normal(1, 2)),
    "two Normals, q narrow": (Normal(1, 2), Normal(-0.5, 0.5)),
    "bimodal vs Normal": (BIMODAL, Normal(0.3, 2)),
    "Normal vs bimodal": (Normal(0.3, 2), BIMODAL),
    "narrow next to wide vs Normal": (NARROW_WIDE, Normal(0.5, 1)),
    "wide Normal vs far modes": (Normal(0, 6), FAR),
    "three vs two components": (THREE, Mixture([0.5, 0.5], [Normal(-1, 1), Normal(2, 0.3)])),
    "one-component mixtures": (Mixture([1.0], [Normal(0, 1)]), Mixture([1.0], [Normal(1, 2)])),
}
ALPHAS = [-2.0, -0.5, -1e-6, 1e-6, 0.25, 0.5, 0.75, 1 - 1e-6, 1 + 1e-6, 1.5, 2.0, 3.0]


def widest(d):
    return max(s for w, s in zip(d.weights, d.sds) if w > 0)


def tail_exponent(p, q, alpha):
    """alpha / s_p^2 + (1 - alpha) / s_q^2 for the widest components: finite iff > 0 (off the boundary)."""
    return alpha / widest(p) ** 2 + (1 - alpha) / widest(q) ** 2


def finite_by_tails(p, q, alpha):
    return tail_exponent(p, q, alpha) > 0


CASES = [(name, a) for name in PAIRS for a in ALPHAS if finite_by_tails(*PAIRS[name], a)]
INFINITE = [(name, a) for name in PAIRS for a in ALPHAS if not finite_by_tails(*PAIRS[name], a)]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "alpha"), CASES)
def test_matches_the_50_digit_quad_reference(name, alpha):
    p, q = PAIRS[name]
    expected = reference_alpha(p, q, alpha)
    assert within(alpha_divergence(p, q, alpha), expected, 1e-10)


# Where the tails decide: q barely wide enough (alpha > 1) or barely narrow
# enough (alpha < 0), so the integrand is far wider than p or q; and the
# boundary itself, where the quadratic terms cancel and only an exponential
# decay is left (finite for two modes of equal width, infinite for one).
TAIL_CASES = {
    "alpha 2, q sd 0.75 (limit 0.707)": (Normal(0, 1), Mixture([0.6, 0.4], [Normal(0.5, 0.75), Normal(-1, 0.3)]), 2.0),
    "alpha 2, bimodal p, q sd 0.72": (Mixture([0.5, 0.5], [Normal(-1, 1), Normal(1, 1)]), Normal(0.2, 0.72), 2.0),
    "alpha 5, q sd 0.9 (limit 0.894)": (Mixture([0.7, 0.3], [Normal(0, 1), Normal(0.2, 0.5)]), Normal(0, 0.9), 5.0),
    # Finite, but larger than a float: D_5 is about e^800 here.
    "alpha 5, q sd 0.9, modes at +-2": (BIMODAL, Normal(0, 0.9), 5.0),
    "alpha -1, q sd 1.3 (limit 1.414)": (BIMODAL, Mixture([0.5, 0.5], [Normal(-1, 1.3), Normal(1, 0.5)]), -1.0),
    "alpha -0.125, q sd 2.99 (limit 3)": (BIMODAL, Normal(0, 2.99), -0.125),
    "alpha -0.125, q sd 3: on the boundary": (Mixture([0.5, 0.5], [Normal(-3, 1), Normal(3, 1)]), Normal(0, 3), -0.125),
    "alpha 1.125, p sd 3: on the boundary": (Normal(0, 3), Mixture([0.5, 0.5], [Normal(-3, 1), Normal(3, 1)]), 1.125),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", TAIL_CASES)
def test_where_the_tails_decide(name):
    p, q, alpha = TAIL_CASES[name]
    value = alpha_divergence(p, q, alpha)
    assert within(value, reference_alpha(p, q, alpha), 1e-10)


@pytest.mark.parametrize(("name", "alpha"), INFINITE)
def test_infinite_where_the_integral_diverges(name, alpha):
    p, q = PAIRS[name]
    assert alpha_divergence(p, q, alpha) == math.inf
    # ...and the integral really diverges: far out, its integrand grows without bound.
    far = [log_integrand_far_out(p, q, alpha, w * max(widest(p), widest(q))) for w in (10, 20, 40)]
    assert far[0] < far[1] < far[2] and far[2] > 10


def test_infinite_examples_from_the_issue():
    wide = Mixture([0.5, 0.5], [Normal(-1, 0.5), Normal(2, 3)])
    # alpha = 1.5 needs s_q^2 > s_p^2 (alpha - 1) / alpha = 9 / 3 = 3.
    assert alpha_divergence(wide, Normal(0, 1.7), 1.5) == math.inf
    assert alpha_divergence(wide, Normal(0, 1.75), 1.5) < math.inf
    assert alpha_divergence(Normal(0, 1), Normal(0, 1.5), -1.0) == math.inf  # q wider, alpha < 0
    assert alpha_divergence(Normal(0, 1), Normal(0, 1.4), -1.0) < math.inf  # 1.4^2 < 2
    # Exactly on the boundary: two Normals never converge; a zero-weight wide component does not count.
    assert alpha_divergence(Normal(0, 3), Normal(0, 1), 1.125) == math.inf
    assert alpha_divergence(Mixture([1.0, 0.0], [Normal(0, 1), Normal(0, 9)]), Normal(0, 1), 3.0) < 1e-12


def test_large_but_finite_is_not_rounded_to_inf_or_nan():
    # Just inside the finite range the value is large and exact (closed form vs quadrature).
    p, q = Normal(0, 1), Normal(0, 1.4142)
    assert within(alpha_divergence(Mixture([1.0], [p]), q, -1.0), alpha_divergence(p, q, -1.0), 1e-9)
    # D_2 = (exp(d^2) - 1) / 2 for unit Normals d apart: e^400 / 2 is a float, e^1600 / 2 is not.
    assert alpha_divergence(Normal(0, 1), Normal(20, 1), 2.0) == pytest.approx(math.exp(400.0) / 2, rel=1e-12)
    assert alpha_divergence(Normal(0, 1), Normal(40, 1), 2.0) == math.inf


# ------------------------------------------------------ the ends and the middle


@pytest.mark.parametrize("name", PAIRS)
def test_exactly_kl_at_the_ends(name):
    p, q = PAIRS[name]
    assert alpha_divergence(p, q, 1.0) == kl(p, q)
    assert alpha_divergence(p, q, 0.0) == kl(q, p)
    assert alpha_divergence(p, q, 1) == kl(p, q)
    assert alpha_divergence(p, q, np.float64(0.0)) == kl(q, p)


@pytest.mark.parametrize("name", ["two Normals", "bimodal vs Normal", "three vs two components"])
def test_continuous_at_the_ends(name):
    p, q = PAIRS[name]
    for eps in (1e-6, 1e-9, 1e-12):
        assert abs(alpha_divergence(p, q, 1 - eps) - kl(p, q)) < 10 * eps * max(1, kl(p, q)) ** 2
        assert abs(alpha_divergence(p, q, eps) - kl(q, p)) < 10 * eps * max(1, kl(q, p)) ** 2
        assert abs(alpha_divergence(p, q, -eps) - kl(q, p)) < 10 * eps * max(1, kl(q, p)) ** 2


def test_hellinger_and_chi_square_for_two_normals():
    (m1, s1), (m2, s2) = (0.3, 1.2), (-0.4, 0.9)
    p, q = Normal(m1, s1), Normal(m2, s2)
    # Bhattacharyya coefficient; D_1/2 = 4 (1 - BC) = 2 * integral of (sqrt p - sqrt q)^2.
    bc = math.sqrt(2 * s1 * s2 / (s1**2 + s2**2)) * math.exp(-((m1 - m2) ** 2) / (4 * (s1**2 + s2**2)))
    assert alpha_divergence(p, q, 0.5) == pytest.approx(4 * (1 - bc), rel=1e-13)
    # Chi-square of q from p: 1 + chi2 = integral p^2 / q; D_2 = chi2 / 2.
    v = 2 * s2**2 - s1**2
    chi2 = s2**2 / (s1 * math.sqrt(v)) * math.exp((m1 - m2) ** 2 / v) - 1
    assert alpha_divergence(p, q, 2.0) == pytest.approx(chi2 / 2, rel=1e-13)


def test_hellinger_for_mixtures_against_quad():
    p, q = BIMODAL, Normal(0.3, 2)
    sq = lambda x: (math.sqrt(float(p.pdf(x))) - math.sqrt(float(q.pdf(x)))) ** 2  # noqa: E731
    hellinger2 = 0.5 * integrate.quad(sq, -30, 30, points=[-2, 0.3, 2], epsabs=1e-14, epsrel=1e-13, limit=200)[0]
    assert alpha_divergence(p, q, 0.5) == pytest.approx(4 * hellinger2, abs=1e-12)


def test_closed_form_and_quadrature_agree_for_normals():
    # Mixtures of one component take the quadrature path.
    for (m1, s1), (m2, s2) in [((0, 1), (1, 2)), ((1, 2), (-0.5, 0.5)), ((0, 0.1), (3, 5)), ((2, 4), (2, 4.001))]:
        p, q = Normal(m1, s1), Normal(m2, s2)
        for a in (-3.0, -1e-8, 1e-8, 0.3, 0.5, 1 - 1e-8, 1.7, 4.0):
            exact = alpha_divergence(p, q, a)
            numeric = alpha_divergence(Mixture([1.0], [p]), Mixture([1.0], [q]), a)
            if math.isinf(exact):
                assert math.isinf(numeric)
            else:
                assert within(numeric, exact, 1e-11), (p, q, a)


def test_equal_distributions_give_zero():
    for a in (-4.0, -1e-9, 0.5, 1.5, 7.0):
        assert alpha_divergence(Normal(1, 2), Normal(1, 2), a) == 0.0
        assert alpha_divergence(BIMODAL, BIMODAL, a) < 1e-14


def test_no_nan_and_no_warning_far_out():
    # RuntimeWarnings are errors in this suite (pyproject); overflowing exps must not warn.
    values = [
        alpha_divergence(Normal(0, 1e-3), Normal(1e3, 1), 0.5),
        alpha_divergence(Normal(0, 1), Normal(300, 1), 3.0),
        alpha_divergence(FAR, Normal(0, 0.1), -50.0),
        alpha_divergence(Normal(0, 0.1), FAR, 60.0),
        alpha_divergence(Mixture([1.0, 0.0], [Normal(0, 1), Normal(9, 1)]), Normal(0, 1), 2.0),
    ]
    assert not any(math.isnan(v) for v in values)
    assert all(v >= 0 for v in values)


# ------------------------------------------------------------ property tests

normals = st.builds(Normal, st.floats(-3, 3), st.floats(0.3, 3))
mixtures = st.integers(1, 3).flatmap(
    lambda k: st.builds(
        lambda w, comps: Mixture(np.asarray(w) / sum(w), comps),
        st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k),
        st.lists(normals, min_size=k, max_size=k),
    )
)
continuous = st.one_of(normals, mixtures)
alphas = st.floats(-3, 4)


@settings(max_examples=80, deadline=None)
@given(continuous, continuous, alphas)
def test_nonnegative_never_nan(p, q, a):
    d = alpha_divergence(p, q, a)
    assert d >= 0 and not math.isnan(d)
    lam = tail_exponent(p, q, a)
    if abs(lam) > 1e-9 * (abs(a) + 1) / min(widest(p), widest(q)) ** 2:
        assert math.isinf(d) == (lam < 0)


@settings(max_examples=80, deadline=None)
@given(continuous, continuous, alphas)
def test_swapping_mirrors_alpha(p, q, a):
    d, mirrored = alpha_divergence(p, q, a), alpha_divergence(q, p, 1 - a)
    if math.isinf(d):
        assert math.isinf(mirrored)
    else:
        assert within(mirrored, d, 1e-9)


@settings(max_examples=40, deadline=None)
@given(continuous, continuous, st.floats(1e-12, 1e-7))
def test_tends_to_kl_at_both_ends(p, q, eps):
    forward, reverse = kl(p, q), kl(q, p)
    assert abs(alpha_divergence(p, q, 1 - eps) - forward) < 1e-3 * max(1, forward) ** 2
    assert abs(alpha_divergence(p, q, eps) - reverse) < 1e-3 * max(1, reverse) ** 2


@settings(max_examples=40, deadline=None)
@given(normals, normals, st.floats(-2, 3))
def test_normals_closed_form_equals_quadrature(p, q, a):
    exact = alpha_divergence(p, q, a)
    numeric = alpha_divergence(Mixture([1.0], [p]), q, a)
    if math.isinf(exact):
        assert math.isinf(numeric)
    else:
        assert within(numeric, exact, 1e-9)


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((Normal(0, 1), Normal(0, 2), math.nan), r"^`alpha` must be a finite real number, got nan$"),
        ((Normal(0, 1), Normal(0, 2), math.inf), r"^`alpha` must be a finite real number, got inf$"),
        ((Normal(0, 1), Normal(0, 2), "0.5"), r"^`alpha` must be a finite real number, got '0.5'$"),
        ((Normal(0, 1), Normal(0, 2), True), r"^`alpha` must be a finite real number, got True$"),
        ((MultivariateNormal([0, 0], np.eye(2)), Normal(0, 1), 0.5),
         r"^`p` must be a Normal or a Mixture \(a 1-D density\), got MultivariateNormal"),
        ((Normal(0, 1), Categorical([0.5, 0.5]), 0.5), r"^`q` must be a Normal or a Mixture \(a 1-D density\), got Categorical"),
        ((Normal(0, 1), [0.5, 0.5], 0.5), r"^`q` must be a Normal or a Mixture \(a 1-D density\), got \[0.5, 0.5\]$"),
    ],
)
def test_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        alpha_divergence(*args)


# ------------------------------------------------------------ the alpha fit

TARGET = Mixture([0.5, 0.5], [Normal(-3, 1), Normal(3, 1)])


def test_alpha_fit_ends_are_exactly_the_kl_fits():
    start = Normal(2.0, 1.0)
    assert fit(TARGET, "normal", direction="alpha", alpha=1.0) == fit(TARGET, "normal")
    assert fit(TARGET, "normal", direction="alpha", alpha=0, init=start) == fit(
        TARGET, "normal", direction="reverse", init=start
    )


@pytest.mark.parametrize("alpha", [-1.0, -0.2, 1e-6, 0.2, 0.5, 0.9, 1 - 1e-6, 1.5, 2.0, 4.0])
@pytest.mark.parametrize("start", [None, Normal(2.0, 1.0)])
def test_alpha_fit_is_a_converged_local_minimum(alpha, start):
    r = fit(TARGET, "normal", direction="alpha", alpha=alpha, init=start)
    assert r.converged and r.direction == "alpha" and r.family == "normal"
    assert r.divergence == alpha_divergence(TARGET, r.q, alpha)
    if start is not None:
        assert r.path[0] == start
    assert r.path[-1] == r.q
    # Every neighbour is worse.
    for dm, ds in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        near = Normal(r.q.mean + dm * TARGET.sd, r.q.sd * math.exp(ds))
        assert alpha_divergence(TARGET, near, alpha) > r.divergence
    # ...and the path went downhill.
    values = [alpha_divergence(TARGET, q, alpha) for q in r.path]
    assert all(b <= a + 1e-12 * max(1, a) for a, b in zip(values, values[1:]))


def test_alpha_fit_moves_from_one_mode_to_both():
    start = Normal(2.0, 1.0)
    seeking = [fit(TARGET, "normal", direction="alpha", alpha=a, init=start).q for a in (-1.0, 1e-6, 0.2)]
    covering = [fit(TARGET, "normal", direction="alpha", alpha=a, init=start).q for a in (0.5, 1 - 1e-6, 2.0)]
    assert all(abs(q.mean - 3) < 0.05 and q.sd < 1.1 for q in seeking)
    assert all(abs(q.mean) < 1e-9 and q.sd > 3 for q in covering)
    # Mass-covering grows with alpha: the sd increases.
    sds = [q.sd for q in covering]
    assert sds == sorted(sds)


def test_alpha_fit_near_the_ends_approaches_the_kl_fits():
    start = Normal(2.0, 1.0)
    near_reverse = fit(TARGET, "normal", direction="alpha", alpha=1e-7, init=start).q
    reverse = fit(TARGET, "normal", direction="reverse", init=start).q
    assert abs(near_reverse.mean - reverse.mean) < 1e-5 and abs(near_reverse.sd - reverse.sd) < 1e-5
    near_forward = fit(TARGET, "normal", direction="alpha", alpha=1 - 1e-7).q
    assert abs(near_forward.mean - TARGET.mean) < 1e-9 and abs(near_forward.sd - TARGET.sd) < 1e-5


def test_alpha_fit_of_a_normal_target_is_the_target():
    for a in (-2.0, 0.3, 3.0):
        r = fit(Normal(1.0, 0.3), "normal", direction="alpha", alpha=a, init=Normal(0.7, 0.35))
        assert r.converged
        assert r.q.mean == pytest.approx(1.0, abs=1e-9) and r.q.sd == pytest.approx(0.3, abs=1e-9)
        assert r.divergence < 1e-14


def test_alpha_fit_is_reproducible():
    runs = [fit(NARROW_WIDE, "normal", direction="alpha", alpha=0.7) for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.mark.slow
@pytest.mark.parametrize(("alpha", "start"), [(-1.0, (2.0, 1.0)), (0.5, None), (2.0, None), (0.3, (3.0, 1.5))])
def test_alpha_fit_is_stationary_for_the_reference(alpha, start):
    p = THREE if alpha == 0.3 else TARGET
    r = fit(p, "normal", direction="alpha", alpha=alpha, init=None if start is None else Normal(*start))
    assert r.converged
    assert within(r.divergence, reference_alpha(p, r.q, alpha), 1e-10)
    # Central differences of the reference objective in (mean, log sd) vanish at the fit.
    h = 1e-4
    for dm, ds in [(h, 0.0), (0.0, h)]:
        up = reference_alpha(p, Normal(r.q.mean + dm, r.q.sd * math.exp(ds)), alpha)
        down = reference_alpha(p, Normal(r.q.mean - dm, r.q.sd * math.exp(-ds)), alpha)
        assert abs(up - down) / (2 * h) < 1e-7
        assert up > r.divergence and down > r.divergence


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "alpha"}, r"^`alpha` must be given with direction='alpha', got None$"),
        ({"alpha": 0.5}, r"^`alpha` must be None unless direction='alpha', got alpha=0.5 with direction='forward'$"),
        ({"direction": "reverse", "alpha": 0.5},
         r"^`alpha` must be None unless direction='alpha', got alpha=0.5 with direction='reverse'$"),
        ({"direction": "alpha", "alpha": math.nan}, r"^`alpha` must be a finite real number, got nan$"),
        ({"direction": "alpha", "alpha": 0.5, "family": "mixture2"},
         r"^`family` must be 'normal' for direction='alpha', got 'mixture2'$"),
        ({"direction": "alpha", "alpha": 0.5, "init": Mixture([1.0], [Normal(0, 1)])},
         r"^`init` must be a Normal for family 'normal', got Mixture"),
        ({"direction": "alpha", "alpha": 2.0, "init": Normal(0, 0.5)},
         r"^`init` must have a finite D_alpha\(p\|\|init\); for alpha=2.0 that needs an sd above 0.7071067811865476, "
         r"got Normal\(mean=0.0, sd=0.5\)$"),
        ({"direction": "alpha", "alpha": -1.0, "init": Normal(0, 2)},
         r"^`init` must have a finite D_alpha\(p\|\|init\); for alpha=-1.0 that needs an sd below 1.4142135623730951, "
         r"got Normal\(mean=0.0, sd=2.0\)$"),
    ],
)
def test_alpha_fit_rejects_bad_arguments(kwargs, message):
    args = {"family": "normal", **kwargs}
    with pytest.raises(ValueError, match=message):
        fit(TARGET, args.pop("family"), **args)


def test_alpha_fit_rejects_a_multivariate_target():
    with pytest.raises(ValueError, match=r"^`p` \(the target\) must be a Normal or Mixture, got MultivariateNormal"):
        fit(MultivariateNormal([0, 0], np.eye(2)), "normal", direction="alpha", alpha=0.5)


@pytest.mark.parametrize("a", [5e-324, 1e-300, -1e-20, 1e-15])
def test_subnormal_alpha_is_the_reverse_kl(a):
    """Regression (hypothesis found it): at alpha = 5e-324 the general formula returned 0."""
    p, q = Normal(0.0, 1.0), Normal(0.0, 0.5)
    assert alpha_divergence(p, q, a) == pytest.approx(kl(q, p), rel=1e-12)
    assert alpha_divergence(q, p, 1 - a) == pytest.approx(kl(q, p), rel=1e-12)
