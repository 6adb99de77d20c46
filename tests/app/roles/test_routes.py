"""Every roles route gives each demo role the policy's answer, with the area's own samples.

tests/app/test_route_policy.py walks all routes; this walks only this area's, so the roles
pages are checked even while another area's routes are unfinished.
"""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from app import policy
from app.demo import load_demo
from app.extensions import db
from app.models import ROLES, User
from tests.app.samples.roles import SAMPLES
from tests.app.test_route_policy import DEMO_LOGIN
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import sign_in


@pytest.mark.parametrize("role", [None, *ROLES])
def test_roles_routes_follow_the_policy(app: Flask, role: str | None) -> None:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    client = app.test_client()
    user = None
    if role:
        assert sign_in(client, DEMO_LOGIN[role]).status_code == 302
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == DEMO_LOGIN[role]))
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.startswith("roles.")),
        key=lambda r: r.endpoint,
    )
    assert len(rules) == 16
    failures = []
    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **(SAMPLES[rule.endpoint](user) if rule.arguments else {}))
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = client.open(url, method=method)
        code = response.status_code
        permission = policy.permission_of(app.view_functions[rule.endpoint])
        allowed = role is not None and role in policy.PERMISSIONS[permission]
        if code >= 500:
            failures.append(f"{method} {url}: {code}")
        elif role is None and not (code == 302 and response.location.startswith("/login")):
            failures.append(f"{method} {url} anonymous: {code}")
        elif role is not None and allowed == (code == 403):
            failures.append(f"{method} {url} as {role}: {code}")
    assert failures == []
