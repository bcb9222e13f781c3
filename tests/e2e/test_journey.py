"""A learner's journey in a real Chromium, done the way a person would: links, forms,
the keyboard; with and without JavaScript. Every page visited is checked with axe."""
from __future__ import annotations

import re
import uuid
from typing import Any, Callable

import pytest
from playwright.sync_api import expect

from .conftest import EXAMPLE_BANK, LiveServer, assert_accessible

pytestmark = pytest.mark.e2e

BANK_TITLE = "Example bank — every question type"
BANK_PATH = f"/banks/{EXAMPLE_BANK}"


def _path(live_server: LiveServer, path: str) -> re.Pattern[str]:
    """A URL pattern for one path of the live server (query string allowed)."""
    return re.compile("^" + re.escape(live_server(path)) + r"(\?.*)?(#.*)?$")


def _header(page: Any) -> Any:
    return page.get_by_role("navigation", name="Main")


def _question_count(page: Any) -> int:
    match = re.match(r"\s*(\d+) questions", page.locator("p.count").first.inner_text())
    assert match, "the bank page does not say how many questions it has"
    return int(match.group(1))


# --- the whole journey --------------------------------------------------------------

def test_register_logout_login_and_study_a_bank(page: Any, live_server: LiveServer) -> None:
    email, password = f"journey-{uuid.uuid4().hex[:8]}@example.org", "a long enough password"

    # The catalog, as a visitor.
    page.goto("/banks")
    expect(page).to_have_title(re.compile("^Question banks"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Question banks")
    expect(page.get_by_role("link", name=BANK_TITLE)).to_be_visible()
    assert_accessible(page)

    # Register: first with mistakes, then properly.
    _header(page).get_by_role("link", name="Register").click()
    expect(page).to_have_url(_path(live_server, "/auth/register"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    assert_accessible(page)

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("different")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Use at least 8 characters.")).to_be_visible()
    expect(page.get_by_text("The passwords differ.")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Repeat the password")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_value(email)  # kept, not retyped
    assert_accessible(page)

    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(_path(live_server, "/"))
    expect(page.get_by_role("status")).to_contain_text("Welcome! Your account is ready.")
    expect(_header(page).get_by_role("button", name="Log out")).to_be_visible()
    expect(_header(page).get_by_role("link", name="Register")).to_have_count(0)
    assert_accessible(page)

    # Log out (a POST form button in the header).
    _header(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    expect(_header(page).get_by_role("button", name="Log out")).to_have_count(0)
    expect(_header(page).get_by_role("link", name="Log in")).to_be_visible()

    # Log in again.
    _header(page).get_by_role("link", name="Log in").click()
    expect(page).to_have_url(_path(live_server, "/auth/login"))
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(_path(live_server, "/"))
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")
    expect(_header(page).get_by_role("button", name="Log out")).to_be_visible()

    # From the catalog to the bank.
    page.get_by_role("link", name=BANK_TITLE).click()
    expect(page).to_have_url(_path(live_server, BANK_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text(BANK_TITLE)
    questions = page.locator("ol.question-list > li")
    total = _question_count(page)
    assert total > 0
    expect(questions).to_have_count(total)
    expect(page.get_by_text("Which central Malian town did jihadist fighters overrun")).to_be_visible()
    assert_accessible(page)

    # Study it: its first flashcard opens; then find the bank on the account page.
    page.get_by_role("button", name="Study as flashcards").click()
    expect(page).to_have_url(_path(live_server, "/study"))
    expect(page.locator("#card-front")).to_be_visible()
    assert_accessible(page)
    _header(page).get_by_role("link", name="Account").click()
    expect(page).to_have_url(_path(live_server, "/account"))
    expect(page.get_by_text(email)).to_be_visible()
    expect(page.locator("ul.study-list").get_by_role("link", name=BANK_TITLE)).to_be_visible()
    assert_accessible(page)

    # A page that does not exist.
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Back to the catalog")).to_be_visible()
    assert_accessible(page)


# --- the keyboard alone -------------------------------------------------------------

def _active(page: Any) -> dict[str, str]:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id || '', text: (el.textContent || '').trim(),
                outline: getComputedStyle(el).outlineStyle};
    }""")


def _tab_to(page: Any, accept: Callable[[dict[str, str]], bool], what: str, limit: int = 60) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = _active(page)
        if accept(active):
            return active
    pytest.fail(f"{what} was not reached with {limit} presses of Tab", pytrace=False)


def test_keyboard_only_login_and_study(page: Any, live_server: LiveServer,
                                       user: Callable[..., tuple[str, str]]) -> None:
    email, password = user()
    page.goto("/auth/login")

    # The first Tab reaches the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"the focused skip link is off screen: {box}"
    assert _active(page)["outline"] != "none", "the focused skip link has no visible focus outline"

    # Enter follows it: focus moves to <main>, so the next Tab is the form's first field.
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(_path(live_server, "/"))
    expect(_header(page).get_by_role("button", name="Log out")).to_be_visible()

    # Tab to the bank, Enter; Tab to "Study as flashcards", Enter: the first card shows.
    _tab_to(page, lambda a: a["tag"] == "a" and a["text"] == BANK_TITLE, "the bank's link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(_path(live_server, BANK_PATH))
    active = _tab_to(page, lambda a: a["tag"] == "button" and a["text"] == "Study as flashcards",
                     "the “Study as flashcards” button")
    assert active["outline"] != "none", "the focused button has no visible focus outline"
    page.keyboard.press("Enter")
    expect(page.locator("#card-front")).to_be_visible()


# --- without JavaScript, and with htmx ----------------------------------------------

def test_study_as_flashcards_works_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        posts: list[tuple[str, int]] = []
        page.on("response", lambda r: posts.append((r.url, r.status)) if r.request.method == "POST" else None)
        page.goto(BANK_PATH)
        expect(page.get_by_role("heading", level=1)).to_have_text(BANK_TITLE)

        with page.expect_navigation():
            page.get_by_role("button", name="Study as flashcards").click()

        assert posts == [(live_server(f"{BANK_PATH}/study"), 303)], posts
        expect(page).to_have_url(_path(live_server, "/study"))
        expect(page.locator("#card-front")).to_be_visible()
        assert_accessible(page)

        # The visitor became a guest, who has the bank on their list.
        page.goto(BANK_PATH)
        expect(page.locator("#study-action + .more")).to_contain_text("On your study list")
        _header(page).get_by_role("link", name="Guest").click()
        expect(page.locator("ul.study-list").get_by_role("link", name=BANK_TITLE)).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


# --- nothing leaves the site ---------------------------------------------------------

def test_no_request_goes_to_another_host(context: Any, live_server: LiveServer) -> None:
    requests: list[str] = []
    problems: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    missing = live_server("/no-such-page")

    def on_console(message: Any) -> None:
        # The one expected error: Chromium logs the deliberate 404 below.
        if message.type == "error" and not (message.location.get("url") == missing
                                            and "status of 404" in message.text):
            problems.append(f"console {message.type}: {message.text} at {message.location.get('url')}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    page.goto("/")
    page.get_by_role("link", name=BANK_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BANK_TITLE)
    page.get_by_role("button", name="Study as flashcards").click()
    page.locator("#reveal").click()
    expect(page.locator(".grade-buttons")).to_be_visible()
    for path in ("/auth/register", "/auth/login", "/account", "/no-such-page"):
        page.goto(path)
    page.wait_for_load_state("networkidle")

    assert requests, "no request was recorded"
    assert any("/static/" in url for url in requests), "the stylesheet and script were not requested"
    outside = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert outside == [], f"requests to other hosts: {outside}"
    assert problems == [], "errors in the browser console (a CSP violation?):\n" + "\n".join(problems)
