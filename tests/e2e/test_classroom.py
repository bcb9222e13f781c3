"""The classroom loop in a real Chromium: a teacher creates a class, a student joins by code
on a phone-sized window, the teacher assigns a quiz, the student takes it, the teacher sees
the grade and downloads the CSV. Every new page is checked with axe."""
from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any, Callable

import pytest
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.services import accounts

from .conftest import LiveServer, assert_accessible, log_in
from .test_quiz_keyboard import find_question, questions_by_prompt

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _login(page: Any, email: str, password: str) -> None:
    log_in(page, email, password)


def _fits(page: Any) -> None:
    """Nothing on the page makes a phone scroll sideways."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_teacher_assigns_student_takes_teacher_grades(browser: Any, page: Any, live_server: LiveServer,
                                                      user: Callable[..., tuple[str, str]]) -> None:
    teacher_email, password = f"teacher-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery"
    with live_server.app.app_context():
        accounts.create_user(teacher_email, password, "instructor")
        db.session.remove()
    student_email, student_password = user()
    bank = questions_by_prompt(live_server)

    # The teacher creates a class.
    _login(page, teacher_email, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My classes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My classes")
    assert_accessible(page)
    page.get_by_role("link", name="Create a class").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create the class").click()  # no name: refused, explained
    expect(page.get_by_text("Give the class a name.")).to_be_visible()
    page.get_by_label("Class name").fill("History 9B")
    page.get_by_label("Term").fill("Autumn 2026")
    page.get_by_label("Time zone").select_option("Africa/Bamako")
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History 9B")
    code = page.locator("strong.join-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", code)
    expect(page.get_by_role("img", name="QR code of the join link for History 9B")).to_be_visible()
    # the QR code loads as an image (waits for it: the <img> is visible before its SVG has arrived)
    page.wait_for_function("() => { const img = document.querySelector('img[src$=\"qr.svg\"]');"
                           " return img !== null && img.complete && img.naturalWidth > 0; }")
    assert_accessible(page)
    class_url = page.url

    # The student joins by code on a phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    student = phone.new_page()
    try:
        _login(student, student_email, student_password)
        student.goto("/classes/")
        assert_accessible(student)
        student.get_by_label("Class code").fill(code.lower())
        student.get_by_label("Your name, as your teacher will see it").fill("Awa Traoré")
        student.get_by_role("button", name="Join").click()
        expect(student.get_by_role("status")).to_contain_text("You joined History 9B.")
        expect(student.get_by_text("Nothing assigned yet.")).to_be_visible()
        _fits(student)
        assert_accessible(student)

        # The teacher sets a test of two questions, answers shown at once.
        page.goto(class_url)
        page.get_by_role("link", name="Set an assignment").click()
        assert_accessible(page)
        page.get_by_label("Title").fill("Mali: first test")
        page.get_by_role("group", name="Questions from").get_by_label("Multiple choice").check()
        page.get_by_role("group", name="Questions from").get_by_label("True or false").check()
        page.get_by_label("Number of questions (or cards)").fill("2")
        page.get_by_label("At once").check()
        page.get_by_role("button", name="Set the assignment").click()
        expect(page.get_by_role("status")).to_contain_text("Assignment “Mali: first test” set.")
        page.get_by_role("link", name="Roster").first.click()
        expect(page.get_by_role("cell", name=student_email)).to_be_visible()
        assert_accessible(page)

        # The student takes it: one right, one wrong.
        student.reload()
        student.get_by_role("link", name="Mali: first test").click()
        assert_accessible(student)
        student.get_by_role("button", name="Start").click()
        for number in (1, 2):
            expect(student.locator("form.quiz-item .item-number")).to_contain_text(f"Question {number} of 2")
            question = find_question(student, bank)
            if question["type"] == "mcq":
                value = question["data"]["answer"]
            else:
                value = "false" if question["data"]["answer"] else "true"
            student.locator(f"form.quiz-item input[type=radio][value=\"{value}\"]").check()
            student.get_by_role("button", name="Save and continue").click()
        expect(student.get_by_role("heading", level=1)).to_have_text("Results")
        expect(student.locator(".result-summary .big")).to_have_text("50 %")
        student.goto("/classes/")
        expect(student.get_by_role("row", name=re.compile("Mali: first test"))).to_contain_text("Done")
        _fits(student)
        student.goto("/")
        expect(student.get_by_role("region", name="Class work")).to_contain_text("Mali: first test")
    finally:
        phone.close()

    # The teacher sees the grade, the student's answers, and downloads the CSV.
    page.goto(class_url)
    page.get_by_role("link", name="Gradebook").first.click()
    row = page.get_by_role("row", name=re.compile("Awa Traoré"))
    expect(row).to_contain_text("50 %")
    assert_accessible(page)
    page.get_by_role("link", name="Details of Mali: first test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mali: first test")
    assert_accessible(page)
    page.get_by_role("link", name="Awa Traoré").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Awa Traoré")
    expect(page.get_by_role("heading", name=re.compile("Attempt 1"))).to_contain_text("50 %")
    assert_accessible(page)
    page.get_by_role("link", name="Gradebook").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="grid for Excel").click()
    with open(download.value.path(), "rb") as file:
        data = file.read()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Name"] == "Awa Traoré" and rows[0]["Mali: first test (%)"] == "50.0"


def test_join_pages_without_javascript(browser: Any, live_server: LiveServer) -> None:
    """A visitor's join link asks them to log in first; the pages work and pass axe without JS."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/classes/join/ABCDEF")
        expect(page.get_by_role("heading", level=1)).to_have_text("Join a class")
        expect(page.get_by_role("link", name="Log in").last).to_have_attribute(
            "href", re.compile(r"/auth/login\?next=.*code.*ABCDEF"))
        _fits(page)
        assert_accessible(page)
    finally:
        context.close()


def test_other_class_pages_pass_axe(browser: Any, page: Any, live_server: LiveServer,
                                    user: Callable[..., tuple[str, str]]) -> None:
    """The pages the main journey does not reach: the join form from a link, editing a class
    and an assignment, and results whose answers are held back until the due date."""
    teacher_email, password = f"teacher-{uuid.uuid4().hex[:8]}@example.org", "correct horse battery"
    with live_server.app.app_context():
        accounts.create_user(teacher_email, password, "instructor")
        db.session.remove()
    _login(page, teacher_email, password)
    page.goto("/classes/new")
    page.get_by_label("Class name").fill("Geography 7")
    page.get_by_role("button", name="Create the class").click()
    code = page.locator("strong.join-code").inner_text()
    class_url = page.url
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_label("Class name")).to_have_value("Geography 7")
    assert_accessible(page)
    page.goto(class_url)
    page.get_by_role("link", name="Set an assignment").click()
    page.get_by_label("Search questions to pick by hand (id, words of the prompt, bank)").fill("ex-")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Title").fill("Picked")
    page.get_by_label(re.compile("^ex-mcq:")).check()
    page.get_by_label(re.compile("^ex-truefalse:")).check()
    page.get_by_label("Due at").fill("2099-01-01T09:00")
    assert_accessible(page)
    page.get_by_role("button", name="Set the assignment").click()
    expect(page.get_by_role("status")).to_contain_text("Assignment “Picked” set.")
    page.get_by_role("link", name="Picked").click()
    page.get_by_role("link", name="Edit the title, dates and rules").click()
    expect(page.get_by_label("Due at")).to_have_value("2099-01-01T09:00")
    assert_accessible(page)

    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    student = phone.new_page()
    try:
        email, student_password = user()
        _login(student, email, student_password)
        student.goto(f"/classes/join/{code}")
        expect(student.get_by_label("Class code")).to_have_value(code)
        expect(student.get_by_text("You are about to join Geography 7")).to_be_visible()
        _fits(student)
        assert_accessible(student)
        student.get_by_role("button", name="Join").click()
        student.get_by_role("link", name="Picked").click()
        student.get_by_role("button", name="Start").click()
        for number in (1, 2):
            expect(student.locator("form.quiz-item .item-number")).to_contain_text(f"Question {number} of 2")
            student.locator("form.quiz-item input[type=radio]").first.check()
            student.get_by_role("button", name="Save and continue").click()
        expect(student.get_by_role("heading", level=1)).to_have_text("Results")
        expect(student.get_by_text("Your teacher shows the correct answers after the due date.")).to_be_visible()
        expect(student.get_by_text("Correct answer", exact=True)).to_have_count(0)
        _fits(student)
        assert_accessible(student)
    finally:
        phone.close()
