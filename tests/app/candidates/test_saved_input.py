"""Nothing typed is lost when the session or the CSRF token has expired on save."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from app import saved_input
from app.extensions import db
from app.models import SavedInput, SelfAssessment
from tests.fixtures.builders import PASSWORD, count, nominate
from tests.fixtures.client import Browser
from tests.fixtures.queries import count_queries

WRITES = {"INSERT", "UPDATE", "DELETE"}
KEPT = "We kept what you typed when your session ended. Check it and save."
TYPED = {
    "level-value-and-pnl": "3",
    "evidence-value-and-pnl": "Cut outsourced call handling by £600k and reported monthly.",
    "level-outcome-strategy": "2",
    "evidence-outcome-strategy": "Three outcomes in the operations plan.",
    "action": "draft",
}


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().split(None, 1)[0].upper() in WRITES]


def _age(browser: Browser, *, idle: int) -> None:
    with browser.client.session_transaction() as session:
        now = int(time.time())
        session["seen_at"] = now - idle
        session["login_at"] = now - idle


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _token(browser: Browser, url: str) -> str:
    return str(browser.get(url).find("input", attrs={"name": "csrf_token"})["value"])


def _sign_in_with_token(browser: Browser, email: str, next_url: str) -> str:
    token = _token(browser, next_url.replace("/assessments", "/login?next=/assessments", 1))
    response = browser.client.post(
        f"/login?next={next_url}",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return str(response.location)


def _assert_restored(browser: Browser, page_url: str) -> None:
    page = browser.get(page_url)
    assert KEPT in page.select_one(".govuk-notification-banner").get_text()
    assert page.select_one("input[name='level-value-and-pnl'][checked]")["value"] == "3"
    assert (
        page.select_one("textarea[name='evidence-value-and-pnl']").get_text().strip()
        == (TYPED["evidence-value-and-pnl"])
    )
    assert page.select_one("input[name='level-outcome-strategy'][checked]")["value"] == "2"


@pytest.fixture
def exec_page(app: Flask, browser_as, make_user) -> tuple[Browser, str]:
    candidate = make_user("exec")
    assessment_id = nominate(app, candidate)
    browser = browser_as(candidate)
    return browser, f"/assessments/{assessment_id}/self/value"


def test_expired_session_keeps_the_input_until_signed_in_again(
    app: Flask, exec_page: tuple[Browser, str]
) -> None:
    browser, url = exec_page
    browser.get(url)
    _age(browser, idle=31 * 60)
    response = browser.post(url, {"version": "", **TYPED})
    assert response.location == f"/login?next={url}"
    assert count(app, SelfAssessment) == 0  # the save itself never happened
    login = browser.get(response.location)
    assert "what you typed has been kept" in login.get_text()
    back = browser.client.post(
        response.location, data={"email": browser.user.email, "password": PASSWORD}
    )
    assert back.location == url
    with count_queries(app) as statements:
        _assert_restored(browser, url)
    assert _writes(statements) == []  # a GET never writes, even when it gives input back
    assert KEPT not in browser.get(url).get_text()  # given back once
    browser.post(url, {"version": "", **TYPED})
    assert count(app, SavedInput) == 0  # saving the page deletes what was kept


def test_an_expired_csrf_token_of_this_session_keeps_the_input(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser, url = exec_page
    token = _token(browser, url)
    # A negative limit makes every token count as expired (Streamlead's own limit is none).
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", -1)
    response = browser.post(url, {"csrf_token": token, "version": "", **TYPED})
    assert response.location == url
    with app.app_context():
        kept = db.session.query(SavedInput).one()
        assert "csrf_token" not in kept.data
        assert kept.data["evidence-value-and-pnl"] == [TYPED["evidence-value-and-pnl"]]
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", None)
    _assert_restored(browser, url)
    assert count(app, SelfAssessment) == 0


def test_a_form_left_open_in_another_tab_is_kept_through_sign_in(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    token = _token(browser, url)
    _age(browser, idle=45 * 60)
    response = browser.client.get("/")  # the idle session ends in one tab...
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    browser.get(response.location)  # ...which shows the sign-in page (a new CSRF secret)
    response = browser.post(url, {"csrf_token": token, "version": "", **TYPED})
    assert response.location == f"/login?next={url}"
    assert _sign_in_with_token(browser, browser.user.email, url) == url
    _assert_restored(browser, url)


def test_a_save_after_autosave_found_the_session_ended_is_kept(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    token = _token(browser, url)
    _age(browser, idle=31 * 60)
    autosave = browser.post(
        f"{url}/autosave", {"csrf_token": token, "version": "", "level-value-and-pnl": "1"}
    )
    assert autosave.location.startswith("/login?next=")
    # The exec kept typing, then pressed Save draft: the session is gone, so is its token.
    response = browser.post(url, {"csrf_token": token, "version": "", **TYPED})
    assert response.location.startswith("/login?next=")
    assert _sign_in_with_token(browser, browser.user.email, url) == url
    _assert_restored(browser, url)


def test_nobody_is_known_without_a_session_so_nothing_is_kept(
    app: Flask, make_user, csrf_on: None
) -> None:
    candidate = make_user("exec")
    assessment_id = nominate(app, candidate)
    client = app.test_client()
    response = client.post(f"/assessments/{assessment_id}/self/value", data=TYPED)
    assert response.status_code == 400
    assert count(app, SavedInput) == 0


def test_keep_and_give_back_are_per_person_and_page(app: Flask, make_user) -> None:
    one, two = make_user("exec"), make_user("exec")
    with app.test_request_context():
        saved_input.keep(one.id, "/a", MultiDict([("x", "1"), ("x", "2"), ("csrf_token", "t")]))
        saved_input.keep(one.id, "/a", MultiDict([("x", "3")]))  # replaces the earlier one
        assert saved_input.keep(one.id, "/b", MultiDict([("csrf_token", "t"), ("y", "")])) is None
        db.session.commit()
        assert saved_input.give_back(two.id, "/a") is None
        assert saved_input.give_back(one.id, "/b") is None
        given = saved_input.give_back(one.id, "/a")
        assert given is not None and given.getlist("x") == ["3"]
        assert saved_input.give_back(one.id, "/a") is None  # once per browser session
        saved_input.discard(one.id, "/a")
        db.session.commit()
        assert db.session.query(SavedInput).count() == 0


def test_long_forms_are_real_pages_without_password_fields(app: Flask) -> None:
    from wtforms import PasswordField

    from app.candidates.forms import self_assessment_form
    from app.coaching.plan_forms import PlanForm
    from app.interviews.forms import interview_form_class
    from app.interviews.kit import kit_order
    from app.long_forms import LONG_FORMS
    from app.roles.forms import CompetencyForm, RoleFieldsForm
    from assessments.role_files import load_default_role

    for endpoint, form in LONG_FORMS.items():
        assert endpoint in app.view_functions
        assert any(
            rule.endpoint == form.page and "GET" in (rule.methods or ())
            for rule in app.url_map.iter_rules()
        )
    role = load_default_role()
    with app.test_request_context():
        forms = [
            self_assessment_form(role.competencies),
            interview_form_class(kit_order(role))(formdata=None),
            PlanForm(formdata=None, plan_content={}, cpo_name="CPO"),
            RoleFieldsForm(formdata=None),
            CompetencyForm(formdata=None),
        ]
        for built in forms:
            assert not [f.name for f in built if isinstance(f, PasswordField)]
