"""Take the screenshots in this folder from a running server with the bundled banks loaded:

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:5000

A guest takes a quiz, studies a few flashcards and leaves a second quiz half done; then the
home, bank, results, flashcard and progress pages are shot at 390, 1280 and 1920 px (light),
and the home page at 1280 px in dark mode. Uses the system Chromium, like the browser tests.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent
BANK = "/banks/mali-chronology"
WIDTHS = {390: 844, 1280: 800, 1920: 1080}


def answer(page: Any) -> None:
    """Answer the question on screen with something readable (right or wrong) and submit it."""
    form = page.locator("form.quiz-item")
    reveal = form.get_by_role("link", name="Show the answer")
    if reveal.count():
        reveal.click()
        form.locator("input[type=radio]").first.wait_for()
    for kind in ("radio", "checkbox"):
        if form.locator(f"input[type={kind}]").count():
            form.locator(f"input[type={kind}]").first.check()
    for field in form.locator("input[type=text]:visible").all():
        field.fill({"year": "2013", "day": "11", "answer": "3"}.get(field.get_attribute("name") or "", "Serval"))
    for select in form.locator("select:not(.order-select)").all():
        select.select_option(index=1)
    before = page.locator(".quiz-progress").inner_text()
    form.locator(".item-actions button[type=submit]").click()
    page.wait_for_function("(b) => document.querySelector('.quiz-progress').innerText !== b", arg=before)


def quick_quiz(page: Any, answers: int) -> str:
    page.goto(BANK)
    page.get_by_role("button", name="Take a 10-question quiz").click()
    for _ in range(answers):
        answer(page)
    return page.url


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        setup = browser.new_context(base_url=base)
        page = setup.new_page()
        quick_quiz(page, 10)
        page.get_by_role("link", name="See your results").click()
        results = page.url
        page.goto("/study")
        for _ in range(8):
            page.keyboard.press("Space")
            page.wait_for_selector(".grade-buttons")
            page.keyboard.press("3")
            page.wait_for_function("() => !document.querySelector('.grade-buttons')")
        quick_quiz(page, 4)
        state = setup.storage_state()
        setup.close()
        shots = [(w, "light") for w in WIDTHS] + [(1280, "dark")]
        for width, scheme in shots:
            context = browser.new_context(base_url=base, storage_state=state, color_scheme=scheme,
                                          viewport={"width": width, "height": WIDTHS[width]})
            page = context.new_page()
            pages = {"home": "/", "bank": BANK, "results": results, "study": "/study", "progress": "/progress"}
            for name, path in pages.items():
                if scheme == "dark" and name != "home":
                    continue
                page.goto(path)
                if name == "results":
                    page.locator(".result-item.is-wrong summary").first.click()
                if name == "study":
                    page.keyboard.press("Space")
                    page.wait_for_selector(".grade-buttons")
                suffix = "-dark" if scheme == "dark" else ""
                page.screenshot(path=str(HERE / f"{name}-{width}{suffix}.png"))
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000")
