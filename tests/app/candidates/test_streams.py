"""Value streams: describe them, see hats present and missing, and who is nominated."""

from __future__ import annotations

from flask import Flask

from app.candidates import streams as value_streams
from app.extensions import db
from app.models import AuditEvent, ValueStream
from tests.fixtures.builders import (
    Scenario,
    answer,
    count,
    full_answers,
    make_stream,
    nominate,
    publish_role,
)
from tests.fixtures.client import parse
from tests.fixtures.queries import count_queries


def _stream_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Payments and billing",
        "journey": "From choosing how to pay to the money reaching us",
        "business_owner": "Mark Ellison, CFO",
        "functions": ["Product management", "Commercial and P&L"],
        "hat_product": "Aisha Rahman",
        "hat_design": "",
        "hat_engineering": "Katarzyna Nowak",
        "hat_data": "  ",
        "hat_delivery": "",
    }
    data.update(overrides)
    return data


def test_cpo_adds_a_stream_and_sees_its_missing_hats(app: Flask, browser_as) -> None:
    publish_role(app)
    cpo = browser_as("cpo")
    form = cpo.get("/streams/new")
    boxes = [i["value"] for i in form.select("input[name=functions]")]
    assert boxes == [
        "Product management",
        "User experience and design",
        "Engineering",
        "Data and analytics",
        "Delivery and agile coaching",
        "Commercial and P&L",
    ]
    response = cpo.post("/streams/new", _stream_form())
    page = cpo.get(response.location)
    assert page.h1.get_text() == "Payments and billing"
    warning = page.select_one(".govuk-warning-text__text").get_text(" ", strip=True)
    assert (
        "3 of 5 hats missing: UX and design, Data and analytics, Delivery and agile coaching"
        in warning
    )
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in page.select("table")[0].select("tbody tr")
    }
    assert rows["Product management"] == ["Aisha Rahman", "Present"]
    assert rows["Data and analytics"] == ["Nobody", "Missing"]
    with app.app_context():
        stream = db.session.query(ValueStream).one()
        assert stream.functions == ["Product management", "Commercial and P&L"]
        assert stream.missing_hats == ["design", "data", "delivery"]
        assert db.session.query(AuditEvent).filter_by(action="stream.create").count() == 1


def test_stream_form_errors_keep_what_was_typed(app: Flask, browser_as) -> None:
    publish_role(app)
    cpo = browser_as("cpo")
    response = cpo.post("/streams/new", _stream_form(name="", functions=[]), status=200)
    page = parse(response)
    assert page.title.get_text().startswith("Error:")
    summary = [a.get_text() for a in page.select(".govuk-error-summary a")]
    assert summary == [
        "Enter the value stream's name",
        "Choose at least one function the value stream needs",
    ]
    assert page.find("input", attrs={"name": "hat_product"})["value"] == "Aisha Rahman"
    assert (
        page.find("textarea", attrs={"name": "journey"})
        .get_text()
        .strip()
        .startswith("From choosing")
    )
    assert count(app, ValueStream) == 0


def test_stream_names_are_unique(app: Flask, browser_as) -> None:
    publish_role(app)
    make_stream(app, name="Payments and billing")
    response = browser_as("cpo").post(
        "/streams/new", _stream_form(name="payments and BILLING"), status=200
    )
    assert "A value stream called Payments and billing already exists" in response.get_data(
        as_text=True
    )
    assert count(app, ValueStream) == 1


def test_editing_keeps_a_function_the_role_no_longer_lists(app: Flask, browser_as) -> None:
    stream_id = make_stream(app, functions=["Product management", "Legal"])
    page = browser_as("cpo").get(f"/streams/{stream_id}/edit")
    checked = [i["value"] for i in page.select("input[name=functions][checked]")]
    assert checked == ["Product management", "Legal"]


def test_hr_reads_streams_but_cannot_edit_them(app: Flask, browser_as) -> None:
    stream_id = make_stream(app)
    hr = browser_as("hr")
    page = hr.get(f"/streams/{stream_id}")
    assert page.h1.get_text() == "Customer onboarding"
    assert page.find("a", string="Nominate a candidate") is None
    hr.get(f"/streams/{stream_id}/edit", status=403)
    browser_as("exec").get("/streams", status=403)


def test_stream_page_lists_candidates_with_their_function_gaps(
    app: Flask, browser_as, make_user
) -> None:
    stream_id = make_stream(app, functions=["Product management", "Engineering"])
    candidate = make_user("exec", name="Sarah Whitfield")
    nominate(app, candidate, stream_id)
    cpo = browser_as("cpo")
    cpo.post(
        f"/people/{candidate.id}/profile",
        {
            "current_role": "Director of Customer Operations",
            "business_area": "Operations",
            "exp-product-management": "deep",
            "exp-user-experience-and-design": "some",
            "exp-engineering": "none",
            "exp-data-and-analytics": "none",
            "exp-delivery-and-agile-coaching": "none",
            "exp-commercial-and-p-l": "some",
        },
    )
    page = cpo.get(f"/streams/{stream_id}")
    row = page.select("table")[1].select_one("tbody tr")
    text = row.get_text(" ", strip=True)
    assert "Sarah Whitfield" in text and "Director of Customer Operations" in text
    assert "1 of 2 functions (1 deep, 0 some)" in text
    assert "Gaps: Engineering" in text
    assert "Invited" in text


def test_stream_list_runs_the_same_number_of_queries_for_more_streams(
    app: Flask, browser_as, make_user
) -> None:
    cpo = browser_as("cpo")
    first = make_stream(app, name="One")
    nominate(app, make_user("exec"), first)
    with count_queries(app) as few:
        cpo.get("/streams")
    for n in range(3):
        stream_id = make_stream(app, name=f"More {n}")
        nominate(app, make_user("exec"), stream_id)
        nominate(app, make_user("exec"), stream_id)
    with count_queries(app) as many:
        page = cpo.get("/streams")
    assert len(page.select("tbody tr")) == 4
    assert len(page.select("tbody ul.sl-tight li")) == 7
    assert len(many) == len(few)


def test_stream_page_links_to_its_shortlist(app: Flask, browser_as, make_user) -> None:
    stream_id = make_stream(app)
    empty = browser_as("cpo").get(f"/streams/{stream_id}")
    assert empty.find("a", string="Shortlist for Customer onboarding") is None
    nominate(app, make_user("exec"), stream_id)
    for role in ("cpo", "hr", "admin"):
        viewer = browser_as(role)
        link = viewer.get(f"/streams/{stream_id}").find(
            "a", string="Shortlist for Customer onboarding"
        )
        assert link["href"] == f"/value-streams/{stream_id}/shortlist"
        shortlist = viewer.get(link["href"])
        back = shortlist.select_one(".govuk-back-link")
        assert back["href"] == f"/streams/{stream_id}"


def test_stream_list_counts_candidates_when_there_are_many(
    app: Flask, browser_as, make_user
) -> None:
    busy = make_stream(app, name="Busy")
    quiet = make_stream(app, name="Quiet")
    for n in range(7):
        assessment_id = nominate(app, make_user("exec", name=f"Exec {n}"), busy)
        if n < 2:
            answer(app, assessment_id, full_answers(), submit=True)
    nominate(app, make_user("exec", name="Zed Quiet"), quiet)
    page = browser_as("hr").get("/streams")
    rows = {tr.th.a.get_text(): tr for tr in page.select("tbody tr")}
    busy_cell = rows["Busy"].select("td")[-1]
    assert busy_cell.get_text(" ", strip=True) == (
        "7 candidates for Busy : 5 invited, 2 self-assessment submitted"
    )
    assert busy_cell.a["href"] == f"/candidates?stream={busy}"
    assert rows["Quiet"].select("td")[-1].get_text(" ", strip=True) == "Zed Quiet Invited"


def test_stream_page_lists_its_candidates_in_pages_by_name(
    app: Flask, scenario: Scenario, browser_as, monkeypatch
) -> None:
    monkeypatch.setattr(value_streams, "STREAM_PAGE_SIZE", 2)
    cpo = browser_as("cpo")
    url = f"/streams/{scenario.stream_id}"
    first = cpo.get(url)
    table = first.select("table")[1]
    assert table.caption.get_text(" ", strip=True).startswith("3 candidates")
    names = [th.get_text(strip=True) for th in table.select("tbody th")]
    nav = first.find("nav", attrs={"aria-label": "Candidate pages"})
    second = cpo.get(nav.find("a", rel="next")["href"])
    names += [th.get_text(strip=True) for th in second.select("table")[1].select("tbody th")]
    # Home buying: Sarah (decided), David (scored) and James (no interview yet).
    assert names == ["David Mensah", "James Carter", "Sarah Whitfield"]
    statuses = [
        tr.select("td")[-1].get_text(strip=True)
        for tr in first.select("table")[1].select("tbody tr")
    ]
    assert statuses == ["Scored", "Self-assessment submitted"]
    assert (
        cpo.get(f"{url}?page=7").select("table")[1].select("tbody th")[0].get_text(strip=True)
        == "Sarah Whitfield"
    )
