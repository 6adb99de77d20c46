"""Administrators browse and filter the append-only audit log."""

from __future__ import annotations

from datetime import UTC, datetime

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


def test_audit_log_lists_events_newest_first_with_values(app: Flask, browser_as, make_user) -> None:
    hr = make_user("hr", name="Hannah Price")
    admin = browser_as("admin")
    _event(app, "rating.change", "Rating changed", hr.email, old={"level": 2}, new={"level": 3})
    page = admin.get("/admin/audit")
    first = page.select("tbody tr")[0].get_text(" ", strip=True)
    assert "rating.change" in first and "Hannah Price" in first
    assert '{"level": 2}' in first and '{"level": 3}' in first


def test_audit_log_filters_by_action_person_and_date(app: Flask, browser_as, make_user) -> None:
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

    def summaries(url: str) -> list[str]:
        return [
            row.select("td")[2].get_text(" ", strip=True)
            for row in admin.get(url).select("tbody tr")
        ]

    assert summaries("/admin/audit?action=decision.record") == [
        "decision.record New decision",
        "decision.record Old decision",
    ]
    assert summaries("/admin/audit?person=hannah") == ["plan.issue Plan issued"]
    assert summaries("/admin/audit?action=decision.record&since=2026-02-01&until=2026-03-05") == [
        "decision.record New decision"
    ]
    assert summaries("/admin/audit?since=not-a-date&action=plan.issue") == [
        "plan.issue Plan issued"
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
