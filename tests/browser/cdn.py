"""Serve the built pages' CDN files from local npm copies, for the browser tests.

The pages load MathJax 3, require.js, the Jupyter widgets HTML manager and
(in matplotlib's animation players) Font Awesome 4 from public CDNs. This
machine reaches no CDN, so the tests intercept those requests in the browser
(``BrowserContext.route``) and answer them from ``node_modules/`` (installed by
``npm ci`` from the committed ``package-lock.json``). The built site itself is
never changed and keeps its CDN URLs for real readers.

A request for a CDN file whose package or version is not installed is refused
and recorded, so a page that starts asking for something new fails loudly
instead of silently missing a script.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

for _ext, _type in {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
    ".svg": "image/svg+xml",
    ".js": "text/javascript",
    ".map": "application/json",
}.items():
    mimetypes.add_type(_type, _ext)

# cdnjs names its libraries differently from npm, and serves minified names.
CDNJS_LIBRARIES = {"require.js": ("requirejs", {"require.min.js": "require.js"})}
# Hosts that serve npm packages as /<name>@<version>/<path> (after a prefix).
NPM_MIRRORS = {"cdn.jsdelivr.net": "/npm/", "unpkg.com": "/"}
_NPM_PATH = re.compile(r"^(?P<name>(?:@[^/@]+/)?[^/@]+)@(?P<spec>[^/]+)/(?P<path>.*)$")


class CdnError(LookupError):
    """A CDN request that the local npm copies cannot answer."""


def version_matches(spec: str, installed: str) -> bool:
    """Whether an installed version satisfies the version in a CDN URL.

    CDN URLs pin either an exact version (``1.0.6``) or a prefix (``3``, ``3.2``).

    >>> version_matches("3", "3.2.2"), version_matches("1.0.6", "1.0.6")
    (True, True)
    >>> version_matches("1.0.6", "1.0.7"), version_matches("3", "30.0.0")
    (False, False)
    """
    spec = spec.lstrip("^~=v")
    return installed == spec or installed.startswith(spec + ".")


@dataclass
class LocalCdn:
    """Maps CDN URLs to files of ``node_modules``."""

    node_modules: Path
    served: dict[str, Path] = field(default_factory=dict)

    def _package_dir(self, name: str, spec: str, url: str) -> Path:
        package_dir = self.node_modules / name
        manifest = package_dir / "package.json"
        if not manifest.is_file():
            raise CdnError(
                f"{url}: npm package {name!r} is not installed in {self.node_modules}; "
                f"add {name}@{spec} to package.json and run `make node-modules`"
            )
        installed = json.loads(manifest.read_text())["version"]
        if not version_matches(spec, installed):
            raise CdnError(
                f"{url}: the page asks for {name}@{spec} but node_modules has {installed}; "
                f"pin {name}@{spec} in package.json (npm install --save-exact) so the test serves "
                "what readers get"
            )
        return package_dir

    def resolve(self, url: str) -> Path:
        """The local file that answers ``url``; CdnError if there is none."""
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path
        if host in NPM_MIRRORS and path.startswith(NPM_MIRRORS[host]):
            match = _NPM_PATH.match(path[len(NPM_MIRRORS[host]) :])
            if match:
                package_dir = self._package_dir(match["name"], match["spec"], url)
                return self._file(package_dir / match["path"], url)
        if host == "cdnjs.cloudflare.com" and path.startswith("/ajax/libs/"):
            library, version, rest = path[len("/ajax/libs/") :].split("/", 2)
            if library in CDNJS_LIBRARIES:
                name, renames = CDNJS_LIBRARIES[library]
                package_dir = self._package_dir(name, version, url)
                return self._file(package_dir / renames.get(rest, rest), url)
        if host == "maxcdn.bootstrapcdn.com" and path.startswith("/font-awesome/"):
            version, rest = path[len("/font-awesome/") :].split("/", 1)
            package_dir = self._package_dir("font-awesome", version, url)
            return self._file(package_dir / rest, url)
        raise CdnError(f"{url}: no local copy for this external URL (not fetched: no network)")

    def _file(self, path: Path, url: str) -> Path:
        if not path.is_file():
            raise CdnError(f"{url}: {path} does not exist in the installed npm package")
        self.served[url] = path
        return path

    def fulfill(self, route) -> None:
        """Playwright route handler body: answer from node_modules (raises CdnError)."""
        path = self.resolve(route.request.url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        route.fulfill(
            status=200,
            body=path.read_bytes(),
            headers={
                "content-type": content_type,
                # The pages load some of these with crossorigin="anonymous".
                "access-control-allow-origin": "*",
            },
        )


_SCRIPT_WITH_INTEGRITY = re.compile(r"<script\b[^>]*\bintegrity=\"([^\"]+)\"[^>]*>")
_SRC = re.compile(r"\bsrc=\"([^\"]+)\"")


def sri_digest(data: bytes, algorithm: str) -> str:
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def relax_integrity(html: str, cdn: LocalCdn) -> tuple[str, list[str]]:
    """Drop the ``integrity`` attribute of CDN scripts whose local copy differs.

    The pages pin cdnjs's ``require.min.js`` by hash; npm ships the same
    release unminified, so the hash cannot match. Only a script served from
    the local copies and whose copy does not match the hash loses its
    attribute; everything else in the page is left as built.
    Returns the new HTML and a note for every attribute removed.
    """
    notes = []

    def fix(match: re.Match) -> str:
        tag, integrity = match.group(0), match.group(1)
        src = _SRC.search(tag)
        if not src:
            return tag
        try:
            local = cdn.resolve(src.group(1))
        except CdnError:
            return tag
        data = local.read_bytes()
        for token in integrity.split():
            algorithm, _, expected = token.partition("-")
            if algorithm in ("sha256", "sha384", "sha512") and sri_digest(data, algorithm) == expected:
                return tag
        notes.append(f"integrity of {src.group(1)} relaxed (served from {local})")
        return tag.replace(f' integrity="{integrity}"', "")

    return _SCRIPT_WITH_INTEGRITY.sub(fix, html), notes
