"""Odd numbers in every query parameter of every GET page and in every choice or number field of
every form, for every role: never a 5xx (the integer overflow only shows on PostgreSQL).

The query parameters each page reads are listed in QUERY_PARAMS, checked to cover every GET
route, every `request.args.get("name")` in a view, and every parameter the pages themselves put
in links and GET forms. Forms are found on the pages as rendered, so a new form is fuzzed
without editing this file.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from app.demo import load_demo
from app.extensions import db
from app.models import ROLES, User
from app.params import MAX_ID
from tests.app.test_route_policy import DEMO_LOGIN, SAMPLE_ARGS
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import sign_in

HUGE = "99999999999999999999"
ODD = ["²", "١٢", "５", "-1", "+1", HUGE, str(MAX_ID + 1), "", "junk", "1.5", " 7", "0x10"]

# Every GET endpoint and the query parameters it reads (empty: it reads none).
QUERY_PARAMS: dict[str, tuple[str, ...]] = {
    "admin.audit_log": (
        "action",
        "person",
        "object_type",
        "since",
        "until",
        *(f"{d}-{p}" for d in ("since", "until") for p in ("day", "month", "year")),
        "page",
    ),
    "admin.export_person": (),
    "admin.list_tasks": ("status", "page"),
    "admin.list_users": ("role", "status", "page"),
    "admin.new_user": (),
    "admin.remove_person": (),
    "admin.show_user": (),
    "auth.change_password": (),
    "auth.login": ("email", "next"),
    "auth.set_password": (),
    "candidates.edit_profile": (),
    "candidates.edit_stream": (),
    "candidates.list_assessments": ("stream", "version", "status", "page"),
    "candidates.list_streams": (),
    "candidates.new_stream": (),
    "candidates.nominate": ("stream",),
    "candidates.self_check": (),
    "candidates.self_done": (),
    "candidates.self_intro": (),
    "candidates.self_page": (),
    "candidates.show_assessment": (),
    "candidates.show_stream": ("page",),
    "coaching.edit_plan": (),
    "coaching.progress_overview": (),
    "coaching.record_review": (),
    "coaching.show_plan": (),
    "coaching.show_plan_version": (),
    "coaching.show_review": (),
    "induction.add_template_item": (),
    "induction.edit_template_item": (),
    "induction.list_templates": (),
    "induction.show_checklist": (),
    "induction.show_template": (),
    "interviews.assign_panel": (),
    "interviews.calibrate": (),
    "interviews.check_interview": (),
    "interviews.conduct_interview": (),
    "interviews.edit_focus": (),
    "interviews.my_interviews": ("page",),
    "interviews.rater_guide_page": (),
    "main.favicon": (),
    "main.home": (),
    "candidates.edit_self_due": (),
    "interviews.edit_schedule": (),
    "notifications.list_notifications": ("page",),
    "notifications.outbox": ("status", "page"),
    "notifications.preferences": (),
    "notifications.show_message": (),
    "notifications.show_message_html": (),
    "reports.download_centre": (
        "kind",
        "stream",
        "status",
        "date_from",
        "date_to",
        *(f"{d}-{p}" for d in ("date_from", "date_to") for p in ("day", "month", "year")),
        "page",
    ),
    "reports.export_download": (),
    "reports.export_progress": ("auto",),
    "reports.interview_guide_pdf": (),
    "reports.plan_pdf": (),
    "reports.readiness_pdf": (),
    "reports.shortlist_pdf": (),
    "roles.add_competency": (),
    "roles.compare_versions": ("from", "to"),
    "roles.discard_draft": (),
    "roles.download_version": (),
    "roles.edit_competency": (),
    "roles.edit_question": (),
    "roles.edit_role_fields": (),
    "roles.list_roles": (),
    "roles.new_role": (),
    "roles.preview_version": (),
    "roles.publish_version": (),
    "roles.remove_competency": (),
    "roles.retire_version": (),
    "roles.show_version": (),
    "selection.record_decision": (),
    "selection.shortlist": ("version", "page"),
    "selection.show_results": (),
    "stakeholders.answer": (),
    "stakeholders.check": (),
    "stakeholders.close": (),
    "stakeholders.extend": (),
    "stakeholders.manage": ("rows",),
    "stakeholders.stakeholder_data": ("email", "download"),
    "stakeholders.thanks": (),
}
# Documents: rendering them is slow and they read no query parameters (checked above).
NOT_FETCHED_WHOLE = re.compile(r"\.(pdf|json|yaml)$|/download$")
SENTINEL = 987654321
PAGES_PER_ENDPOINT = 3
NOT_POSTED = {"auth.logout", "auth.login"}
_ARG_NAME = re.compile(r"""request\.args\.get\(\s*["']([^"']+)["']""")


def _get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if "GET" in (r.methods or ()) and r.endpoint != "static"
        ),
        key=lambda r: r.endpoint,
    )


def test_query_param_table_covers_every_get_route_and_view(app: Flask) -> None:
    endpoints = {r.endpoint for r in _get_rules(app)}
    assert set(QUERY_PARAMS) == endpoints, "list the query parameters of new GET routes"
    for endpoint in endpoints:
        source = inspect.getsource(app.view_functions[endpoint])
        named = set(_ARG_NAME.findall(source))
        assert named <= set(QUERY_PARAMS[endpoint]), (endpoint, named)
        if "request.args" in source:
            assert QUERY_PARAMS[endpoint], f"{endpoint} reads the query string"


@dataclass
class FoundForm:
    """A POST form as rendered: its action, its fields' values, and which ones are numbers."""

    action: str
    fields: list[tuple[str, str]]
    numeric: dict[str, list[str]] = field(default_factory=dict)


def _rendered_form(form: Tag, page_url: str) -> FoundForm:
    """The values a browser would send for `form`, and its choice and number fields."""
    action = str(form.get("action") or page_url)
    fields: list[tuple[str, str]] = []
    numeric: dict[str, list[str]] = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or name == "csrf_token":
            continue
        kind = (element.get("type") or "").lower()
        if element.name == "select":
            options = [o.get("value", o.get_text()) for o in element.find_all("option")]
            numeric.setdefault(name, []).extend(options)
            chosen = [
                o.get("value", o.get_text()) for o in element.find_all("option", selected=True)
            ]
            fields.extend((name, value) for value in chosen[:1] or options[:1])
        elif kind in ("radio", "checkbox"):
            numeric.setdefault(name, []).append(element.get("value", "on"))
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif element.name == "textarea":
            fields.append((name, element.get_text()))
        elif kind not in ("submit", "button", "file"):
            value = element.get("value", "")
            fields.append((name, value))
            if value.isascii() and value.isdigit():
                numeric.setdefault(name, []).append(value)
    return FoundForm(action, fields, numeric)


@dataclass
class Walk:
    """What the GET pages showed one role."""

    failures: list[str] = field(default_factory=list)
    linked_params: dict[str, set[str]] = field(default_factory=dict)
    linked_pages: dict[str, set[str]] = field(default_factory=dict)
    forms: dict[tuple[str, tuple[str, ...]], FoundForm] = field(default_factory=dict)


def _endpoint_of(app: Flask, url: str, method: str = "GET") -> str | None:
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "localhost":
        return None
    try:
        endpoint, _args = app.url_map.bind("localhost").match(parts.path, method=method)
    except HTTPException:
        return None
    return str(endpoint)


def _read_page(app: Flask, walk: Walk, url: str, html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.find_all("a", href=True):
        parts = urlsplit(link["href"])
        endpoint = _endpoint_of(app, link["href"])
        if endpoint and parts.query:
            names = {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
            walk.linked_params.setdefault(endpoint, set()).update(names)
        elif endpoint and not NOT_FETCHED_WHOLE.search(parts.path):
            walk.linked_pages.setdefault(endpoint, set()).add(parts.path)
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "get":
            endpoint = _endpoint_of(app, form.get("action") or url)
            if endpoint:
                names = {e.get("name") for e in form.find_all(["input", "select"]) if e.get("name")}
                walk.linked_params.setdefault(endpoint, set()).update(names)
            continue
        found = _rendered_form(form, url)
        endpoint = _endpoint_of(app, found.action, "POST")
        if endpoint and endpoint not in NOT_POSTED and found.numeric:
            walk.forms.setdefault((endpoint, tuple(sorted(found.numeric))), found)


def _signed_in(app: Flask, role: str) -> tuple[FlaskClient, User]:
    client = app.test_client()
    assert sign_in(client, DEMO_LOGIN[role]).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == DEMO_LOGIN[role]))
        assert user is not None
        db.session.expunge(user)
    return client, user


def _get(client: FlaskClient, walk: Walk, url: str, role: str) -> tuple[int, str]:
    response = client.get(url)
    code = response.status_code
    html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    response.close()
    if code >= 500:
        walk.failures.append(f"GET {url} as {role}: {code}")
    return code, html


@pytest.fixture
def demo(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    yield


def _walk_get_routes(app: Flask, client: FlaskClient, user: User, role: str) -> Walk:
    walk = Walk()
    for rule in _get_rules(app):
        with app.test_request_context():
            kwargs = SAMPLE_ARGS[rule.endpoint](user) if rule.arguments else {}
            url = url_for(rule.endpoint, **kwargs)
            ints = [a for a in rule.arguments if type(kwargs.get(a)) is int]
            # Built with a stand-in number, then spelt oddly: url_for cannot write "١٢".
            odd_paths = [
                url_for(rule.endpoint, **{**kwargs, name: SENTINEL}).replace(str(SENTINEL), odd)
                for name in ints
                for odd in (HUGE, str(MAX_ID + 1), "١٢", "５", "²", "-1", "+1")
            ]
        for odd in odd_paths:
            code, _html = _get(client, walk, odd, role)
            if code != 404:
                walk.failures.append(f"GET {odd} as {role}: {code}, expected 404")
        if NOT_FETCHED_WHOLE.search(urlsplit(url).path):
            continue
        code, html = _get(client, walk, url, role)
        if code == 200 and html:
            _read_page(app, walk, url, html)
        names = QUERY_PARAMS[rule.endpoint]
        for value in ODD:
            for name in names:
                _get(client, walk, f"{url}?{urlencode({name: value})}", role)
            if len(names) > 1:
                _get(client, walk, f"{url}?{urlencode(dict.fromkeys(names, value))}", role)
    # Then pages linked from those (other people's drafts hold forms the samples' objects,
    # being submitted, no longer show), a few per endpoint to keep the walk short.
    visited: set[str] = set()
    while True:
        todo = sorted(
            path
            for paths in walk.linked_pages.values()
            for path in sorted(paths)[:PAGES_PER_ENDPOINT]
            if path not in visited
        )
        if not todo:
            break
        for path in todo:
            visited.add(path)
            code, html = _get(client, walk, path, role)
            if code == 200 and html:
                _read_page(app, walk, path, html)
    for endpoint, names in sorted(walk.linked_params.items()):
        unlisted = names - set(QUERY_PARAMS.get(endpoint, ()))
        if unlisted:
            walk.failures.append(f"{endpoint} is linked with unlisted parameters {unlisted}")
    return walk


def _odd_values(options: list[str]) -> list[str]:
    """The odd numbers, and each option with its digits replaced by odd ones ('plan:²')."""
    shaped = {
        re.sub(r"[0-9]+", odd, option)
        for option in options
        if re.search(r"[0-9]", option)
        for odd in ("²", "١٢", HUGE, "-1")
    }
    return [*ODD, *sorted(shaped)]


def _post(client: FlaskClient, form: FoundForm, data: list[tuple[str, str]]) -> int:
    response = client.post(form.action, data=MultiDict(data))
    code = response.status_code
    response.close()
    return code


@pytest.mark.parametrize("role", ROLES)
def test_odd_numbers_in_urls_and_choice_fields_never_give_a_5xx(
    app: Flask, demo: None, role: str
) -> None:
    client, user = _signed_in(app, role)
    walk = _walk_get_routes(app, client, user, role)
    assert walk.failures == []
    for (endpoint, _names), form in sorted(walk.forms.items()):
        numeric = sorted(form.numeric)
        # Long forms (a kit's ratings) get each value in every field at once as well as
        # one field at a time for the first few, to keep the walk to a minute.
        singles = numeric if len(numeric) <= 6 else numeric[:3]
        sends: list[list[tuple[str, str]]] = []
        for name in singles:
            for value in _odd_values(form.numeric[name]):
                sends.append([*((n, v) for n, v in form.fields if n != name), (name, value)])
        if len(numeric) > len(singles):
            for value in ODD:
                sends.append(
                    [*((n, v) for n, v in form.fields if n not in numeric)]
                    + [(name, value) for name in numeric]
                )
        for data in sends:
            code = _post(client, form, data)
            if code >= 500:
                walk.failures.append(f"POST {form.action} ({endpoint}) {data} as {role}: {code}")
            if code == 302 and client.get("/").status_code != 200:
                client, user = _signed_in(app, role)
    assert walk.failures == []
