"""Kept input is only for long forms someone may open, from our own page, small, no secrets."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import db
from app.models import SavedInput
from tests.fixtures.builders import PASSWORD, count, nominate
from tests.fixtures.client import Browser

TYPED = {
    "level-value-and-pnl": "3",
    "evidence-value-and-pnl": "Cut outsourced call handling by £600k and reported monthly.",
    "action": "draft",
}


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _age(browser: Browser, *, idle: int) -> None:
    with browser.client.session_transaction() as session:
        now = int(time.time())
        session["seen_at"] = now - idle
        session["login_at"] = now - idle


def _token(browser: Browser, url: str) -> str:
    return str(browser.get(url).find("input", attrs={"name": "csrf_token"})["value"])


@pytest.fixture
def exec_page(app: Flask, browser_as, make_user) -> tuple[Browser, str]:
    candidate = make_user("exec")
    assessment_id = nominate(app, candidate)
    return browser_as(candidate), f"/assessments/{assessment_id}/self/value"


@pytest.mark.parametrize(
    "path",
    ["/login", "/account/password", "/account/set-password/not-a-real-token"],
)
def test_a_tokenless_post_of_a_password_form_is_never_kept(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None, path: str
) -> None:
    browser, _url = exec_page
    data = {
        "email": browser.user.email,
        "password": PASSWORD,
        "current_password": PASSWORD,
        "new_password": "another long passphrase",
        "confirm": "another long passphrase",
    }
    response = browser.client.post(path, data=data)
    assert response.status_code == 400
    assert count(app, SavedInput) == 0


def test_a_tokenless_post_of_a_long_form_is_not_kept(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    assert browser.client.post(url, data=TYPED).status_code == 400
    assert count(app, SavedInput) == 0


def test_a_forged_token_is_not_kept(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    response = browser.client.post(url, data={"csrf_token": "forged", **TYPED})
    assert response.status_code == 400
    assert count(app, SavedInput) == 0


def test_another_persons_assessment_is_not_kept(
    app: Flask, browser_as, make_user, exec_page: tuple[Browser, str]
) -> None:
    _owner, url = exec_page
    intruder = browser_as("exec")
    _age(intruder, idle=31 * 60)
    response = intruder.client.post(url, data=TYPED)
    assert response.status_code == 302
    assert count(app, SavedInput) == 0


@pytest.mark.parametrize(
    "path", ["/assessments/999999/self/value", "/assessments/999999/self/value/autosave"]
)
def test_an_object_that_does_not_exist_is_not_kept(
    app: Flask, exec_page: tuple[Browser, str], path: str
) -> None:
    browser, _url = exec_page
    _age(browser, idle=31 * 60)
    browser.client.post(path, data=TYPED)
    assert count(app, SavedInput) == 0


def test_a_page_outside_the_allow_list_is_not_kept(
    app: Flask, exec_page: tuple[Browser, str]
) -> None:
    browser, _url = exec_page
    _age(browser, idle=31 * 60)
    browser.client.post(f"/people/{browser.user.id}/profile", data={"current_role": "Director"})
    assert count(app, SavedInput) == 0


def test_an_expired_session_with_its_own_token_is_kept_and_given_back(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    token = _token(browser, url)
    _age(browser, idle=31 * 60)
    response = browser.client.post(url, data={"csrf_token": token, "version": "", **TYPED})
    assert response.location == f"/login?next={url}"
    assert count(app, SavedInput) == 1
    login_token = _token(browser, f"/login?next={url}")
    back = browser.client.post(
        f"/login?next={url}",
        data={"email": browser.user.email, "password": PASSWORD, "csrf_token": login_token},
    )
    assert back.location == url
    page = browser.get(url)
    assert page.select_one("input[name='level-value-and-pnl'][checked]")["value"] == "3"
    assert count(app, SavedInput) == 1  # given back by a GET, which writes nothing


def test_a_post_from_a_tab_left_open_after_the_session_ended_is_kept(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    token = _token(browser, url)
    _age(browser, idle=31 * 60)
    assert browser.client.get("/").status_code == 302  # the session ends on this visit
    response = browser.client.post(url, data={"csrf_token": token, "version": "", **TYPED})
    assert response.location == f"/login?next={url}"
    assert count(app, SavedInput) == 1


def test_someone_elses_valid_token_after_the_session_ended_is_not_kept(
    app: Flask, exec_page: tuple[Browser, str], csrf_on: None
) -> None:
    browser, url = exec_page
    foreign = _token(Browser(app.test_client()), "/login")  # correctly signed, another session
    _age(browser, idle=31 * 60)
    assert browser.client.get("/").status_code == 302
    response = browser.client.post(url, data={"csrf_token": foreign, "version": "", **TYPED})
    assert response.status_code == 400
    assert count(app, SavedInput) == 0


def test_a_multi_megabyte_post_is_not_kept_and_the_person_is_told(
    app: Flask, exec_page: tuple[Browser, str]
) -> None:
    browser, url = exec_page
    _age(browser, idle=31 * 60)
    huge = {**TYPED, "evidence-value-and-pnl": "x" * (3 * 1024 * 1024)}
    response = browser.client.post(url, data=huge)
    assert response.status_code == 302
    assert count(app, SavedInput) == 0
    assert "too long to keep" in browser.get(response.location).get_text()


def test_fields_named_like_a_password_are_never_kept(
    app: Flask, exec_page: tuple[Browser, str]
) -> None:
    browser, url = exec_page
    _age(browser, idle=31 * 60)
    browser.client.post(url, data={**TYPED, "password": "hunter2", "new_password": "x"})
    with app.app_context():
        kept = db.session.query(SavedInput).one()
        assert not any("password" in name for name in kept.data)
        assert "hunter2" not in json.dumps(kept.data)


def test_old_kept_input_is_purged(app: Flask, make_user) -> None:
    from datetime import timedelta

    from app.models.base import utcnow

    other = make_user("exec")
    with app.app_context():
        db.session.add(
            SavedInput(
                user_id=other.id, path="/x", data={"a": ["1"]}, created_at=utcnow() - timedelta(30)
            )
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["saved-input", "purge"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert count(app, SavedInput) == 0
