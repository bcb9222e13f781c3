"""The reference pages in a real Chromium: reached from the home page, filtered, followed to a quiz
or a study deck (with and without JavaScript), printed without their buttons, and axe-clean in light
and dark mode."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.services.banks import sync_banks
from tests.conftest import ROOT

from .conftest import TIMEOUT_MS, LiveServer, assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", autouse=True)
def mali(live_server: LiveServer) -> Iterator[None]:
    with live_server.app.app_context():
        sync_banks([ROOT / "questions"], datetime.now(timezone.utc))
        db.session.remove()
    yield


@pytest.fixture
def no_js_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx.new_page()
    ctx.close()


def test_timeline_from_the_home_page_filtered_and_printed(page: Any) -> None:
    page.goto("/")
    page.get_by_role("region", name="Explore the story").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    expect(page.locator("#prisoner-release")).to_contain_text("also dated November 2020")
    page.get_by_label("From year").fill("2020")
    page.get_by_label("Bank").select_option(label="Mali 2012–2021: chronology")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("of")
    years = page.locator("section.year h2").all_inner_texts()
    assert years and all(year >= "2020" for year in years)
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".entry-actions").first).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator(".entry").first).to_be_visible()


def test_glossary_letters_lead_to_their_entries(page: Any) -> None:
    page.goto("/glossary")
    page.get_by_role("navigation", name="Glossary letters").get_by_role("link", name="M", exact=True).click()
    assert page.url.endswith("#letter-M")
    expect(page.locator("#mnla")).to_contain_text("Mouvement National de la Libération Azawad")
    assert_accessible(page)


def test_people_study_these_cards_opens_the_deck(page: Any) -> None:
    page.goto("/people")
    expect(page.locator("#le-drian")).to_contain_text("French foreign minister")
    assert_accessible(page)
    page.get_by_role("link", name="Study these cards about François Hollande").click()
    expect(page.get_by_text("About François Hollande").first).to_be_visible()


def test_places_quiz_me_on_this_without_javascript(no_js_page: Any) -> None:
    page = no_js_page
    page.goto("/places")
    expect(page.locator("#konna")).to_contain_text("Konna")
    assert_accessible(page)
    page.get_by_role("button", name="Quiz me on this about Konna").click()
    expect(page).to_have_title("About Konna — question 1 · Cairn")
