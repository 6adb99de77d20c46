"""Every route is covered by the central policy, for every role and for anonymous visitors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app import policy
from app.models import ROLES
from tests.fixtures.client import Browser

# Endpoints served by Flask itself, open to everyone by design.
FRAMEWORK_PUBLIC = {"static"}

# URL arguments per endpoint, from the objects a test creates. A new route with arguments
# fails `test_every_route_has_sample_arguments` until it is given an entry here.
SampleArgs = Callable[[dict[str, object]], dict[str, object]]
SAMPLE_ARGS: dict[str, SampleArgs] = {
    "static": lambda objs: {"filename": "css/streamlead.css"},
    "admin.show_user": lambda objs: {"user_id": objs["other"].id},
    "admin.change_role": lambda objs: {"user_id": objs["other"].id},
    "admin.toggle_active": lambda objs: {"user_id": objs["other"].id},
    "admin.reset_link": lambda objs: {"user_id": objs["other"].id},
    "auth.set_password": lambda objs: {"token": "no-such-token"},
}


def _rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)


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
    assert missing == [], f"add SAMPLE_ARGS entries for: {missing}"


def _expected_allowed(app: Flask, endpoint: str, role: str | None) -> bool | None:
    """True: must not be refused. False: must be refused. None: public."""
    if endpoint in FRAMEWORK_PUBLIC:
        return None
    permission = policy.permission_of(app.view_functions[endpoint])
    if permission == policy.PUBLIC:
        return None
    return role is not None and role in policy.PERMISSIONS[permission]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_gets_the_policy_outcome_on_every_route(
    app: Flask, role: str | None, make_user, browser_as
) -> None:
    objs: dict[str, object] = {"other": make_user("exec")}
    browser: Browser = browser_as(role) if role else Browser(app.test_client())
    failures = []
    for rule in _rules(app):
        if rule.endpoint == "auth.logout":
            continue  # signing out mid-walk would change who the remaining requests come from
        kwargs = SAMPLE_ARGS.get(rule.endpoint, lambda o: {})(objs)
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **kwargs)
        method = "GET" if "GET" in rule.methods else "POST"
        response = browser.client.open(url, method=method)
        code = response.status_code
        response.close()
        expected = _expected_allowed(app, rule.endpoint, role)
        if code >= 500:
            failures.append(f"{method} {url} as {role}: {code}")
        elif expected is None:
            continue
        elif role is None:
            if not (code == 302 and response.location.startswith("/login")):
                failures.append(f"{method} {url} anonymous: {code} {response.location}")
        elif expected and code == 403:
            failures.append(f"{method} {url} as {role}: refused but the policy allows it")
        elif not expected and code != 403:
            failures.append(f"{method} {url} as {role}: {code}, expected 403")
    assert failures == []


def test_unknown_permission_cannot_be_used() -> None:
    with pytest.raises(KeyError, match=r"add it to app/policy\.py"):
        policy.requires("no.such.permission")
