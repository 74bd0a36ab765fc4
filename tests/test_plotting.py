"""Plot functions return their artists, keep the role colours, never leak
rcParams, and draw the right direction of the KL."""

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import klbook as kb  # noqa: E402
from klbook import plotting as kp  # noqa: E402

P = kb.Mixture([0.5, 0.5], [kb.Normal(-3, 1), kb.Normal(3, 1)])


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def rc_snapshot():
    return {k: str(v) for k, v in mpl.rcParams.items()}


def test_style_restores_rcparams_even_after_an_error():
    before = rc_snapshot()
    with kp.style("lecture"):
        assert mpl.rcParams["font.size"] > 14 and mpl.rcParams["lines.linewidth"] >= 3
    assert rc_snapshot() == before
    with pytest.raises(RuntimeError), kp.style("book"):
        raise RuntimeError("inside")
    assert rc_snapshot() == before


def test_lecture_is_bigger_than_book():
    with kp.style("book"):
        book = mpl.rcParams["font.size"], mpl.rcParams["lines.linewidth"]
    with kp.style("lecture"):
        lecture = mpl.rcParams["font.size"], mpl.rcParams["lines.linewidth"]
    assert lecture[0] >= 1.5 * book[0] and lecture[1] >= 1.5 * book[1]


def test_style_rejects_unknown_name():
    with pytest.raises(ValueError, match=r"`name` must be 'book' or 'lecture', got 'slides'"):
        with kp.style("slides"):
            pass


def test_klbook_reexports_style_and_palette():
    assert kb.style is kp.style and kb.PALETTE is kp.PALETTE


def test_roles_have_distinct_palette_colours():
    roles = ["p", "forward", "reverse", "q", "accent"]
    assert len({kp.PALETTE[r] for r in roles}) == len(roles)
    assert set(kp.PALETTE[r] for r in roles) <= set(kp.OKABE_ITO.values())
    with pytest.raises(ValueError, match="`role` must be one of"):
        kp.role_style("model")


def test_plot_functions_do_not_touch_rcparams(ax):
    before = rc_snapshot()
    fwd = kb.fit(P, "normal")
    kp.plot_fits(P, forward=fwd.q, reverse=kb.Normal(3, 1), ax=ax)
    kp.plot_integrand(P, fwd.q, direction="reverse", ax=ax)
    kp.plot_bars([0.5, 0.5], [0.9, 0.1], ax=ax)
    assert rc_snapshot() == before


def test_plot_density_returns_artists_with_the_density(ax):
    x = np.linspace(-6, 6, 101)
    arts = kp.plot_density(P, x, ax=ax)
    assert isinstance(arts, kp.DensityArtists) and arts.fill is not None
    np.testing.assert_allclose(arts.line.get_ydata(), P.pdf(x))
    assert to_hex(arts.line.get_color()) == kp.PALETTE["p"].lower()
    q_arts = kp.plot_density(kb.Normal(0, 2), x, ax=ax, role="forward")
    assert q_arts.fill is None and q_arts.line.get_linestyle() == "--"


def test_plot_fits_colours_each_role(ax):
    out = kp.plot_fits(P, forward=kb.Normal(0, 3), reverse=kb.Normal(3, 1), ax=ax)
    for role in ("p", "forward", "reverse"):
        assert to_hex(out[role].line.get_color()) == kp.PALETTE[role].lower()
    assert ax.get_ylim()[1] > max(float(np.max(a.line.get_ydata())) for a in (out["p"], out["reverse"]))


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_integrand_area_is_the_divergence_in_its_direction(ax, direction):
    q = kb.Normal(1.0, 2.0)
    x = np.linspace(-15, 15, 20001)
    line, fill = kp.plot_integrand(P, q, x, direction=direction, ax=ax)
    area = np.trapezoid(line.get_ydata(), x)
    expected = kb.kl(P, q) if direction == "forward" else kb.kl(q, P)
    assert area == pytest.approx(expected, rel=1e-6)
    assert to_hex(line.get_color()) == kp.PALETTE[direction].lower()


def test_integrand_rejects_bad_direction():
    with pytest.raises(ValueError, match=r"`direction` must be 'forward' or 'reverse', got 'both'"):
        kp.integrand(P, kb.Normal(0, 1), np.zeros(3), direction="both")


def test_integrand_is_finite_where_densities_underflow():
    y = kp.integrand(P, kb.Normal(0, 0.1), np.array([-60.0, 0.0, 60.0]), direction="reverse")
    assert np.all(np.isfinite(y))


def test_plot_bars_heights(ax):
    p_bars, q_bars = kp.plot_bars([0.2, 0.8], [0.5, 0.5], ax=ax)
    assert [b.get_height() for b in p_bars] == [0.2, 0.8]
    assert [b.get_height() for b in q_bars] == [0.5, 0.5]


def test_landscape_path_and_optima(ax):
    means, sds = np.linspace(-6, 6, 25), np.geomspace(0.3, 6, 17)
    result = kb.fit(P, "normal", direction="reverse", init=kb.Normal(2, 0.5))
    cs = kp.plot_landscape(P, means=means, sds=sds, ax=ax, colorbar=False)
    assert ax.get_yscale() == "log" and len(cs.levels) > 5
    line, start, end = kp.plot_path(result, ax=ax)
    mu, sd = kp.path_coordinates(result.path)
    np.testing.assert_allclose(line.get_xdata(), mu)
    np.testing.assert_allclose(end.get_ydata(), [result.q.sd])
    glob, loc = kp.plot_optima(kb.reverse_optima(P), ax=ax)
    assert len(glob.get_xdata()) == 1 and len(loc.get_xdata()) == 2


@pytest.mark.parametrize("a", [0.5, 2.5, 2.9, 4.0])
def test_symmetric_optima_agree_with_the_general_search(a):
    fast = kp.symmetric_optima(a)
    full = kb.reverse_optima(kp.symmetric_target(a))
    assert len(fast) == len(full)
    for f, g in zip(fast, full):
        assert f.divergence == pytest.approx(g.divergence, abs=1e-9)
        assert abs(f.q.sd - g.q.sd) < 1e-6


def test_phase_picture_regimes():
    t = kb.symmetric_reverse_thresholds()
    phase = kp.phase_data([t.appear - 0.05, (t.appear + t.global_) / 2, t.global_ + 0.05])
    assert np.isnan(phase.side[0]) and np.isfinite(phase.side[1:]).all()
    assert phase.centred[1] < phase.side[1] and phase.side[2] < phase.centred[2]
    assert np.isfinite(phase.centred).all()
    fig, axes = plt.subplots(1, 2)
    arts = kp.plot_phase(phase, axes=axes, marker_a=2.6)
    assert "cursor" in arts and "centred_d" in arts
    plt.close(fig)


def test_default_style_comes_from_klbook_style_variable(monkeypatch):
    import matplotlib as mpl

    from klbook.plotting import resolve_style

    monkeypatch.delenv("KLBOOK_STYLE", raising=False)
    assert resolve_style() == "book"
    monkeypatch.setenv("KLBOOK_STYLE", "lecture")
    assert resolve_style() == "lecture"
    with kb.style():
        lecture_size = mpl.rcParams["font.size"]
    with kb.style("book"):
        book_size = mpl.rcParams["font.size"]
    assert lecture_size > book_size
    monkeypatch.setenv("KLBOOK_STYLE", "poster")
    with pytest.raises(ValueError, match=r"^`KLBOOK_STYLE` must be 'book' or 'lecture', got 'poster'$"):
        resolve_style()


# ------------------------------------------------------------- text colours


def test_contrast_ratio_matches_wcag():
    assert kp.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert kp.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # WebAIM's reference pair: #767676 on white is the lightest grey that passes AA.
    assert kp.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.005)
    assert kp.contrast_ratio("#FFFFFF", "#767676") == kp.contrast_ratio("#767676", "#FFFFFF")
    # Why the text palette exists: the line colours fail as text (vermillion 3.9:1 on white).
    assert kp.contrast_ratio(kp.PALETTE["reverse"], "#FFFFFF") < kp.MIN_TEXT_CONTRAST


def test_text_palette_meets_wcag_aa_on_every_background():
    assert set(kp.TEXT_PALETTE) == set(kp.PALETTE)
    for role, colour in kp.TEXT_PALETTE.items():
        for background in kp.TEXT_BACKGROUNDS:
            assert kp.contrast_ratio(colour, background) >= kp.MIN_TEXT_CONTRAST, (role, colour, background)


def test_text_palette_keeps_the_hue_and_changes_only_what_fails():
    import colorsys

    def hls(colour):
        return colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))

    for role, line in kp.PALETTE.items():
        text = kp.TEXT_PALETTE[role]
        passes = all(kp.contrast_ratio(line, b) >= kp.MIN_TEXT_CONTRAST for b in kp.TEXT_BACKGROUNDS)
        assert (text == line) == passes, (role, line, text)
        if hls(line)[2] > 0.2 and hls(line)[0] > 0:  # a colour, not black or a grey
            assert hls(text)[0] == pytest.approx(hls(line)[0], abs=0.02), role


def test_text_colour_mixes_just_enough():
    white = ("#FFFFFF",)
    darker = kp.text_colour("#D55E00", white)
    assert kp.contrast_ratio(darker, "#FFFFFF") >= 4.5
    assert kp.text_colour("#D55E00", white, ratio=kp.contrast_ratio(darker, "#FFFFFF")) == darker
    assert kp.text_colour("#D55E00", white, ratio=4.4) != darker
    assert kp.text_colour("#000000", white) == "#000000"
    lighter = kp.text_colour("#0072B2", ("#14181E",))
    assert kp.contrast_ratio(lighter, "#14181E") >= 4.5 and kp.contrast_ratio("#0072B2", "#14181E") < 4.5
    with pytest.raises(ValueError, match=r"^`ratio` 22 cannot be reached against \('#FFFFFF',\)$"):
        kp.text_colour("#D55E00", white, ratio=22)


def test_text_backgrounds_are_the_themes():
    """TEXT_BACKGROUNDS are pydata-sphinx-theme's light page and surface and, in
    dark mode, the light card (dark mode's text-base) it paints behind HTML outputs."""
    import re
    from importlib.resources import files

    css = (files("pydata_sphinx_theme") / "theme" / "pydata_sphinx_theme" / "static" / "styles"
           / "pydata-sphinx-theme.css").read_text(encoding="utf-8")

    def colours(mode, *names):
        block = re.search(r"html\[data-theme=%s\]\{([^}]*)\}" % mode, css).group(1) + ";"
        found = [v for n in names for v in re.findall(rf"--pst-color-{n}:#([0-9a-fA-F]{{3,6}});", block)]
        return {"#" + (v if len(v) == 6 else "".join(c * 2 for c in v)).upper() for v in found}

    assert ".bd-content div.cell_output .text_html:not(:has(table.dataframe))" in css
    assert colours("light", "background", "surface") | colours("dark", "text-base") == set(kp.TEXT_BACKGROUNDS)
