"""The demo class in a real Chromium: a newcomer runs `classes demo`, logs in as the teacher it
prints and opens the gradebook, an item analysis, the mastery map and a bank's lint; every
page is checked with axe, and the item analysis is read without JavaScript too."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.services.banks import sync_banks
from tests.conftest import ROOT

from .conftest import LiveServer, assert_accessible, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_login(live_server: LiveServer) -> Iterator[tuple[str, str, list[str]]]:
    """`flask classes demo` on the live server's database: (email, password, the paths it prints)."""
    with live_server.app.app_context():
        sync_banks([ROOT / "questions"], datetime.now(timezone.utc))
        db.session.remove()
    result = live_server.app.test_cli_runner().invoke(args=["classes", "demo"])
    assert result.exit_code == 0, result.output
    email = re.search(r"email:\s+(\S+)", result.output).group(1)  # type: ignore[union-attr]
    password = re.search(r"password:\s+(\S+)", result.output).group(1)  # type: ignore[union-attr]
    yield email, password, re.findall(r"^\s+(/classes/\S+)", result.output, re.M)


def test_a_newcomer_sees_the_demo_class_gradebook_analysis_and_mastery(
        page: Any, live_server: LiveServer, demo_login: tuple[str, str, list[str]]) -> None:
    email, password, paths = demo_login
    log_in(page, email, password)

    page.goto("/classes/")
    page.get_by_role("link", name="History 9B (demo)").first.click()
    page.get_by_role("navigation", name="Class").get_by_role("link", name="Gradebook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gradebook — History 9B (demo)")
    expect(page.locator("table.gradebook tbody tr")).to_have_count(30)
    assert_accessible(page)

    # from the gradebook to an assignment, then its item analysis
    page.get_by_role("link", name="Details of Who did what: homework").click()
    page.get_by_role("link", name="Item analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Item analysis: Who did what: homework")
    expect(page.locator("table.analysis-table").first.locator("tbody tr")).to_have_count(12)
    expect(page.get_by_role("img", name=re.compile("Facility index per question"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Discrimination index per question"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="all attempts").click()
    expect(page.get_by_role("link", name="all attempts")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    page.get_by_role("navigation", name="Class").get_by_role("link", name="Mastery").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mastery — History 9B (demo)")
    expect(page.locator("table.mastery-heatmap tbody tr")).to_have_count(30)
    assert_accessible(page)
    page.get_by_role("link", name="by tag").click()
    expect(page.get_by_role("link", name="by tag")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    # the bank's authors see how its questions did
    page.goto("/banks/mali-who-did-what")
    expect(page.get_by_role("heading", name="How the questions did in classes")).to_be_visible()
    expect(page.locator(".bank-lint")).to_contain_text("questions/mali/who-did-what.yaml:")
    assert_accessible(page)
    assert any(path.endswith("/mastery") for path in paths)


def test_the_item_analysis_reads_without_javascript(browser: Any, live_server: LiveServer,
                                                    demo_login: tuple[str, str, list[str]]) -> None:
    email, password, paths = demo_login
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, email, password)
        analysis = next(p for p in paths if p.endswith("/analysis"))
        page.goto(analysis)
        expect(page.get_by_role("heading", name="Per question", exact=True)).to_be_visible()
        expect(page.get_by_role("img", name=re.compile("Facility index per question"))).to_be_visible()
        expect(page.locator("caption", has_text="Data of the chart: facility index per question")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
