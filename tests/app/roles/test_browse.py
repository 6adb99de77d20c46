"""Reading role definitions: the list, a whole version, and who sees what."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.roles import lifecycle, lookups
from assessments.role_files import load_default_role
from tests.app.roles.helpers import BASE
from tests.fixtures.builders import publish_role
from tests.fixtures.client import Browser
from tests.fixtures.queries import count_queries


@pytest.fixture
def published(app: Flask) -> None:
    publish_role(app)


def _start_draft(app: Flask) -> None:
    with app.app_context():
        lifecycle.start_draft(lookups.version_by_number("product-director", 1), actor=None)
        db.session.commit()


def test_list_shows_each_version_with_status_and_publisher(
    app: Flask, published: None, browser_as
) -> None:
    _start_draft(app)
    page = browser_as("cpo").get("/roles")
    section = page.find("section", attrs={"aria-labelledby": "role-product-director"})
    assert section.h2.get_text() == "Product Director (value stream)"
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in section.select("tbody tr")
    ]
    assert rows[0][:3] == ["v2 of Product Director (value stream)", "Draft", "13"]
    assert rows[1][:3] == ["v1 of Product Director (value stream)", "Published", "13"]
    assert rows[1][4] == "Command line"
    links = {a.get_text(" ", strip=True): a["href"] for a in section.find_all("a")}
    assert links["View latest draft (v2) of Product Director (value stream)"] == f"{BASE}/v2"


def test_list_hides_drafts_from_people_who_cannot_edit(
    app: Flask, published: None, browser_as
) -> None:
    _start_draft(app)
    page = browser_as("hr").get("/roles")
    assert [row.th.get_text(" ", strip=True) for row in page.select("tbody tr")] == [
        "v1 of Product Director (value stream)"
    ]
    assert page.find(string="Start a new role") is None


def test_list_is_empty_with_a_way_to_start(browser_as) -> None:
    page = browser_as("cpo").get("/roles")
    assert "No role has been defined yet." in page.get_text()
    assert page.find("a", string="Start a new role")["href"] == "/roles/new"


def test_version_page_shows_the_whole_definition(published: None, browser_as) -> None:
    page = browser_as("cpo").get(f"{BASE}/v1")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text() == "Product Director (value stream)"
    for heading in ("Purpose", "Responsibilities", "Expectations", "Experience"):
        assert page.find("h2", string=heading) is not None
    assert "Commercial and P&L" in text
    lenses = [h.contents[0].strip() for h in page.select("h3.sl-lens__title")]
    assert lenses == ["Value", "Workflow", "Quality", "Leadership"]
    value = page.find(id="lens-value")
    assert "5 competencies · 43% of the weight" in value.get_text(" ", strip=True)
    article = page.find(id="competency-value-and-pnl")
    facts = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in article.select(".govuk-summary-list__row")
    }
    assert facts == {
        "Required level": "3 Practitioner",
        "Weight": "3 (12.2% of the total)",
        "Key": "value-and-pnl",
    }
    assert "Must-have" in article.h4.get_text()
    levels = [row.th.get_text(" ", strip=True) for row in article.select(".sl-levels tbody tr")]
    assert levels == ["1 Awareness", "2 Working", "3 Practitioner Required", "4 Expert"]
    assert len(article.select("ol li")) == 3  # interview questions
    assert "When did you last change a plan" in article.get_text()  # a self prompt
    total = page.select_one("tfoot").get_text(" ", strip=True)
    assert total == "Total weight 24.5"


def test_exec_reads_a_published_version_without_weights_or_questions(
    published: None, browser_as
) -> None:
    page = browser_as("exec").get(f"{BASE}/v1")
    text = page.get_text(" ", strip=True)
    assert "Owning value and the P&L" in text
    assert "3 Practitioner" in text
    assert "Must-have" in text
    assert "Weight" not in text and "of the weight" not in text
    assert "Interview questions" not in text
    assert "Tell me about a time you were accountable" not in text
    assert "Questions to reflect on when you rate yourself" in text
    assert page.find(string="Edit (creates draft v2)") is None


def test_exec_and_hr_cannot_see_a_draft(app: Flask, published: None, browser_as) -> None:
    _start_draft(app)
    for role in ("exec", "hr", "interviewer"):
        browser = browser_as(role)
        browser.get(f"{BASE}/v2", status=403)
        browser.get(f"{BASE}/v2/preview", status=403)
        browser.get(f"{BASE}/v1", status=200)
    browser_as("admin").get(f"{BASE}/v2", status=200)


def test_interviewer_sees_the_interview_questions(published: None, browser_as) -> None:
    page = browser_as("interviewer").get(f"{BASE}/v1")
    assert "Tell me about a time you were accountable" in page.get_text()
    assert page.find(string="Edit (creates draft v2)") is None


def test_exec_cannot_edit(app: Flask, published: None, browser_as) -> None:
    browser = browser_as("exec")
    browser.post(f"{BASE}/v1/draft", status=403)
    browser.get("/roles", status=403)
    browser.get("/roles/new", status=403)


def test_unknown_role_or_version_is_not_found(published: None, browser_as) -> None:
    browser = browser_as("cpo")
    browser.get(f"{BASE}/v9", status=404)
    browser.get("/roles/no-such-role/v1", status=404)
    browser.get(f"{BASE}/v1/competencies/no-such-competency/edit", status=409)
    browser.post(f"{BASE}/v1/draft")
    browser.get(f"{BASE}/v2/competencies/no-such-competency/edit", status=404)


def test_download_gives_the_shipped_file(published: None, browser_as) -> None:
    response = browser_as("hr").client.get(f"{BASE}/v1/role.yaml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="product-director-v1.yaml"'
    )
    shipped = Path(__file__).resolve().parents[3] / "assessments/data/product-director.yaml"
    assert response.get_data(as_text=True) == shipped.read_text("utf-8")


def _add_roles(app: Flask, keys: range) -> None:
    with app.app_context():
        shipped = load_default_role()
        for n in keys:
            role = replace(shipped, key=f"role-{n}", name=f"Role {n}")
            lifecycle.add_version(role, publish=True, actor=None)
            lifecycle.add_version(role, publish=True, actor=None)
        db.session.commit()


def test_list_page_queries_do_not_grow_with_rows(app: Flask, browser_as) -> None:
    browser: Browser = browser_as("cpo")
    _add_roles(app, range(1))
    browser.get("/roles")
    with count_queries(app) as few:
        browser.get("/roles")
    _add_roles(app, range(1, 6))
    with count_queries(app) as many:
        page = browser.get("/roles")
    assert len(page.select("section.sl-role")) == 6
    assert len(many) == len(few)
