"""What the first page costs a visitor in Chromium: bytes on the wire, requests, caching, htmx."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from .conftest import LiveServer

pytestmark = pytest.mark.e2e

FIRST_PAGE_BUDGET = 30 * 1024  # bytes transferred, headers included


def transferred(page: Any, path: str) -> dict[str, tuple[int, str | None]]:
    """url -> (bytes transferred, content encoding) for every response while loading the page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    encodings: dict[str, str | None] = {}
    sizes: dict[str, int] = {}

    def received(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["response"]["url"]
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        encodings[event["requestId"]] = headers.get("content-encoding")

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(path, wait_until="networkidle")
    return {urls[rid]: (size, encodings.get(rid)) for rid, size in sizes.items() if rid in urls}


def test_the_first_page_is_light_compressed_and_without_htmx(page: Any, live_server: LiveServer) -> None:
    loaded = transferred(page, "/")
    total = sum(size for size, _ in loaded.values())
    assert total <= FIRST_PAGE_BUDGET, loaded
    assert all(encoding in ("br", "zstd", "gzip") for _, encoding in loaded.values()), loaded
    assert not any("htmx" in url for url in loaded), loaded  # the catalog does not use it
    assert page.evaluate("() => typeof window.htmx") == "undefined"


def test_htmx_comes_on_pages_that_use_it_and_static_files_come_from_the_cache(page: Any,
                                                                             live_server: LiveServer) -> None:
    transferred(page, "/")
    page.get_by_role("button", name="Start a 10-question quiz").click()  # a quiz question uses htmx
    page.wait_for_selector("form.quiz-item")
    loaded = transferred(page, urlparse(page.url).path)
    assert any("htmx" in url for url in loaded), loaded
    page.wait_for_function("() => typeof window.htmx === 'object'")
    statics = [url for url in loaded if "/static/" in url and "htmx" not in url]
    assert statics and all(loaded[url][0] == 0 for url in statics), loaded  # immutable: not asked again
