"""Passwords that are easy to guess are refused wherever a password is set."""

from __future__ import annotations

from flask import Flask

from app.auth import services as accounts
from app.extensions import db
from app.models import User
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, parse, sign_in

COMMON = "password1234"


def _errors(response) -> str:  # type: ignore[no-untyped-def]
    return parse(response).select_one(".govuk-error-summary").get_text(" ", strip=True)


def test_change_password_refuses_a_common_password(browser_as) -> None:
    browser = browser_as("hr", name="Harriet Stonewhistle")
    # The last is strong for a stranger, weak for someone who knows her name.
    for weak in (COMMON, "qwertyuiop12", "stonewhistle2024"):
        response = browser.post(
            "/account/password",
            {"current_password": PASSWORD, "new_password": weak, "confirm_password": weak},
            status=200,
        )
        summary = _errors(response)
        assert "Your new password is too easy to guess" in summary, weak
        link = parse(response).select_one(".govuk-error-summary a")
        assert link["href"] == "#new_password"


def test_set_password_link_refuses_a_common_password(
    app: Flask, anonymous: Browser, make_user
) -> None:
    user = make_user("exec", password=None)
    with app.test_request_context():
        raw = accounts.issue_token(db.session.get(User, user.id), "invite")
        db.session.commit()
    response = anonymous.post(
        f"/account/set-password/{raw}",
        {"new_password": COMMON, "confirm_password": COMMON},
        status=200,
    )
    assert "Your password is too easy to guess (this is a very common password)" in _errors(
        response
    )
    assert sign_in(anonymous.client, user.email, COMMON).status_code == 200


def test_users_create_refuses_a_common_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    args = ["users", "create", "--email", "weak@example.org", "--name", "Wendy Weak"]
    result = runner.invoke(args=[*args, "--role", "hr", "--password", COMMON])
    assert result.exit_code != 0
    assert "--password is too easy to guess" in result.output
    result = runner.invoke(args=[*args, "--role", "hr", "--password", "short"])
    assert result.exit_code != 0 and "between 12 and 128" in result.output
    with app.app_context():
        assert accounts.user_by_email("weak@example.org") is None
    result = runner.invoke(args=[*args, "--role", "hr", "--password", PASSWORD])
    assert result.exit_code == 0, result.output


def test_strong_passphrases_still_work(browser_as) -> None:
    browser = browser_as("cpo")
    new = "streamlead-demo"  # the demo password must stay accepted
    browser.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
