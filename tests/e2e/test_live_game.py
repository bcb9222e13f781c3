"""A live game in a real Chromium: a host and three players (separate browser contexts: a
desktop, a phone-sized one, one without JavaScript) play three questions to the podium; one
player reloads mid-question and carries on; axe on the host, lobby, question and podium pages."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

from quiz.extensions import db
from quiz.services import accounts
from quiz.services.banks import sync_banks

from .conftest import LiveServer, assert_accessible, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
BANK = """id: e2e-live
title: Live game check
language: en
sources:
  s1: {title: A source, publisher: A publisher, date: 2013-01-12}
questions:
  - id: live-1
    type: mcq
    prompt: Which town fell first?
    answer: Konna
    distractors: [Gao, Kidal, Tessalit]
    explanation: Konna fell on 10 January 2013.
    source: {id: s1, paragraph: 1}
  - id: live-2
    type: truefalse
    prompt: Operation Serval began in 2013.
    answer: true
    explanation: It began on 11 January 2013.
    source: {id: s1, paragraph: 2}
  - id: live-3
    type: mcq
    prompt: Which operation followed Serval?
    answer: Barkhane
    distractors: [Sabre, Epervier]
    explanation: Barkhane took over in August 2014.
    source: {id: s1, paragraph: 3}
"""


@pytest.fixture
def host_account(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[str, str]]:
    path = tmp_path / "e2e-live.yaml"
    path.write_text(BANK, encoding="utf-8")
    with live_server.app.app_context():
        sync_banks([path], datetime.now(timezone.utc))
        accounts.create_user("live-host@example.org", "correct horse battery", "instructor")
        db.session.remove()
    yield "live-host@example.org", "correct horse battery"


def _join(page: Any, pin: str, nickname: str) -> None:
    page.goto(f"/play?pin={pin}")
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join").click()
    page.get_by_text("You're in!").wait_for()


def _answer(page: Any, js: bool, right: str) -> None:
    """Tap the option (a page without JavaScript posts the form and reloads): the answer is
    acknowledged, or — the last player to answer — the reveal follows at once."""
    page.get_by_role("button", name=right, exact=True).click()
    page.locator(".game-wait:has-text('Answer stored'), #reveal-heading").first.wait_for()


def test_host_and_three_players_play_to_the_podium(browser: Any, live_server: LiveServer,
                                                   host_account: tuple[str, str]) -> None:
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    contexts.append(browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True))
    contexts.append(browser.new_context(base_url=live_server.url, java_script_enabled=False))
    try:
        for context in contexts:
            context.set_default_timeout(15_000)
        host, awa, bintou, cheick = (context.new_page() for context in contexts)
        email, password = host_account
        log_in(host, email, password)
        host.goto("/games/new?bank=e2e-live")
        assert_accessible(host)  # the form that starts a game
        host.get_by_label("Number of questions").fill("3")
        host.get_by_label("Seconds per question").fill("60")
        host.get_by_role("button", name="Open the lobby").click()
        pin = host.locator(".game-status .game-pin").inner_text()
        assert re.fullmatch(r"\d{6}", pin)
        assert_accessible(host)  # the host's lobby

        _join(awa, pin, "Awa")
        _join(bintou, pin, "Bintou")  # phone-sized
        assert_accessible(bintou)  # a player's lobby
        _join(cheick, pin, "Cheick")  # no JavaScript
        # the host's lobby fills itself (event stream)
        for name in ("Awa", "Bintou", "Cheick"):  # at once (a stream lasts 8 s here: not by its reconnection)
            host.get_by_role("button", name=f"Remove {name}", exact=True).wait_for(timeout=4_000)

        host.get_by_role("button", name="Start the game").click()
        for number in range(3):
            host.get_by_role("heading", name=f"Question {number + 1}").wait_for()
            prompt = host.locator(".game-prompt").inner_text()
            right = {"Which town fell first?": "Konna", "Operation Serval began in 2013.": "True",
                     "Which operation followed Serval?": "Barkhane"}[prompt]
            # phones with JavaScript get the question by themselves; without it, the Refresh link
            awa.get_by_text(f"Question {number + 1} of 3").wait_for()
            bintou.get_by_text(f"Question {number + 1} of 3").wait_for()
            cheick.get_by_role("link", name="Refresh").click()
            cheick.get_by_text(f"Question {number + 1} of 3").wait_for()
            assert "(right)" not in awa.content() and "The answer" not in bintou.content()  # nothing early
            if number == 0:
                assert_accessible(host)   # the question on the big screen
                assert_accessible(bintou)  # the question on a phone
            if number == 1:  # Awa reloads mid-question and carries on
                awa.reload()
                awa.get_by_text(f"Question {number + 1} of 3").wait_for()
                assert "Awa" in awa.locator(".game-status").inner_text()
            if number == 2:  # the host loses their page too, and finds the game where it was
                host.reload()
                host.get_by_role("heading", name="Question 3").wait_for()
            _answer(awa, True, right)
            host.get_by_text("1 of 3 answered").wait_for()  # the big screen counts the answers
            _answer(bintou, True, right)
            wrong = {"Konna": "Gao", "True": "False", "Barkhane": "Sabre"}[right]
            _answer(cheick, False, right if number != 2 else wrong)  # the last question wrong
            # everyone answered: the reveal comes at once, on the big screen and the phones
            host.get_by_role("heading", name="The answer").wait_for()
            awa.get_by_text("Right!").wait_for()
            assert host.locator(".game-answer").inner_text() == right  # the answer, explanation and source
            assert "paragraph" in host.locator(".game-reveal").inner_text()
            next_label = "Next question" if number < 2 else "Show the podium"
            host.get_by_role("button", name=next_label).click()

        host.get_by_role("heading", name="Podium").wait_for()
        assert_accessible(host)  # the podium
        awa.get_by_text("Game over").wait_for()
        bintou.get_by_text("Game over").wait_for()
        cheick.get_by_role("link", name="Refresh").click()
        cheick.get_by_text("Game over").wait_for()
        assert_accessible(bintou)
        podium = host.locator(".game-podium-steps").inner_text()
        assert "Cheick" in podium and "Awa" in podium
        # the no-JavaScript player got two right and one wrong
        assert "Cheick" in host.locator(".game-podium-steps li").nth(2).inner_text()
        host.get_by_role("link", name="Every player's results").click()
        assert host.get_by_role("link", name="Cheick").is_visible()
        assert_accessible(host)  # the results table
    finally:
        for context in contexts:
            context.close()
