"""Hostile and random input to every form: never a 500, and stored text always renders escaped."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.demo import load_demo
from app.extensions import db
from tests.app.test_route_policy import DEMO_LOGIN, SAMPLE_ARGS
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import sign_in

MARKER = "<script>alert('sl')</script>"
HOSTILE = st.sampled_from(
    [
        MARKER,
        "<img src=x onerror=alert(1)>",
        '\'; DROP TABLE "user"; --',
        "\x00\x01\x1b",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ – “quotes” ﷽",
        "A" * 20000,
        "",
        "   ",
        "-1",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "../../etc/passwd",
        "%s%s%n{0}{{7*7}}",
        "2026-02-30",
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=60))
# Walking every form for every role is slow; these roles hold every form between them.
ROLES = ("admin", "cpo", "hr", "interviewer", "exec")
SKIPPED = {"auth.logout", "auth.login"}


def _form_fields(html: str, action: str) -> list[str]:
    """Names of the inputs of the form posting to `action` (or the first form with fields)."""
    soup = BeautifulSoup(html, "html.parser")
    forms = [f for f in soup.find_all("form") if f.get("method", "get").lower() == "post"]
    chosen = [f for f in forms if (f.get("action") or action) == action] or forms
    names: list[str] = []
    for form in chosen[:1]:
        for element in form.find_all(["input", "textarea", "select"]):
            name = element.get("name")
            if name and name != "csrf_token" and name not in names:
                names.append(name)
    return names


@pytest.mark.parametrize("role", ROLES)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_form_survives_hostile_input(app: Flask, role: str, data: st.DataObject) -> None:
    with app.test_request_context():
        if not db.session.query(db.metadata.tables["user"]).count():
            load_demo(PASSWORD)
            db.session.commit()
    client = app.test_client()
    assert sign_in(client, DEMO_LOGIN[role]).status_code == 302
    with app.app_context():
        from app.models import User

        user = db.session.query(User).filter_by(email=DEMO_LOGIN[role]).one()
        rules = sorted(
            (r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())),
            key=lambda r: r.endpoint,
        )
        failures = []
        for rule in rules:
            if rule.endpoint in SKIPPED:
                continue
            with app.test_request_context():
                kwargs = SAMPLE_ARGS[rule.endpoint](user) if rule.arguments else {}
                url = url_for(rule.endpoint, **kwargs)
            page = client.get(url) if "GET" in (rule.methods or ()) else None
            html = (
                page.get_data(as_text=True) if page is not None and page.status_code == 200 else ""
            )
            if page is not None:
                page.close()
            names = _form_fields(html, url) or ["value"]
            payload = {name: data.draw(VALUES, label=f"{rule.endpoint}:{name}") for name in names}
            response = client.post(url, data=payload)
            body = response.get_data()
            response.close()
            if response.status_code >= 500:
                failures.append(f"POST {url} as {role}: {response.status_code}")
            if MARKER.encode() in body:
                failures.append(f"POST {url} as {role}: unescaped script in the response")
            if client.get("/").status_code != 200:
                assert sign_in(client, DEMO_LOGIN[role]).status_code == 302
        # Whatever was stored must come back escaped on every page that shows it.
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            with app.test_request_context():
                kwargs = SAMPLE_ARGS[rule.endpoint](user) if rule.arguments else {}
                url = url_for(rule.endpoint, **kwargs)
            response = client.get(url)
            if MARKER.encode() in response.get_data():
                failures.append(f"GET {url} as {role}: unescaped script from stored input")
            response.close()
        assert failures == []
