#!/usr/bin/env python3
"""Static checks of the built website (``_build/html``), run by ``make test``.

* Page weight: for every page, the HTML itself (which embeds the scrubbable
  animations as data URIs) plus the local images it shows and the data files
  of its kernel-free explorers. A book page over 1 MB (1,000,000 bytes) fails
  the budget; a slide deck (one file with every figure of a chapter) over 2 MB.
* Offline: a page that loads a script, style sheet or image from outside the
  site fails (links a reader clicks are fine).
* Internal links: every ``href``/``src`` that points inside the site must name
  a file that exists, and a ``#fragment`` on an HTML page must name an ``id``
  on that page.
* External links are listed (never fetched: there is no network here).

Reports go to ``_build/site-report/``; the weight table is printed.
Exit status 1 if any page is over budget or any internal link is broken.

Usage: python tools/site_check.py [--html _build/html] [--report _build/site-report]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag, urlsplit

from klbook_browser import site_pages

BUDGET_BYTES = 1_000_000
DECK_BUDGET_BYTES = 2_000_000
DECK_DIR = "slides"
# Where a page's explorer data live, relative to the site (book) or the decks.
EXPLORER_DATA = {"": "_static/explorers", DECK_DIR: f"{DECK_DIR}/_lib/explorers"}


def budget(rel_page: str) -> int:
    return DECK_BUDGET_BYTES if rel_page.split("/", 1)[0] == DECK_DIR else BUDGET_BYTES
# Folders of the build that hold assets, not pages.
LINK_ATTRS = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
}
IMAGE_TAGS = {"img"}


@dataclass
class PageInfo:
    """What one built HTML page refers to."""

    path: Path
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attr, value)
    data_uri_bytes: int = 0
    widget_state_bytes: int = 0
    animations: int = 0
    explorers: set[str] = field(default_factory=set)


class _PageParser(HTMLParser):
    def __init__(self, info: PageInfo):
        super().__init__(convert_charrefs=True)
        self.info = info

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.info.ids.add(attrs[key])
        if tag == "div" and "animation" in (attrs.get("class") or "").split():
            self.info.animations += 1
        if tag == "div" and "klbook-explorer" in (attrs.get("class") or "").split() \
                and attrs.get("data-needs-data") == "yes":
            self.info.explorers.add(attrs.get("data-app") or "")
        for attr in LINK_ATTRS.get(tag, ()):
            value = attrs.get(attr)
            if value is None:
                continue
            value = value.strip()
            if value.startswith("data:"):
                continue
            self.info.refs.append((tag, attr, value))

    handle_startendtag = handle_starttag


_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,(?:[A-Za-z0-9+/=]|\\\n)+")
_WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S
)


def parse_page(path: Path) -> PageInfo:
    info = PageInfo(path=path)
    text = path.read_text(encoding="utf-8", errors="replace")
    _PageParser(info).feed(text)
    # Animation frames live in JavaScript strings, not in attributes: count them all.
    info.data_uri_bytes = sum(len(m) for m in _DATA_URI.findall(text))
    info.widget_state_bytes = sum(len(m) for m in _WIDGET_STATE.findall(text))
    return info


def is_external(value: str) -> bool:
    scheme = urlsplit(value).scheme
    return bool(scheme) or value.startswith("//")


def resolve_internal(html_dir: Path, page: Path, value: str) -> tuple[Path | None, str]:
    """The file an internal reference points to (None if it leaves the site) and its fragment."""
    url, fragment = urldefrag(value)
    path = unquote(urlsplit(url).path)
    if not path:
        return page, fragment
    if path.startswith("/"):
        target = html_dir / path.lstrip("/")
    else:
        target = page.parent / PurePosixPath(path)
    target = Path(*target.parts)
    try:
        target = target.resolve()
        target.relative_to(html_dir.resolve())
    except ValueError:
        return None, fragment
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, fragment


@dataclass
class SiteReport:
    weights: list[dict]
    broken: list[str]
    external: dict[str, list[str]]

    @property
    def over_budget(self) -> list[dict]:
        return [w for w in self.weights if w["total"] > budget(w["page"])]

    @property
    def ok(self) -> bool:
        return not self.broken and not self.over_budget


def check_site(html_dir: Path) -> SiteReport:
    html_dir = html_dir.resolve()
    pages = site_pages(html_dir)
    if not pages:
        raise FileNotFoundError(f"no HTML pages under {html_dir}: build the book first (make book)")
    infos = {p.resolve(): parse_page(p) for p in pages}
    id_cache: dict[Path, set[str]] = {k: v.ids for k, v in infos.items()}

    def ids_of(path: Path) -> set[str]:
        if path not in id_cache:
            id_cache[path] = parse_page(path).ids
        return id_cache[path]

    weights, broken = [], []
    external: dict[str, list[str]] = {}
    for page, info in infos.items():
        rel_page = page.relative_to(html_dir).as_posix()
        images = {}
        for tag, attr, value in info.refs:
            if is_external(value):
                scheme = urlsplit(value).scheme
                if scheme in ("http", "https", "") and tag == "a":
                    external.setdefault(value, []).append(rel_page)
                elif scheme not in ("mailto", "javascript"):
                    # A script, style or image from elsewhere: the page needs the network.
                    broken.append(f"{rel_page}: <{tag} {attr}={value!r}> loads from outside the site")
                continue
            if value.startswith(("mailto:", "javascript:")):
                continue
            target, fragment = resolve_internal(html_dir, page, value)
            if target is None:
                broken.append(f"{rel_page}: <{tag} {attr}={value!r}> leaves the site")
                continue
            if not target.is_file():
                broken.append(f"{rel_page}: <{tag} {attr}={value!r}> -> missing {target.relative_to(html_dir)}")
                continue
            if fragment and target.suffix == ".html" and tag == "a" and fragment not in ids_of(target):
                broken.append(f"{rel_page}: <a href={value!r}> -> no id {fragment!r} in {target.relative_to(html_dir)}")
            if tag in IMAGE_TAGS:
                images[target] = target.stat().st_size
        html_bytes = page.stat().st_size
        image_bytes = sum(images.values())
        data_dir = html_dir / EXPLORER_DATA[DECK_DIR if rel_page.startswith(DECK_DIR + "/") else ""]
        explorer_bytes = 0
        for app in sorted(info.explorers):
            data_file = data_dir / f"{app}.js"
            if not data_file.is_file():
                broken.append(f"{rel_page}: explorer {app!r} has no data file {data_file.relative_to(html_dir)}")
                continue
            explorer_bytes += data_file.stat().st_size
        weights.append(
            {
                "page": rel_page,
                "html": html_bytes,
                "images": image_bytes,
                "n_images": len(images),
                "data_uris": info.data_uri_bytes,
                "widget_state": info.widget_state_bytes,
                "animations": info.animations,
                "explorer_data": explorer_bytes,
                "total": html_bytes + image_bytes + explorer_bytes,
            }
        )
    return SiteReport(weights=weights, broken=broken, external=external)


def format_weights(weights: list[dict]) -> str:
    kib = lambda n: f"{n / 1024:,.0f}"  # noqa: E731
    header = (
        f"{'page':<36} {'HTML KiB':>9} {'data URIs':>9} {'widgets':>8} {'images (n)':>11} "
        f"{'anims':>5} {'explorer data':>13} {'total KiB':>10}  budget"
    )
    lines = [header, "-" * len(header)]
    for w in sorted(weights, key=lambda w: -w["total"]):
        status = "OVER" if w["total"] > budget(w["page"]) else f"{100 * w['total'] / budget(w['page']):.0f}%"
        images = f"{kib(w['images'])} ({w['n_images']})"
        lines.append(
            f"{w['page']:<36} {kib(w['html']):>9} {kib(w['data_uris']):>9} {kib(w['widget_state']):>8} "
            f"{images:>11} {w['animations']:>5} {kib(w['explorer_data']):>13} {kib(w['total']):>10}  {status}"
        )
    lines.append(
        f"(total = HTML, which includes the data URIs of animations, plus the page's own images and "
        f"its explorers' data; budget: {BUDGET_BYTES:,} bytes a book page, {DECK_BUDGET_BYTES:,} a deck)"
    )
    return "\n".join(lines)


def write_reports(report: SiteReport, report_dir: Path) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "page-weights.txt").write_text(format_weights(report.weights) + "\n")
    (report_dir / "page-weights.json").write_text(json.dumps(report.weights, indent=1) + "\n")
    lines = [f"{len(report.external)} external URLs (listed, not fetched; no network here)", ""]
    for url in sorted(report.external):
        pages = sorted(set(report.external[url]))
        lines.append(url)
        lines.extend(f"    {p}" for p in pages)
    (report_dir / "external-links.txt").write_text("\n".join(lines) + "\n")
    internal = ["broken internal links:" if report.broken else "no broken internal links"]
    internal.extend(f"  {b}" for b in report.broken)
    (report_dir / "internal-links.txt").write_text("\n".join(internal) + "\n")


def main(argv=None) -> int:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=root / "_build" / "html")
    parser.add_argument("--report", type=Path, default=root / "_build" / "site-report")
    args = parser.parse_args(argv)
    report = check_site(args.html)
    write_reports(report, args.report)
    print(format_weights(report.weights))
    print(f"{len(report.external)} external URLs listed in {args.report / 'external-links.txt'}")
    for b in report.broken:
        print(f"BROKEN {b}", file=sys.stderr)
    for w in report.over_budget:
        print(f"OVER BUDGET {w['page']}: {w['total']:,} bytes > {budget(w['page']):,}", file=sys.stderr)
    if report.ok:
        print(f"site check: {len(report.weights)} pages, all under budget, no broken internal link")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
