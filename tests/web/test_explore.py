"""The reference pages (timeline, glossary, who's who, places) list every entry of the banks, each
cited, and link to a quiz and a study deck on the questions behind it; questions link back."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.domain.banks import BankSpec
from quiz.domain.dates import PartialDate
from quiz.extensions import db
from quiz.models import Attempt
from quiz.services import quizzes
from quiz.services.banks import load_banks, sync_banks

from ..conftest import csrf_from
from ..services.test_bank_sync import EXAMPLES
from .test_quiz import right_form

MALI = Path(__file__).resolve().parents[2] / "questions" / "mali"
VIEWS = {"event": "/timeline", "person": "/people", "organisation": "/glossary", "place": "/places"}
ENTRY_START = re.compile(r'<li class="entry[^"]*" id="([^"]+)">')


@pytest.fixture(scope="module")
def specs() -> list[BankSpec]:
    return load_banks([MALI])


@pytest.fixture
def mali(app: Flask) -> None:
    with app.app_context():
        sync_banks([MALI], datetime.now(timezone.utc))


def keys_of_kind(specs: list[BankSpec], kind: str) -> set[str]:
    return {key for bank in specs for key, entry in bank.entries.items() if entry.record["kind"] == kind}


def entries_on(client: FlaskClient, url: str) -> dict[str, str]:
    """Each entry's id and its HTML (up to the next entry or the end of its section)."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    starts = list(ENTRY_START.finditer(html))
    ends = [m.start() for m in starts[1:]] + [len(html)]
    return {m.group(1): html[m.end():end].split("</section>")[0] for m, end in zip(starts, ends)}


@pytest.mark.parametrize("kind", VIEWS)
def test_each_view_lists_every_entry_of_its_kind_each_cited_with_its_actions(
        client: FlaskClient, mali: None, specs: list[BankSpec], kind: str) -> None:
    shown = entries_on(client, VIEWS[kind])
    assert set(shown) == keys_of_kind(specs, kind) and len(shown) > 10
    for key, html in shown.items():
        assert re.search(r"<cite>[^<]+</cite>.*paragraph \d+", html, re.S), key
        assert f'action="/explore/{key}/quiz"' in html and f'href="/study?about={key}"' in html, key


def test_the_timeline_is_in_date_order_and_shows_disagreeing_dates(client: FlaskClient, mali: None) -> None:
    html = client.get("/timeline").get_data(as_text=True)
    dates = [PartialDate.parse(d) for d in re.findall(r'<p class="entry-date"><time datetime="([\d-]+)"', html)]
    assert [d.first_day() for d in dates] == sorted(d.first_day() for d in dates)
    release = entries_on(client, "/timeline")["prisoner-release"]
    assert "October 2020" in release and "also dated" in release and "November 2020" in release
    years = re.findall(r'<h2 id="year-(\d{4})">', html)
    assert years == sorted(set(years)) and "1916" in years and "2021" in years


def test_the_timeline_filters_by_period_bank_and_tag(client: FlaskClient, mali: None, specs: list[BankSpec]) -> None:
    events = {key for bank in specs for key, e in bank.entries.items() if e.record["kind"] == "event"}
    shown = entries_on(client, "/timeline?from=2013&to=2014")
    dated = {key: e.record["date"] for bank in specs for key, e in bank.entries.items() if key in events}
    assert set(shown) == {k for k, d in dated.items() if "2013" <= d[:4] <= "2014"}
    # a bank: the events its own questions are about (directly)
    chrono = next(b for b in specs if b.id == "mali-chronology")
    about = {k for q in chrono.questions for k in (q.explore or {}).get("about", []) if k in events}
    assert set(entries_on(client, "/timeline?bank=mali-chronology")) == about
    assert set(entries_on(client, "/timeline?tag=who-did-what")) < events
    # unknown values mean "any", never an error
    assert set(entries_on(client, "/timeline?from=soon&bank=nope&tag=%3Cb%3E")) == events


def test_the_glossary_gives_english_and_french_names(client: FlaskClient, mali: None) -> None:
    mnla = entries_on(client, "/glossary")["mnla"]
    assert "National Movement for the Liberation of Azawad" in mnla
    assert '<dd lang="fr">Mouvement National de la Libération Azawad</dd>' in mnla


def test_whos_who_lists_people_by_family_name(client: FlaskClient, mali: None) -> None:
    shown = list(entries_on(client, "/people"))
    # Ghislaine Dupont, François Hollande, Jean-Yves Le Drian, Florence Parly, Sophie Pétronin
    keys = ["dupont", "hollande", "le-drian", "parly", "petronin"]
    assert sorted(keys, key=shown.index) == keys
    html = client.get("/people").get_data(as_text=True)
    assert html.index('id="letter-L"') < html.index('id="le-drian"') < html.index('id="letter-M"')


def test_the_home_page_and_each_bank_page_link_to_the_views(client: FlaskClient, mali: None) -> None:
    for url in ("/", "/banks/mali-chronology"):
        html = client.get(url).get_data(as_text=True)
        for view in VIEWS.values():
            assert f'href="{view}' in html, (url, view)
    assert 'href="/timeline?bank=mali-chronology"' in client.get("/banks/mali-chronology").get_data(as_text=True)


def test_quiz_me_on_this_starts_a_quiz_on_the_questions_behind_the_entry(
        app: Flask, client: FlaskClient, mali: None, specs: list[BankSpec]) -> None:
    token = csrf_from(client.get("/places").get_data(as_text=True))
    assert client.post("/explore/konna/quiz").status_code == 400  # no CSRF token
    assert client.post("/explore/nowhere/quiz", data={"csrf_token": token}).status_code == 404
    response = client.post("/explore/konna/quiz", data={"csrf_token": token})
    assert response.status_code == 303
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None and attempt.title == "About Konna"
        questions = quizzes.questions_of(attempt)
        assert 0 < len(questions) <= 10
        events_at_konna = {k for b in specs for k, e in b.entries.items() if "konna" in e.record.get("where", [])}
        for q in questions:
            about = set(q.data["explore"]["about"])
            assert "konna" in about or about & events_at_konna, q.id
        first, shown = questions[0], quizzes.shown(attempt, questions[0])
        links = [k for k in first.data["explore"]["about"]]
    # the feedback of an answered question links to the entries it is about
    page = client.get(f"/quiz/{attempt_id}/q/0").get_data(as_text=True)
    html = client.post(f"/quiz/{attempt_id}/q/0", data={"csrf_token": csrf_from(page), **right_form(first, shown)},
                       follow_redirects=True).get_data(as_text=True)
    for key in links:
        assert re.search(rf'href="/(timeline|people|glossary|places)#{re.escape(key)}"', html), key


def test_study_these_cards_opens_a_deck_of_the_questions_behind_the_entry(client: FlaskClient, mali: None) -> None:
    html = client.get("/study?about=hollande").get_data(as_text=True)
    assert "About François Hollande" in html
    assert client.get("/study?about=nobody").status_code == 404


def test_the_views_work_without_entries(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
    for url in VIEWS.values():
        response = client.get(url)
        assert response.status_code == 200 and entries_on(client, url) == {}
    assert "No event matches" in client.get("/timeline").get_data(as_text=True)


def test_a_flashcards_back_links_to_what_it_is_about(client: FlaskClient, mali: None) -> None:
    page = client.get("/study?about=hollande").get_data(as_text=True)
    assert client.post("/study/start", data={"csrf_token": csrf_from(page), "about": "hollande"}).status_code == 303
    html = client.get("/study?about=hollande&reveal=1").get_data(as_text=True)
    assert 'id="card-answer"' in html
    assert re.search(r'href="/(timeline|people)#(hollande|serval-begins)"', html)


NOW = datetime(2026, 12, 2, tzinfo=timezone.utc)

PRIVATE_BANK = """id: web-secret
title: A private bank
language: en
sources:
  notes: {title: My notes, publisher: Me, date: 2026-01-01}
entries:
  events:
    secret-meeting:
      date: 2026-01-05
      what: A meeting only my bank knows about.
      source: {id: notes, paragraph: 1}
questions:
  - id: web-secret-1
    type: truefalse
    prompt: The meeting took place in January.
    answer: true
    explanation: The notes date it to 5 January.
    source: {id: notes, paragraph: 1}
    about: [secret-meeting]
"""


@pytest.mark.parametrize("visibility, listed", [("private", False), ("public", True)])
def test_a_web_banks_entries_show_only_when_the_bank_is_public(app: Flask, client: FlaskClient, create_user,
                                                                visibility: str, listed: bool) -> None:
    from quiz.services import authoring
    from quiz.models import WebBank

    with app.app_context():
        owner = create_user("author@example.org", role="instructor")
        bank_id, problems = authoring.create_draft_bank(owner, PRIVATE_BANK, NOW)
        assert bank_id == "web-secret" and problems == []
        assert authoring.publish(owner, bank_id, NOW).version is not None
        db.session.get(WebBank, bank_id).visibility = visibility
        db.session.commit()
    assert ("secret-meeting" in entries_on(client, "/timeline")) is listed
