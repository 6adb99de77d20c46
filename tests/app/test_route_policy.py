"""Every route is covered by the central policy, for every role and for anonymous visitors.

Requests run against the demo organisation, as its demo users. Each area lists URL
arguments for its routes in tests/app/samples/<area>.py as `SAMPLES`: endpoint ->
function(signed-in user or None) -> keyword arguments, choosing objects that user may reach
under the object rules (an exec's own assessment, say). A route with arguments and no
sample fails `test_every_route_has_sample_arguments`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import select
from werkzeug.routing import Rule

import tests.app.samples
from app import policy
from app.demo import load_demo
from app.extensions import db
from app.models import ROLES, User
from tests.fixtures.builders import PASSWORD
from tests.fixtures.client import Browser, sign_in

FRAMEWORK_PUBLIC = {"static"}
DEMO_LOGIN = {
    "admin": "admin@example.org",
    "cpo": "cpo@example.org",
    "interviewer": "interviewer1@example.org",
    "exec": "exec1@example.org",
    "hr": "hr@example.org",
}
# Skipped while walking: signing out would change who the remaining requests come from.
NOT_WALKED = {"auth.logout"}


def _samples() -> dict[str, Callable[[User | None], dict[str, Any]]]:
    merged: dict[str, Callable[[User | None], dict[str, Any]]] = {}
    for info in pkgutil.iter_modules(tests.app.samples.__path__):
        module = importlib.import_module(f"tests.app.samples.{info.name}")
        merged.update(module.SAMPLES)
    return merged


SAMPLE_ARGS = _samples()


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))


def test_every_view_declares_a_permission(app: Flask) -> None:
    missing = [
        rule.endpoint
        for rule in _rules(app)
        if rule.endpoint not in FRAMEWORK_PUBLIC
        and policy.permission_of(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == [], f"routes without a policy entry: {missing}"


def test_every_route_has_sample_arguments(app: Flask) -> None:
    missing = [r.endpoint for r in _rules(app) if r.arguments and r.endpoint not in SAMPLE_ARGS]
    assert missing == [], f"add SAMPLES entries in tests/app/samples/ for: {missing}"


def _expected_allowed(app: Flask, endpoint: str, role: str | None) -> bool | None:
    """True: must not be refused. False: must be refused. None: public."""
    if endpoint in FRAMEWORK_PUBLIC:
        return None
    permission = policy.permission_of(app.view_functions[endpoint])
    if permission == policy.PUBLIC:
        return None
    return role is not None and role in policy.PERMISSIONS[permission]


@pytest.fixture
def demo(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
    yield


def _walk(app: Flask, role: str | None) -> list[str]:
    browser = Browser(app.test_client())
    user = None
    if role:
        assert sign_in(browser.client, DEMO_LOGIN[role]).status_code == 302
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == DEMO_LOGIN[role]))
    failures = []
    for rule in _rules(app):
        if rule.endpoint in NOT_WALKED:
            continue
        with app.test_request_context():
            kwargs = SAMPLE_ARGS[rule.endpoint](user) if rule.arguments else {}
            url = url_for(rule.endpoint, **kwargs)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = browser.client.open(url, method=method)
        code, location = response.status_code, response.location or ""
        response.close()
        expected = _expected_allowed(app, rule.endpoint, role)
        if code >= 500:
            failures.append(f"{method} {url} as {role}: {code}")
        elif expected is None:
            continue
        elif role is None:
            if not (code == 302 and location.startswith("/login")):
                failures.append(f"{method} {url} anonymous: {code} {location}")
        elif expected and code == 403:
            failures.append(f"{method} {url} as {role}: refused but the policy allows it")
        elif not expected and code != 403:
            failures.append(f"{method} {url} as {role}: {code}, expected 403")
    return failures


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_gets_the_policy_outcome_on_every_route(
    app: Flask, demo: None, role: str | None
) -> None:
    assert _walk(app, role) == []


def test_unknown_permission_cannot_be_used() -> None:
    with pytest.raises(KeyError, match=r"add it to app/policy\.py"):
        policy.requires("no.such.permission")


def test_every_object_rule_names_a_known_permission() -> None:
    assert set(policy.OBJECT_RULES) <= set(policy.PERMISSIONS)
