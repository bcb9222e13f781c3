"""No request ends in a 500: arbitrary values in every field of every route and in every URL
converter, for every role.

The routes come from `app.url_map` and the fields from the app's own pages and forms (every
`name="…"` a page renders, every WTForms field), so a new route or field is fuzzed without
touching this file. Each example starts from the real form that posts to the route (as a
browser would send it, with a valid CSRF token) and replaces some fields with arbitrary
text, numbers in any script, huge values and special strings. Hypothesis runs from a fixed seed
with a fixed number of examples, so CI runs the same requests every time.
"""
from __future__ import annotations

import inspect
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from typing import Callable, Iterator
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from wtforms.fields.core import UnboundField

from quiz import config, create_app
from quiz.extensions import db
from quiz.services import accounts
from quiz.services.banks import sync_banks

from ..conftest import ROOT, AuthActions, csrf_from, database_url
from ..services.test_bank_sync import EXAMPLES

ROLES = ["anonymous", "guest", "learner", "instructor", "admin", "stranger"]
POST_EXAMPLES = 6  # random ones per POST route and role (besides the SHARP values in each field)
GET_EXAMPLES = 3  # per GET route and role (odd URL arguments and query strings)
OWNER = "learner@example.org"  # the learner who owns the quizzes whose ids are fuzzed

UNICODE_DIGITS = "²³¹½٣٠١٢۳४৫๓０９𝟘𝟡Ⅻ"
SPECIAL = ["", " ", "0", "-1", "00", "1.5", "NaN", "sNaN", "-Infinity", "Infinity", "1e999", "0x10", "9" * 5000,
           "x" * 3000, "²", "٣", "0000", "0000-01-01", "2013-02-30", "true", "yes", "None", "[]", "{}", "../..",
           "%00", "<script>", "'; drop table", "\u202e", "\ufeff", str(2**63), str(2**64), str(-(2**63) - 1)]


def _values(seen: list[str]) -> st.SearchStrategy[str]:
    """Text a field might receive: values the pages really send, and anything else."""
    return st.one_of(
        st.sampled_from(seen),
        st.sampled_from(SPECIAL),
        st.text(max_size=30),
        st.text(alphabet=UNICODE_DIGITS + "0123456789-+.,e ", max_size=12),
        st.integers().map(str),
        st.integers(min_value=2**31 - 2, max_value=2**90).map(str),
        st.floats().map(repr),
    )


# --- what the app has: routes, forms, fields -------------------------------------------

FORM_RE = re.compile(r'<form\b([^>]*)>(.*?)</form>', re.S)
ACTION_RE = re.compile(r'\baction="([^"]*)"')
INPUT_RE = re.compile(r'<(input|select|textarea|button)\b([^>]*)>', re.S)
ATTR_RE = re.compile(r'([\w-]+)="([^"]*)"')
OPTION_RE = re.compile(r'<option\b[^>]*\bvalue="([^"]*)"')
NAME_RE = re.compile(r'\bname="([^"{}]+)"')


def _form_fields(body: str) -> dict[str, list[str]]:
    """The fields of one form as a browser sends them by default (first option, checked boxes)."""
    fields: dict[str, list[str]] = {}
    for tag, attributes in INPUT_RE.findall(body):
        attrs = dict(ATTR_RE.findall(attributes))
        name = attrs.get("name")
        if not name or name == "csrf_token":
            continue
        if tag == "select":
            after = body.split(f'name="{name}"', 1)[1]
            options = OPTION_RE.findall(after.split("</select>", 1)[0])
            fields.setdefault(name, [unescape(options[0])] if options else [])
        elif tag == "button":  # as if the first button with a name (a grade, Skip) were pressed
            fields.setdefault(name, [unescape(attrs.get("value", ""))])
        elif attrs.get("type") in ("radio", "checkbox"):
            fields.setdefault(name, [])
            if "checked" in attributes or not fields[name]:
                fields[name] = [unescape(attrs.get("value", "on"))]
        else:
            fields.setdefault(name, [unescape(attrs.get("value", ""))])
    return fields


def _wtforms_fields() -> set[str]:
    """Every field of every WTForms form of the app."""
    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        names.update(name for name, _ in inspect.getmembers(form_class, lambda v: isinstance(v, UnboundField)))
    return names


def _template_fields() -> set[str]:
    return {name for path in (ROOT / "templates").rglob("*.html") for name in NAME_RE.findall(path.read_text())}


Form = tuple[str, dict[str, list[str]]]  # (the path it posts to, its fields as a browser sends them)


@dataclass
class Surface:
    """What can be sent: routes with the real forms that post to them, field names, values seen."""

    rules: list[Rule]
    forms: dict[str, list[Form]] = field(default_factory=dict)  # endpoint -> its forms, one per set of fields
    names: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    ints: list[int] = field(default_factory=list)

    def read(self, app: Flask, url: str, html: str) -> None:
        """Learn the forms, field names and values of a page."""
        adapter = app.url_map.bind("localhost")
        for attributes, body in FORM_RE.findall(html):
            action = ACTION_RE.search(attributes)
            path = unescape(action.group(1) if action else url).split("?")[0]  # no action: it posts to its page
            fields = _form_fields(body)
            self.names.update(fields)
            self.values.update(v for values in fields.values() for v in values)
            self.values.update(unescape(v) for v in OPTION_RE.findall(body))
            try:
                endpoint, _ = adapter.match(path, method="POST")
            except HTTPException:  # an action that is not ours, or not a POST
                continue
            known = self.forms.setdefault(str(endpoint), [])
            if all(set(fields) != set(other) for _, other in known):
                known.append((path, fields))


def _explore(app: Flask, client: FlaskClient, attempt_ids: list[int]) -> Surface:
    """Visit the owner's pages (every question of every quiz, revealed) to learn the forms."""
    surface = Surface(rules=[r for r in app.url_map.iter_rules() if r.endpoint != "static"] +
                      [r for r in app.url_map.iter_rules() if r.endpoint == "static"])
    urls = ["/", "/banks/examples", "/quiz/new", "/study", "/study?reveal=1", "/study/settings", "/progress",
            "/account", "/auth/login", "/auth/register"]
    urls += [f"/quiz/{a}/q/{p}?reveal=1" for a in attempt_ids for p in range(10)]
    for url in urls:
        surface.read(app, url, client.get(url).get_data(as_text=True))
    surface.names |= _wtforms_fields() | _template_fields()
    surface.names.discard("csrf_token")
    surface.values |= {"examples", "ex-mcq", "ex-card", "1", "2", "3", "4"}
    surface.ints = [*attempt_ids, *range(10)]
    return surface


# --- roles ---------------------------------------------------------------------------

def _email(role: str) -> str:
    return {"learner": OWNER, "stranger": "stranger@example.org"}.get(role, f"{role}@example.org")


def _client_as(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A fresh browser for the role and a valid CSRF token of its session."""
    client = app.test_client()
    if role == "anonymous":
        return client, csrf_from(client.get("/auth/login").get_data(as_text=True))
    if role == "guest":
        token = csrf_from(client.get("/study").get_data(as_text=True))
        landed = client.post("/study/start", data={"csrf_token": token}, follow_redirects=True)
    else:
        landed = AuthActions(client).login(_email(role), follow=True)
        assert "Log out" in landed.get_data(as_text=True), role
    return client, csrf_from(landed.get_data(as_text=True))  # the token of the session as it is now


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for every role (setting it up is most of the cost): the example bank, one user
    per role."""
    tmp_path = tmp_path_factory.mktemp("fuzz")
    app = create_app(config.TestConfig(database_url(tmp_path), tmp_path / "instance"))
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_banks([EXAMPLES], datetime.now(timezone.utc))
        for role in ROLES[2:]:
            accounts.create_user(_email(role), "password123", role if role in ("instructor", "admin") else "learner")
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="module")
def surface(fuzz_app: Flask) -> Surface:
    """Two quizzes of the owner (practice and test), and what their pages and the others show."""
    client, token = _client_as(fuzz_app, "learner")
    attempt_ids = []
    for mode in ("practice", "test"):
        response = client.post("/quiz/new", data={"banks": ["examples"], "count": "10", "mode": mode,
                                                  "time_limit": "30" if mode == "test" else "",
                                                  "csrf_token": token})
        assert response.status_code == 303
        attempt_ids.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    return _explore(fuzz_app, client, attempt_ids)


# --- the property --------------------------------------------------------------------

PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
Request = tuple[str, dict[str, list[str]], bool]  # (path, fields, htmx)
# Sent in each field of each real form, one field at a time, on top of the random examples.
SHARP = ["²", "9" * 5000, str(2**64), "sNaN", "", "x" * 3000]


@st.composite
def _requests(draw: st.DrawFn, surface: Surface, rule: Rule, method: str) -> Request:
    """A real form of the route (or none) sent to the route's path with good or odd arguments,
    with some fields changed or left out."""
    values = _values(sorted(surface.values))

    def argument(match: re.Match[str]) -> str:
        converter = match.group(1) or "default"
        good = {"int": st.sampled_from(surface.ints).map(str), "path": st.just("css/app.css")}.get(
            converter, st.sampled_from(["examples", "suspend", "bury", "start", "undo"]))
        return quote(draw(st.one_of(good, good, values)), safe="")

    path = PLACEHOLDER.sub(argument, rule.rule)
    forms = surface.forms.get(rule.endpoint, []) if method == "POST" else []
    fields: dict[str, list[str]] = {}
    if forms:
        form_path, form_fields = draw(st.sampled_from(forms))
        fields = dict(form_fields)
        path = draw(st.sampled_from([form_path, form_path, path]))
    names = st.sampled_from(sorted(surface.names))
    if fields:  # mostly the form's own fields, so that the rest of it stays valid
        names = st.one_of(st.sampled_from(sorted(fields)), st.sampled_from(sorted(fields)), names)
        for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=2)):
            del fields[name]  # a field left out
    fields.update(draw(st.dictionaries(names, st.lists(values, min_size=1, max_size=2), max_size=3)))
    return path, fields, draw(st.booleans())


def _sharp_examples(surface: Surface, endpoint: str) -> list[Request]:
    """Each real form of the endpoint with one field at a time set to each SHARP value."""
    return [(path, {**fields, name: [value]}, False)
            for path, fields in surface.forms.get(endpoint, []) for name in fields for value in SHARP]


def _sending(send: Callable[[str, Request], None], method: str) -> Callable[[Request], None]:
    """The property for one method: what hypothesis calls with each request."""
    return lambda request: send(method, request)


@pytest.mark.parametrize("role", ROLES)
def test_no_request_ends_in_a_server_error(fuzz_app: Flask, surface: Surface, role: str) -> None:
    app = fuzz_app
    assert {"quiz.answer_item", "study.grade", "study.settings", "quiz.new_quiz"} <= set(surface.forms), \
        "the exploration did not find the main forms"
    session = dict(zip(("client", "token"), _client_as(app, role)))
    answered: Counter[str] = Counter()

    def send(method: str, request: Request) -> None:
        path, fields, htmx = request
        if role == "anonymous":  # a fresh visitor each time: a study action would make this one a guest
            session.update(zip(("client", "token"), _client_as(app, role)))
        client: FlaskClient = session["client"]  # type: ignore[assignment]
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "GET":
            response = client.get(path, query_string=fields, headers=headers)
        else:
            response = client.open(path, method=method, data={**fields, "csrf_token": session["token"]},
                                   headers=headers)
        body = response.get_data(as_text=True)
        response.close()
        if os.environ.get("FUZZ_DEBUG"):
            print(role, method, path, {k: [v[:20] for v in vs] for k, vs in fields.items()}, response.status_code)
        assert response.status_code < 500, (role, method, path, fields, response.status_code)
        assert "This form has expired" not in body, "the CSRF token was refused: the fuzzing reaches nothing"
        answered[f"{method} {response.status_code // 100}xx"] += 1

    for number, rule in enumerate(surface.rules):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):  # type: ignore[operator]
            check = given(request=_requests(surface, rule, method))(_sending(send, method))
            if method == "POST":
                for request in _sharp_examples(surface, rule.endpoint):
                    check = example(request=request)(check)
            check = seed(number * 10 + ROLES.index(role))(check)  # fixed: CI sends the same requests every run
            settings(max_examples=POST_EXAMPLES if method == "POST" else GET_EXAMPLES, database=None,
                     deadline=None, suppress_health_check=list(HealthCheck))(check)()
        if rule.endpoint.split(".")[0] in ("auth", "account"):
            session.update(zip(("client", "token"), _client_as(app, role)))  # a logout or login changes who this is
    assert answered["POST 2xx"] + answered["POST 3xx"] > 0, f"no POST got past validation: {answered}"
