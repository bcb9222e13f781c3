"""Static files: fingerprinted URLs cached for a year, plain or stale names revalidated, pages compressed."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask import Flask, url_for
from flask.testing import FlaskClient

from quiz.web.assets import fingerprinted_name


from .test_quiz import banks, start  # noqa: F401  (banks is a fixture: the example bank, so the catalog has content)

ASSET_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def fetch(client: FlaskClient, url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a response, closed (a static file is streamed from disk)."""
    with client.get(url, headers=headers) as response:
        return response.status_code, dict(response.headers), response.get_data()


def test_pages_link_static_files_by_content_hash(client: FlaskClient, banks: None) -> None:
    attempt_id = start(client)  # a quiz question: a page that uses every kind of static file
    html = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    urls = ASSET_URL.findall(html)
    assert any(re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", u) for u in urls), urls
    assert any(re.fullmatch(r"/static/quiz\.[0-9a-f]{12}\.js", u) for u in urls), urls
    assert any(re.fullmatch(r"/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js", u) for u in urls), urls
    for url in urls:
        status, headers, _ = fetch(client, url)
        assert status == 200, url
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", url


def test_htmx_is_left_out_of_pages_that_do_not_use_it(client: FlaskClient, banks: None) -> None:
    catalog = client.get("/").get_data(as_text=True)
    assert 'hx-post="' not in catalog and 'hx-get="' not in catalog
    assert "/static/vendor/htmx" not in catalog
    assert 'src="/static/quiz.' in catalog  # the app's own script stays
    attempt_id = start(client)
    question = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    assert 'hx-post="' in question
    assert re.search(r'<script src="/static/vendor/htmx-[^"]+" defer data-if-used>', question)
    fragment = client.get(f"/quiz/{attempt_id}/q/0", headers={"HX-Request": "true"})
    assert fragment.status_code == 200  # fragments (no script tag) are left as they are


def test_a_plain_or_stale_name_gets_the_current_file_revalidated(client: FlaskClient) -> None:
    css = re.search(r'href="(/static/css/app[^"]+)"', client.get("/").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    current = fetch(client, css)[2]
    for url in ("/static/css/app.css", "/static/css/app.000000000000.css"):
        status, headers, body = fetch(client, url)
        assert status == 200
        assert headers["Cache-Control"] == "no-cache"
        assert body == current
    assert fetch(client, "/static/nothing.0123456789ab.css")[0] == 404
    assert fetch(client, "/static/../quiz/config.py")[0] == 404


def test_the_url_changes_when_the_file_changes(app: Flask, tmp_path: Path) -> None:
    app.static_folder = str(tmp_path)
    (tmp_path / "site.css").write_text("body { color: black; }")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        assert first == url_for("static", filename="site.css")  # stable while the file is unchanged
        (tmp_path / "site.css").write_text("body { color: darkblue; }")
        second = url_for("static", filename="site.css")
    assert first != second
    assert re.fullmatch(r"/static/site\.[0-9a-f]{12}\.css", second)
    client = app.test_client()
    assert fetch(client, second)[1]["Cache-Control"].endswith("immutable")
    _, headers, body = fetch(client, first)
    assert headers["Cache-Control"] == "no-cache"  # the old URL is no longer cached…
    assert body == b"body { color: darkblue; }"  # …and gives the current file


def test_fingerprinted_names() -> None:
    assert fingerprinted_name("app.css", "abc") == "app.abc.css"
    assert fingerprinted_name("vendor/htmx-2.0.11.min.js", "abc") == "vendor/htmx-2.0.11.min.abc.js"
    assert fingerprinted_name("LICENSE", "abc") == "LICENSE.abc"


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" type="hidden" value="[^"]+"', b"", html)


def test_pages_and_static_files_are_compressed_for_browsers_that_accept_it(client: FlaskClient, banks: None) -> None:
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    # The page is the same but for its CSRF tokens, which carry a timestamp (seconds).
    assert _without_tokens(gzip.decompress(zipped.data)) == _without_tokens(plain.data)
    assert len(zipped.data) < len(plain.data) / 2
    css = re.search(r'href="(/static/css/app[^"]+)"', plain.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    status, headers, body = fetch(client, css, **{"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert len(body) < len(fetch(client, css)[2]) / 2
