"""Headers, CSRF on every form, and production safety."""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from werkzeug.routing.converters import AnyConverter

from app import create_app, queue
from config import ProductionConfig, TestConfig
from tests.fixtures.client import Browser, parse


def test_security_headers_on_pages(anonymous: Browser) -> None:
    response = anonymous.client.get("/login")
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_not_cached(browser_as) -> None:
    browser = browser_as("hr")
    assert browser.client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(browser_as) -> None:
    page = browser_as("admin").get("/admin/users")
    assert [s for s in page.find_all("script") if not s.get("src")] == []


@pytest.fixture
def csrf_app(tmp_path) -> Flask:
    class Config(TestConfig):
        WTF_CSRF_ENABLED = True
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'csrf.sqlite'}"

    application = create_app(Config)
    from app.extensions import db

    with application.app_context():
        db.create_all()
    return application


def test_every_post_route_rejects_a_missing_csrf_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    posts = [r for r in csrf_app.url_map.iter_rules() if "POST" in r.methods]
    assert posts, "there should be forms to protect"
    for rule in posts:
        args: dict[str, object] = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            args[name] = sorted(converter.items)[0] if isinstance(converter, AnyConverter) else 1
        with csrf_app.test_request_context():
            url = url_for(rule.endpoint, **args)
        response = client.post(url, data={"email": "a@example.org", "password": "x"})
        assert response.status_code == 400, rule.endpoint
        assert "your session had ended" in response.get_data(as_text=True)


def test_login_form_carries_a_csrf_token(csrf_app: Flask) -> None:
    page = parse(csrf_app.test_client().get("/login"))
    assert page.find("input", attrs={"name": "csrf_token"})["value"]


def test_production_refuses_the_default_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    class Config(ProductionConfig):
        SECRET_KEY = "dev-only-insecure-key"

    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(Config)

    class Empty(ProductionConfig):
        SECRET_KEY = ""

    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(Empty)


def test_production_cookies_are_secure() -> None:
    class Config(ProductionConfig):
        SECRET_KEY = "x" * 40

    assert create_app(Config).config["SESSION_COOKIE_SECURE"] is True


def test_unknown_page_gets_a_friendly_404(anonymous: Browser) -> None:
    page = anonymous.get("/no/such/page", status=404)
    assert page.h1.get_text() == "Page not found"


def test_production_sends_hsts_on_every_response(app: Flask) -> None:
    class Config(ProductionConfig):
        SECRET_KEY = "a-long-random-test-secret-for-production-config"
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    production = create_app(Config)
    try:
        client = production.test_client()
        for path in ("/login", "/no-such-page", "/static/css/streamlead.css"):
            response = client.get(path)  # plain http, as a TLS-terminating proxy forwards it
            response.close()
            assert (
                response.headers.get("Strict-Transport-Security")
                == "max-age=31536000; includeSubDomains"
            ), path
    finally:
        from app.extensions import db

        with production.app_context():
            db.engine.dispose()
        queue.configure(app)  # the session's app runs tasks again, not this disposed one


def test_pages_with_a_token_in_their_url_are_not_stored_or_referred(
    app: Flask, anonymous: Browser, make_user
) -> None:
    from app.auth import services as accounts
    from app.extensions import db
    from app.models import User

    user = make_user("exec", password=None)
    with app.test_request_context():
        raw = accounts.issue_token(db.session.get(User, user.id), "invite")
        db.session.commit()
    for url, status in ((f"/account/set-password/{raw}", 200), ("/account/set-password/x", 404)):
        response = anonymous.client.get(url)
        assert response.status_code == status
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
    assert "no-store" not in anonymous.client.get("/login").headers.get("Cache-Control", "")
