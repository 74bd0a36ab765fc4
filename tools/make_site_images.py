#!/usr/bin/env python3
"""Draw the website's favicon and social-card image from klbook, into ``_static/``.

* ``_static/klbook-favicon.svg``: the book's picture in small: a two-mode
  target P (black) with the forward fit D(P||Q) (blue, covering both modes)
  and the reverse fit D(Q||P) (vermillion, on one mode), on white so that it
  reads on light and dark browser tabs;
* ``_static/klbook-social.png`` (1200 x 630 px, the size link previews use):
  the same fits drawn by ``klbook.plotting.plot_fits`` with the book's title.

The files are committed; run this again after a change to the palette or the
plotting style: ``python tools/make_site_images.py``. Nothing here runs at
build time. ``_config.yml`` names the favicon (``html.favicon``) and
``_ext/klbook_site.py`` the social card (``klbook_social_image``).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import klbook as kb  # noqa: E402
from klbook import plotting  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "_static"
TARGET = kb.Mixture([0.5, 0.5], [kb.Normal(-2.5, 0.8), kb.Normal(2.5, 0.8)])


def fits():
    """The two Normal fits, checked against what the image's alt text says
    (_ext/klbook_site.py): forward spreads over both modes, reverse sits on one."""
    forward = kb.fit(TARGET, "normal", direction="forward").q
    reverse = kb.fit(TARGET, "normal", direction="reverse", init=kb.Normal(2.0, 1.0)).q
    modes = [c.mean for c in TARGET.components]
    if not (abs(forward.mean) < 0.1 and forward.sd > max(modes)):
        raise RuntimeError(f"the forward fit {forward} no longer spreads over both modes")
    if not (abs(reverse.mean - modes[1]) < 0.1 and reverse.sd < 1.0):
        raise RuntimeError(f"the reverse fit {reverse} no longer sits on one mode")
    return forward, reverse


def favicon(path: Path) -> None:
    forward, reverse = fits()
    # svg.hashsalt keeps matplotlib's clip-path ids, and so the file, the same on every run.
    with plt.rc_context({"svg.hashsalt": "klbook", "svg.fonttype": "none"}):
        fig = plt.figure(figsize=(1, 1), dpi=64)
        fig.patch.set_facecolor("white")
        ax = fig.add_axes([0.04, 0.06, 0.92, 0.9])
        x = plotting.x_grid(TARGET, forward, reverse, n=121, reach=3.0)
        for dist, role, width in ((TARGET, "p", 4), (forward, "forward", 4), (reverse, "reverse", 4)):
            ax.plot(x, dist.pdf(x), color=plotting.PALETTE[role], linewidth=width, solid_capstyle="round")
        ax.set_axis_off()
        ax.set_ylim(0, 0.52)
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)


def social_card(path: Path) -> None:
    forward, reverse = fits()
    with kb.style("book"):
        fig, ax = plt.subplots(figsize=(12, 6.3), dpi=100)
        fig.patch.set_facecolor("white")
        x = plotting.x_grid(TARGET, forward, reverse, reach=2.8)
        plotting.plot_fits(TARGET, forward=forward, reverse=reverse, x=x, ax=ax, legend=False)
        ax.tick_params(labelsize=13)
        ax.legend(loc="upper left", fontsize=15, frameon=False)
        ax.set_title("Forward KL vs Reverse KL", fontsize=30, pad=18)
        ax.set_xlabel("x", fontsize=16)
        ax.set_ylabel("density", fontsize=16)
        fig.tight_layout()
        fig.savefig(path, format="png", metadata={"Software": None})
        plt.close(fig)


def main() -> None:
    STATIC.mkdir(exist_ok=True)
    favicon(STATIC / "klbook-favicon.svg")
    social_card(STATIC / "klbook-social.png")
    for name in ("klbook-favicon.svg", "klbook-social.png"):
        print(f"{STATIC / name}: {(STATIC / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
