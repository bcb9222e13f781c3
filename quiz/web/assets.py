"""Static files as browsers should get them: fingerprinted, cached for a year, compressed.

`url_for('static', filename='app.css')` gives `/static/app.<hash>.css`, where the hash is
taken from the file's content: a changed file gets a new URL, so the old one can be cached
for a year as immutable. A request for the plain name, or for a hash that is no longer
current (a page cached before a deploy), gets the current file with `no-cache`.
A script tag marked `data-if-used` (htmx, in base.html) is left out of a page whose HTML
has no htmx attribute, so pages that do not use htmx do not download it.
Responses (pages and static files) are compressed with zstd, brotli or gzip, whichever the
browser accepts (Flask-Compress).
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Any

from flask import Flask, current_app, send_from_directory
from flask_compress import Compress
from werkzeug import Response

YEAR_SECONDS = 365 * 24 * 60 * 60
IMMUTABLE = f"public, max-age={YEAR_SECONDS}, immutable"
HASH_LENGTH = 12
_FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{%d})(?P<ext>\.[A-Za-z0-9]+)$" % HASH_LENGTH)

compress = Compress()
# <script … data-if-used></script>, and an htmx attribute (in text, a quote would be escaped)
_IF_USED_SCRIPT = re.compile(rb'[ \t]*<script [^>]*\bdata-if-used\b[^>]*></script>\n?')
_HTMX_ATTRIBUTE = re.compile(rb'\s(?:data-)?hx-(?:get|post|put|patch|delete|boost|ext)="')  # ext: the sse extension


def fingerprinted_name(filename: str, digest: str) -> str:
    """`dir/name.ext` with the digest before the extension: `dir/name.<digest>.ext`."""
    head, _, name = filename.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    fingerprinted = f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"
    return f"{head}/{fingerprinted}" if head else fingerprinted


class Fingerprints:
    """Content hashes of the files in a folder, recomputed when a file's size or time changes."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int], str]] = {}
        self._lock = threading.Lock()

    def digest(self, folder: str, filename: str) -> str | None:
        """The file's content hash (hex, shortened), or None when there is no such file."""
        path = Path(folder) / filename
        try:
            stat = path.stat()
        except (OSError, ValueError):
            return None
        if not path.is_file():
            return None
        key = f"{folder}\0{filename}"
        version = (stat.st_mtime_ns, stat.st_size)
        known = self._known.get(key)
        if known is not None and known[0] == version:
            return known[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
        with self._lock:
            self._known[key] = (version, digest)
        return digest

    def url_name(self, folder: str, filename: str) -> str:
        """The name to put in a URL: fingerprinted when the file exists."""
        digest = self.digest(folder, filename)
        return fingerprinted_name(filename, digest) if digest else filename

    def resolve(self, folder: str, requested: str) -> tuple[str, bool]:
        """The file a requested name stands for, and whether the request named its current hash."""
        match = _FINGERPRINTED.match(requested)
        if match:
            original = match["stem"] + match["ext"]
            digest = self.digest(folder, original)
            if digest is not None:
                return original, digest == match["hash"]
        return requested, False


def _static_folder(app: Flask) -> str:
    assert app.static_folder is not None
    return os.fspath(app.static_folder)


def _fingerprint_url(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        fingerprints: Fingerprints = current_app.extensions["fingerprints"]
        values["filename"] = fingerprints.url_name(_static_folder(current_app), values["filename"])


def serve_static(filename: str) -> Response:
    """A static file: cached for a year when asked for by its current fingerprint, else revalidated."""
    fingerprints: Fingerprints = current_app.extensions["fingerprints"]
    original, current = fingerprints.resolve(_static_folder(current_app), filename)
    response = send_from_directory(_static_folder(current_app), original)
    response.headers["Cache-Control"] = IMMUTABLE if current else "no-cache"
    # Read into memory (static files are small) so that compression sends a Content-Length
    # and the file is closed with the response.
    response.direct_passthrough = False
    response.make_sequence()
    return response


def drop_unused_scripts(response: Response) -> Response:
    """Leave the `data-if-used` script (htmx) out of an HTML page that has no htmx attribute."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    html = response.get_data()
    if not _HTMX_ATTRIBUTE.search(html):
        stripped = _IF_USED_SCRIPT.sub(b"", html)
        if stripped != html:
            response.set_data(stripped)
    return response


def init_app(app: Flask) -> None:
    app.extensions["fingerprints"] = Fingerprints()
    app.url_defaults(_fingerprint_url)
    app.view_functions["static"] = serve_static
    app.config.setdefault("COMPRESS_ALGORITHM", ["zstd", "br", "gzip"])
    compress.init_app(app)
    app.after_request(drop_unused_scripts)  # registered after compression, so it runs before it
