"""Administrators browse and filter the append-only audit log."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from app import audit
from app.extensions import db
from app.models import User


def _event(
    app: Flask,
    action: str,
    summary: str,
    actor_email: str | None = None,
    at: datetime | None = None,
    old=None,
    new=None,
) -> None:
    with app.test_request_context():
        actor = db.session.query(User).filter_by(email=actor_email).one() if actor_email else None
        event = audit.record(action, summary, actor=actor, old=old, new=new)
        if at:
            event.at = at
        db.session.commit()


def test_audit_log_reads_in_words_with_values_before_and_after(
    app: Flask, browser_as, make_user
) -> None:
    hr = make_user("hr", name="Hannah Price")
    admin = browser_as("admin")
    _event(
        app,
        "user.role_change",
        "ann@example.org: hr to cpo",
        hr.email,
        old={"role": "hr"},
        new={"role": "cpo"},
    )
    page = admin.get("/admin/audit")
    row = page.select("tbody tr")[0]
    what = row.select("td")[2]
    assert what.select_one(".sl-audit__kind").get_text(strip=True) == "Changed someone's role"
    assert "Hannah Price" in row.get_text(" ", strip=True)
    # The values are folded away until asked for, and read "Role hr → cpo", not JSON.
    details = what.select_one("details")
    assert details is not None and not details.has_attr("open")
    assert details.select_one("dt").get_text(strip=True) == "Role"
    assert details.select_one("dd").get_text(" ", strip=True) == "hr → cpo"
    assert "{" not in what.get_text()


def test_stored_times_in_values_read_in_the_organisations_zone(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    _event(
        app,
        "decision.record",
        "Sarah Whitfield: selected",
        old={"decided_at": None},
        new={"decided_at": "2026-08-18T14:30:00+00:00", "start_date": "2026-08-23"},
    )
    page = admin.get("/admin/audit?action=decision.record")
    values = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in page.select(".sl-audit__values > div")
    }
    assert values["Decided at"] == "– → 18 Aug 2026, 15:30 BST"
    assert values["Start date"] == "– → 23 Aug 2026"


def test_audit_codes_map_to_words_in_one_place_and_unknown_codes_still_read() -> None:
    assert audit.describe("auth.login") == "Signed in"
    assert audit.describe("interview.submit") == "Submitted an interview"
    assert audit.describe("grant.extend_term") == "Grant: extend term"
    assert audit.describe("odd") == "Odd"


def _recorded_codes() -> set[str]:
    """Every literal audit code in app/: first arguments of audit.record(...), `action=`
    keywords and `action = ...` assignments (conditional expressions included)."""
    codes: set[str] = set()

    def literals(node: ast.AST) -> None:
        for sub in ast.walk(node):
            value = sub.value if isinstance(sub, ast.Constant) else None
            if isinstance(value, str) and re.fullmatch(r"[a-z]+\.[a-z_]+", value):
                codes.add(value)

    for path in Path("app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "record" and node.args:
                    literals(node.args[0])
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        literals(keyword.value)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name | ast.Tuple) and "action" in ast.unparse(t)
                for t in node.targets
            ):
                literals(node.value)
    return codes


def test_every_code_the_app_records_has_words() -> None:
    codes = _recorded_codes() | {f"user.{p}_issued" for p in ("invite", "reset")}
    assert {"auth.login", "interview.submit", "role.competency_add"} <= codes
    assert sorted(codes - set(audit.EVENT_WORDS)) == []


def test_audit_times_are_in_the_organisations_zone(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    _event(app, "test.clock", "winter", at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    _event(app, "test.clock", "summer", at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    page = admin.get("/admin/audit?action=test.clock")
    whens = [row.select("td")[0].get_text(strip=True) for row in page.select("tbody tr")]
    assert whens == ["1 Dec 2026, 09:30 GMT", "2 Jul 2026, 00:30 BST"]


def test_audit_log_filters_by_what_happened_person_and_date(
    app: Flask, browser_as, make_user
) -> None:
    hr = make_user("hr", name="Hannah Price")
    cpo = make_user("cpo", name="Priya Raman")
    admin = browser_as("admin")
    _event(
        app, "decision.record", "Old decision", cpo.email, at=datetime(2026, 1, 5, 12, tzinfo=UTC)
    )
    _event(
        app, "decision.record", "New decision", cpo.email, at=datetime(2026, 3, 5, 12, tzinfo=UTC)
    )
    _event(app, "plan.issue", "Plan issued", hr.email, at=datetime(2026, 3, 6, 9, tzinfo=UTC))
    # 23:30 UTC on 31 May is already 1 June in London (BST).
    _event(app, "plan.issue", "Late plan", hr.email, at=datetime(2026, 5, 31, 23, 30, tzinfo=UTC))

    def summaries(url: str) -> list[str]:
        return [
            row.select_one(".sl-audit__summary").get_text(strip=True)
            for row in admin.get(url).select("tbody tr")
        ]

    page = admin.get("/admin/audit")
    options = [o.get_text(strip=True) for o in page.select("#action option")]
    # In words and in alphabetical order, "Anything" first.
    assert options[0] == "Anything" and options[1:] == sorted(options[1:])
    assert {"Issued a coaching plan", "Recorded a selection decision", "Signed in"} <= set(options)
    assert summaries("/admin/audit?action=decision.record") == ["New decision", "Old decision"]
    assert summaries("/admin/audit?person=hannah") == ["Late plan", "Plan issued"]
    assert summaries(
        "/admin/audit?action=decision.record&since-day=1&since-month=2&since-year=2026"
        "&until-day=5&until-month=3&until-year=2026"
    ) == ["New decision"]
    june = "since-day=1&since-month=6&since-year=2026&until-day=30&until-month=6&until-year=2026"
    assert summaries(f"/admin/audit?{june}") == ["Late plan"]
    # Links made before the date boxes (one ISO date) still work.
    assert summaries("/admin/audit?action=decision.record&since=2026-02-01") == ["New decision"]


def test_a_date_filter_that_is_not_a_date_is_explained_and_left_out(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    _event(app, "plan.issue", "Plan issued")
    page = admin.get("/admin/audit?action=plan.issue&since-day=31&since-month=2&since-year=2026")
    assert page.title.get_text().startswith("Error:")
    link = page.select_one(".govuk-error-summary a")
    assert link.get_text(strip=True) == "The from date must be a real date"
    assert link["href"] == "#since-day"
    assert page.select_one("#since-day")["value"] == "31"
    assert "govuk-input--error" in page.select_one("#since-day")["class"]
    assert "govuk-input--error" not in page.select_one("#since-month")["class"]
    assert [r.select_one(".sl-audit__summary").get_text() for r in page.select("tbody tr")] == [
        "Plan issued"
    ]


def test_audit_log_pages_fifty_at_a_time(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    for n in range(55):
        _event(app, "test.bulk", f"Event {n}")
    first = admin.get("/admin/audit?action=test.bulk")
    assert "55 events, page 1 of 2" in first.select_one("caption").get_text()
    assert len(first.select("tbody tr")) == 50
    second = admin.get("/admin/audit?action=test.bulk&page=2")
    assert len(second.select("tbody tr")) == 5


def test_audit_values_are_escaped(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    _event(app, "test.xss", "<b>bold</b>", new={"note": "<script>x</script>"})
    html = admin.client.get("/admin/audit?action=test.xss").get_data(as_text=True)
    assert "<script>x</script>" not in html and "<b>bold</b>" not in html


def test_audit_log_has_no_update_or_delete_routes(app: Flask) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.audit")]
    assert [sorted(r.methods - {"HEAD", "OPTIONS"}) for r in rules] == [["GET"]]


def test_audit_page_links_keep_the_filters_and_far_pages_show_the_oldest(
    app: Flask, browser_as
) -> None:
    admin = browser_as("admin")
    for n in range(55):
        _event(app, "test.bulk", f"Event {n}")
    first = admin.get("/admin/audit?action=test.bulk&person=")
    older = first.select_one(".govuk-pagination a[rel=next]")
    assert older.get_text(" ", strip=True) == "Older page"
    assert older["href"] == "/admin/audit?page=2&action=test.bulk"
    last = admin.get("/admin/audit?action=test.bulk&page=12")
    assert "55 events, page 2 of 2" in last.select_one("caption").get_text()
    assert len(last.select("tbody tr")) == 5
    newer = last.select_one(".govuk-pagination a[rel=prev]")
    assert newer.get_text(" ", strip=True) == "Newer page"
    assert newer["href"] == "/admin/audit?action=test.bulk"
