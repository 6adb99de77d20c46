"""With CSRF on, every roles form carries its token, so the pages work as rendered."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.auth import services as accounts
from app.extensions import db
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role
from config import TestConfig
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import parse


def _app(tmp_path: Path) -> Flask:
    class Config(TestConfig):
        WTF_CSRF_ENABLED = True
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'csrf.sqlite'}"

    application = create_app(Config)
    with application.app_context():
        db.create_all()
        accounts.create_user("cpo@example.org", "Priya Raman", "cpo", PASSWORD)
        lifecycle.add_version(load_default_role(), publish=True, actor=None)
        db.session.commit()
    return application


def _submit(client: FlaskClient, page: BeautifulSoup, url: str, **extra: str) -> str:
    """Post the form for this URL exactly as rendered, plus any typed values."""
    form = page.find("form", action=url) or page.find("form", action=None, method="post")
    assert form is not None, url
    data: dict[str, list[str]] = {}
    for i in form.find_all("input"):
        if i.get("name"):
            data.setdefault(i["name"], []).append(i.get("value", ""))
    for t in form.find_all("textarea"):  # a list has one box per item, all with one name
        data.setdefault(t["name"], []).append(t.get_text().lstrip("\r\n"))
    data.update({name: [value] for name, value in extra.items()})
    response = client.post(url, data=data)
    assert response.status_code == 302, (url, response.status_code)
    return response.location


def test_roles_forms_work_with_csrf_on(tmp_path: Path) -> None:
    app = _app(tmp_path)
    client = app.test_client()
    login = parse(client.get("/login"))
    token = login.find("input", attrs={"name": "csrf_token"})["value"]
    client.post(
        "/login", data={"email": "cpo@example.org", "password": PASSWORD, "csrf_token": token}
    )
    base = "/roles/product-director"

    page = parse(client.get(f"{base}/v1"))
    assert _submit(client, page, f"{base}/v1/draft") == f"{base}/v2"
    page = parse(client.get(f"{base}/v2"))
    _submit(client, page, f"{base}/v2/competencies/outcome-strategy/move", direction="up")
    page = parse(client.get(f"{base}/v2/edit"))
    _submit(client, page, f"{base}/v2/edit", purpose="Changed with CSRF on.")
    page = parse(client.get(f"{base}/v2/publish"))
    _submit(client, page, f"{base}/v2/publish")
    with app.app_context():
        version = lookups.version_by_number("product-director", 2)
        assert version.status == "published"
        assert version.content["purpose"] == "Changed with CSRF on."
        assert version.content["competencies"][0]["key"] == "outcome-strategy"
        db.session.remove()
        db.engine.dispose()
