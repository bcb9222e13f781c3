"""Take the authoring, live-game and explore screenshots in this folder from a running server.

    flask --app wsgi db upgrade && flask --app wsgi banks sync
    flask --app wsgi users create teacher@example.org --role instructor --password 'correct horse battery'
    flask --app wsgi run --port 5200 &
    .venv/bin/python docs/screenshots/take_authoring.py http://127.0.0.1:5200 teacher@example.org 'correct horse battery'

Run it against a fresh database (the bank ids are fixed). An instructor creates a bank, types a mistake in the source editor (marked live), saves the
broken draft and tries to publish it, fixes it, edits a question in the form editor, previews and
answers it, publishes two versions and compares them, previews a Quizlet paste and opens the
export page. Then a live game's lobby (one phone joined) and that phone's first question, and the
timeline and glossary. Pages are shot at 1280 px; the form and source editors also at 390 px.
Writes authoring-*.png, game-*.png and explore-*.png. Uses the system Chromium, like take.py.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import expect, sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent
SIZES = {390: 844, 1280: 800}
GAME_BANK = "mali-chronology"

BANK = """\
id: {bank_id}
title: Rivers of Mali
description: The Niger, the Senegal and the towns on their banks.
language: en
tags: [geography, mali]
sources:
  atlas: {{title: An atlas of West Africa, publisher: A press, date: 2020-01-01}}
questions:
  # The two great rivers
  - id: {bank_id}-niger
    type: truefalse
    prompt: The Niger flows through Bamako.
    answer: true
    explanation: Bamako lies on both banks of the Niger.
    source: {{id: atlas, paragraph: 1}}
  - id: {bank_id}-senegal
    type: {second_type}
    prompt: The Senegal river rises in Mali.
    answer: false
    explanation: It rises in Guinea, as the Bafing.
    source: {{id: atlas, paragraph: 2}}
  - id: {bank_id}-delta
    type: mcq
    prompt: Which town stands where the Bani meets the Niger?
    answer: Mopti
    distractors: [Gao, Kayes, Sikasso]
    explanation: Mopti is built on three islands at the meeting of the two rivers.
    source: {{id: atlas, paragraph: 3}}
  - id: {bank_id}-length
    type: number
    prompt: How long is the Niger, in kilometres?
    answer: 4180
    tolerance: 100
    unit: km
    explanation: About 4,180 km, the third longest river in Africa.
    source: {{id: atlas, paragraph: 4}}
"""


def login(page: Any, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged in.")


def set_source(page: Any, text: str) -> None:
    """Replace the text in the CodeMirror source editor as a paste would."""
    page.get_by_role("textbox", name="Bank source (YAML)").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def shoot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(HERE / f"{name}.png"), full_page=full_page)
    print(name)


def show_error(page: Any) -> None:
    """Scroll the code editor (not the page) to the marked problem and point at it, so that one
    picture has the mark, its message and the list of problems under the editor."""
    page.locator(".cm-scroller").evaluate(
        "(el) => { el.scrollTop = el.querySelector('.cm-lintRange-error').offsetTop - 120; }")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator(".cm-lintRange-error").hover()
    page.locator(".cm-tooltip-lint").wait_for()


def narrow(browser: Any, base: str, state: Any) -> Any:
    """A phone-sized page with the instructor's session."""
    context = browser.new_context(base_url=base, storage_state=state,
                                  viewport={"width": 390, "height": SIZES[390]})
    return context.new_page()


def authoring(browser: Any, base: str, email: str, password: str) -> None:
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": SIZES[1280]})
    page = context.new_page()
    login(page, email, password)
    bank_id = "rivers-of-mali"
    bank = f"/my/banks/{bank_id}"

    page.goto("/my/banks/new")
    page.get_by_label("Title", exact=True).fill("Rivers of Mali")
    page.get_by_label("Bank id").fill(bank_id)
    shoot(page, "authoring-new-bank-1280")
    page.get_by_role("button", name="Create the bank").click()

    # A typo, marked as one types, then saved as a broken draft that publishing refuses.
    set_source(page, BANK.format(bank_id=bank_id, second_type="trufalse"))
    expect(page.locator(".cm-lintRange-error")).to_have_text("trufalse")
    show_error(page)
    shoot(page, "authoring-source-error-1280", full_page=True)
    phone = narrow(browser, base, context.storage_state())
    phone.goto(f"{bank}/source")
    set_source(phone, BANK.format(bank_id=bank_id, second_type="trufalse"))
    expect(phone.locator(".cm-lintRange-error")).to_have_text("trufalse")
    show_error(phone)
    shoot(phone, "authoring-source-error-390", full_page=True)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved with 1 problem")
    page.goto(bank)
    page.get_by_role("button", name="Publish the draft").click()
    shoot(page, "authoring-publish-refused-1280")

    page.goto(f"{bank}/source")
    set_source(page, BANK.format(bank_id=bank_id, second_type="truefalse"))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")

    # The form editor: the bank's details, its list of questions, then one question's form.
    for shot_page, width in ((page, 1280), (phone, 390)):
        shot_page.goto(f"{bank}/edit")
        shoot(shot_page, f"authoring-form-editor-{width}")
        shot_page.get_by_role("heading", name="Questions (4)").evaluate("(h) => h.scrollIntoView()")
        shoot(shot_page, f"authoring-form-questions-{width}")
        shot_page.get_by_role("link", name=f"{bank_id}-delta", exact=True).click()
        expect(shot_page.get_by_role("heading", level=1)).to_contain_text("Question 3")
        shoot(shot_page, f"authoring-question-form-{width}")
    phone.context.close()

    page.get_by_role("link", name="Preview and try it").click()
    page.get_by_label("Gao").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("Not quite")).to_be_visible()
    shoot(page, "authoring-preview-1280")

    # Two versions, their history and the diff between them.
    page.goto(bank)
    page.get_by_label("What changed (optional)").fill("First version")
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Published as version 1")
    page.goto(f"{bank}/source")
    set_source(page, BANK.format(bank_id=bank_id, second_type="truefalse")
               .replace("distractors: [Gao, Kayes, Sikasso]", "distractors: [Gao, Kayes, Ségou]")
               .replace("tolerance: 100", "tolerance: 50"))
    page.get_by_role("button", name="Save the draft").click()
    page.goto(bank)
    page.get_by_label("What changed (optional)").fill("Ségou as a distractor, tighter tolerance")
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Published as version 2")
    page.goto(f"{bank}/versions")
    shoot(page, "authoring-versions-1280")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes from version 1 to version 2")
    shoot(page, "authoring-diff-1280")

    # Import a Quizlet paste (preview, with its problem first) and the export page.
    page.goto("/my/banks/")
    page.get_by_role("link", name="Import from GIFT, CSV or Quizlet").click()
    page.get_by_label("Cards, one a line").fill(
        "Djoliba, the Niger's name in Bambara\n"
        "Bani, the Niger's main tributary in Mali\n"
        "Bafing, the Senegal's source river\n"
        "a line without its definition\n")
    page.get_by_label("Comma").check()
    page.locator("form", has=page.get_by_role("button", name="Preview the cards")).get_by_label(
        "Bank id (optional)").fill(f"{bank_id}-cards")
    page.get_by_role("button", name="Preview the cards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview: pasted cards")
    shoot(page, "authoring-import-preview-1280")
    page.get_by_role("button", name="Create draft bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{bank_id}-cards")
    page.goto("/my/banks/")
    shoot(page, "authoring-my-banks-1280")
    page.goto(f"{bank}/export")
    shoot(page, "authoring-export-1280")
    context.close()


def game_and_explore(browser: Any, base: str, email: str, password: str) -> None:
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": SIZES[1280]})
    host = context.new_page()
    login(host, email, password)
    host.goto(f"/games/new?bank={GAME_BANK}")
    host.get_by_label("Number of questions").fill("5")
    host.get_by_label("Seconds per question").fill("120")
    host.get_by_role("button", name="Open the lobby").click()
    pin = host.locator(".game-status .game-pin").inner_text()
    phones = []
    for nickname in ("Awa", "Bintou", "Cheick"):
        phone = browser.new_context(base_url=base, viewport={"width": 390, "height": SIZES[390]},
                                    is_mobile=True, has_touch=True).new_page()
        phone.goto(f"/play?pin={pin}")
        phone.get_by_label("Nickname").fill(nickname)
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("You're in!").wait_for()
        host.get_by_role("button", name=f"Remove {nickname}", exact=True).wait_for()
        phones.append(phone)
    shoot(host, "game-lobby-1280")
    host.get_by_role("button", name="Start the game").click()
    host.get_by_role("heading", name="Question 1").wait_for()
    phones[0].get_by_text("Question 1 of 5").wait_for()
    shoot(phones[0], "game-phone-question-390")
    for phone in phones:
        phone.context.close()

    host.goto("/timeline")
    shoot(host, "explore-timeline-1280")
    host.goto("/glossary")
    shoot(host, "explore-glossary-1280")
    context.close()


def main(base: str, email: str, password: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        authoring(browser, base, email, password)
        game_and_explore(browser, base, email, password)
        browser.close()


if __name__ == "__main__":
    main(*(sys.argv[1:4] if len(sys.argv) > 3 else
           ["http://127.0.0.1:5200", "teacher@example.org", "correct horse battery"]))
