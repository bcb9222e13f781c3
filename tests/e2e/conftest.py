"""Browser tests: a live server on a throw-away database and a real Chromium.

The server runs the app in a thread of the test process, on the same database the rest
of the suite uses (SQLite, or PostgreSQL when QUIZ_TEST_DATABASE_URL is set), with the
example bank loaded. Chromium is the system one (/usr/bin/chromium, or QUIZ_CHROMIUM);
without it the browser tests are skipped, unless QUIZ_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""
from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from quiz import create_app
from quiz.config import TestConfig
from quiz.extensions import db
from quiz.services import accounts
from quiz.services.banks import sync_banks
from tests.conftest import ROOT, database_url

CHROMIUM = os.environ.get("QUIZ_CHROMIUM") or "/usr/bin/chromium"
# See /work/shared/TESTING.md: without the background-networking flags Chromium keeps
# trying to reach the (closed) network.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLE_BANK = "examples"
TIMEOUT_MS = 10_000


def _no_browser(what: str, fix: str) -> None:
    """Skip, or fail when CI said a browser must be there (QUIZ_REQUIRE_BROWSER=1)."""
    if os.environ.get("QUIZ_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} ({fix}); QUIZ_REQUIRE_BROWSER=1, so the browser tests must run", pytrace=False)
    pytest.skip(f"{what}: browser tests skipped ({fix})")


# --- the browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, headless. Module-scoped so that Playwright's event loop is gone before
    the rest of the suite runs."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"Chromium is not installed at {CHROMIUM}", "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras include it
        _no_browser("The Python package playwright is missing", "pip install -e '.[test]'")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


# --- the live server ---------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # keep the test output readable; errors are still logged


@dataclass
class LiveServer:
    url: str
    app: Flask

    def __call__(self, path: str = "/") -> str:
        return self.url + path


STREAM_SECONDS = 8.0


@pytest.fixture(scope="module")
def live_server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1 (random port) with the example bank loaded.

    Module-scoped (not session) on purpose: in the PostgreSQL run every test shares one
    database and the other tests drop all tables, so these tables live only while this
    module's tests run. Depends on `browser` so that no server starts when tests skip.
    """
    tmp = tmp_path_factory.mktemp("e2e")
    config = TestConfig(database_url(tmp), tmp / "instance")
    # Live-game event streams end (and browsers reconnect, as after a lost connection) within
    # this many seconds, so that the teardown below can wait for their threads.
    config.GAME_STREAM_SECONDS = STREAM_SECONDS
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_banks([ROOT / "questions" / "examples"], datetime.now(timezone.utc))
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        # An event stream's thread outlives the browser until its next write or its end: wait for
        # it, or it would open a connection to the pool disposed below (left open, a
        # ResourceWarning later, in another module's test).
        for handler in [t for t in threading.enumerate() if "process_request_thread" in t.name]:
            handler.join(timeout=STREAM_SECONDS + 5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # no pooled connection left over from the server's threads
            db.drop_all()
            db.engine.dispose()


# --- per test ----------------------------------------------------------------------

@pytest.fixture
def context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context (own cookies) for each test; JavaScript on."""
    ctx = browser.new_context(base_url=live_server.url)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def user(live_server: LiveServer) -> Callable[..., tuple[str, str]]:
    """Factory: a registered learner, made directly in the database; returns (email, password)."""

    def make(password: str = "correct horse battery") -> tuple[str, str]:
        email = f"user-{uuid.uuid4().hex[:10]}@example.org"
        with live_server.app.app_context():
            accounts.create_user(email, password, "learner")
            db.session.remove()
        return email, password

    return make


def log_in(page: Any, email: str, password: str) -> None:
    """Log in through the form, as a user does, and wait for the confirmation."""
    from playwright.sync_api import expect

    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")


# --- accessibility -----------------------------------------------------------------

COLOR_SCHEMES = ("light", "dark")  # every page is checked in both (prefers-color-scheme)


def _scripts_run(page: Any) -> bool:
    """Whether the page runs timers: not in a context made with java_script_enabled=False,
    where axe.run() would wait forever (page.evaluate itself still works there)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function("() => new Promise(done => setTimeout(() => done(true), 0))", timeout=500)
    except PlaywrightTimeoutError:
        return False
    return True


def axe_violations(page: Any, color_scheme: str = "light") -> list[dict[str, Any]]:
    """axe-core's violations on the current page (all impacts), in a light or dark colour scheme.

    axe is injected with page.evaluate (the page's CSP allows only its own scripts, so
    add_script_tag would be refused). On a page whose context has JavaScript disabled
    axe cannot run, so the page's current HTML is checked instead in a fresh context
    with JavaScript on, served at the same address (its stylesheet loads as usual).
    """
    from axe_playwright_python.sync_playwright import Axe

    if _scripts_run(page):
        page.emulate_media(color_scheme=color_scheme)
        try:
            return list(Axe().run(page).response["violations"])
        finally:
            page.emulate_media(color_scheme="light")  # the contexts' default
    url, html = page.url, page.content()
    browser = page.context.browser
    assert browser is not None
    snapshot = browser.new_context(color_scheme=color_scheme)
    try:
        snapshot.route(lambda u: u == url, lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=html))
        copy = snapshot.new_page()
        copy.goto(url)
        return list(Axe().run(copy).response["violations"])
    finally:
        snapshot.close()


def assert_accessible(page: Any) -> None:
    """Fail listing every axe violation, whatever its impact, on the current page in light
    and in dark mode."""
    blocking = [(scheme, v) for scheme in COLOR_SCHEMES for v in axe_violations(page, scheme)]
    if blocking:
        lines = [f"{len(blocking)} accessibility violation(s) on {page.url}:"]
        for scheme, v in blocking:
            targets = v["nodes"][0]["target"] if v.get("nodes") else []
            lines.append(f"  - [{scheme}] {v['id']} ({v['impact']}): {v.get('help', '')}; "
                         f"{len(v.get('nodes', []))} node(s), first: {targets}")
        pytest.fail("\n".join(lines), pytrace=False)


def wait_settled(page: Any) -> None:
    """Wait until the page has loaded and htmx has finished settling a swap: htmx wires up
    swapped-in content ~20 ms after the swap, and a key pressed before that follows the
    plain link or form (a full page load) instead of the htmx request."""
    page.wait_for_function("() => document.readyState === 'complete' && "
                           "!document.querySelector('.htmx-added, .htmx-settling, .htmx-request')")
