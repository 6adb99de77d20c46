"""The CPO drafts, edits, reorders, previews and publishes a role in the browser."""

from __future__ import annotations

import pytest
from flask import Flask

from app.extensions import db
from app.roles import editing, errors, lifecycle, lookups
from tests.app.roles.helpers import (
    BASE,
    KEY,
    audit_events,
    competency_data,
    counts,
    field_error,
    hidden_version,
    new_competency,
    role_fields,
    stored,
    summary_messages,
)
from tests.fixtures.builders import PASSWORD, publish_role
from tests.fixtures.client import Browser, parse


@pytest.fixture
def cpo(app: Flask, browser_as) -> Browser:
    publish_role(app)
    return browser_as("cpo")


def _draft(cpo: Browser) -> None:
    cpo.post(f"{BASE}/v1/draft")


def _keys(app: Flask, number: int) -> list[str]:
    return [c["key"] for c in stored(app, number)["content"]["competencies"]]


# --- Drafting -------------------------------------------------------------------------------


def test_edit_on_a_published_version_creates_the_next_draft_as_a_copy(
    app: Flask, cpo: Browser
) -> None:
    page = cpo.get(f"{BASE}/v1")
    button = page.find("button", string="Edit (creates draft v2)")
    assert button is not None
    response = cpo.post(f"{BASE}/v1/draft")
    assert response.location == f"{BASE}/v2"
    draft = stored(app, 2)
    assert draft["status"] == "draft"
    assert draft["content"] == stored(app, 1)["content"]
    page = cpo.get(f"{BASE}/v2")
    assert "Draft v2: only editors can see it" in page.get_text()


def test_only_one_draft_at_a_time_a_second_edit_goes_to_it(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    response = cpo.post(f"{BASE}/v1/draft")
    assert response.location == f"{BASE}/v2"
    assert counts(app)[1] == 2
    page = cpo.get(f"{BASE}/v1")
    assert page.find("button", string="Edit (creates draft v2)") is None
    assert page.find("a", string="Continue editing draft v2")["href"] == f"{BASE}/v2"


def test_draft_creation_is_audited(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    event = audit_events(app, "role.version_create")[-1]
    assert event.old_value == {"number": 1, "status": "published"}
    assert event.new_value == {"number": 2, "status": "draft", "copied_from": 1}


# --- Role fields ----------------------------------------------------------------------------


def test_edit_role_fields_one_box_per_item(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/edit")
    content = stored(app, 2)["content"]
    boxes = page.find_all("textarea", attrs={"name": "functions"})
    # Each function in its own labelled box ("Add another function" gives an empty one).
    assert [b.get_text().strip() for b in boxes] == list(content["functions"])
    labels = [page.find("label", attrs={"for": b["id"]}).get_text(strip=True) for b in boxes]
    assert labels[:2] == ["Function 1", "Function 2"]
    data = role_fields(
        content,
        purpose="Lead one value stream.",
        # Blank rows are dropped; a box holding line breaks (a pasted list) gives one item a line.
        functions=["Engineering", "", "  Data and analytics  \nCommercial and P&L\n", ""],
        version=hidden_version(page),
    )
    response = cpo.post(f"{BASE}/v2/edit", data)
    assert response.location == f"{BASE}/v2"
    saved = stored(app, 2)["content"]
    assert saved["purpose"] == "Lead one value stream."
    assert saved["functions"] == ["Engineering", "Data and analytics", "Commercial and P&L"]
    assert stored(app, 1)["content"]["purpose"] != "Lead one value stream."
    event = audit_events(app, "role.edit")[-1]
    assert event.old_value == {"purpose": content["purpose"], "functions": content["functions"]}
    assert event.new_value == {
        "purpose": "Lead one value stream.",
        "functions": ["Engineering", "Data and analytics", "Commercial and P&L"],
    }


def test_role_fields_are_all_required_and_the_input_is_kept(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    before = stored(app, 2)
    page = cpo.get(f"{BASE}/v2/edit")
    data = role_fields(
        before["content"],
        name="Renamed role",
        purpose="",
        responsibilities="  \n ",
        version=hidden_version(page),
    )
    page = parse(cpo.post(f"{BASE}/v2/edit", data, status=400))
    assert field_error(page, "purpose") == "Enter the purpose of the role"
    assert field_error(page, "responsibilities") == "Enter at least one responsibility"
    assert page.title.get_text().startswith("Error:")
    assert page.find("input", attrs={"name": "name"})["value"] == "Renamed role"
    assert stored(app, 2) == before


# --- Competencies ---------------------------------------------------------------------------


def test_add_a_competency_at_the_end(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/competencies/new")
    data = new_competency(must_have="y", version=hidden_version(page))
    response = cpo.post(f"{BASE}/v2/competencies/new", data)
    assert response.location == f"{BASE}/v2#competency-portfolio-funding"
    added = stored(app, 2)["content"]["competencies"][-1]
    assert added == {
        "key": "portfolio-funding",
        "name": "Portfolio funding",
        "description": "Moves money between bets as evidence arrives.",
        "lens": "value",
        "weight": 1.5,
        "required_level": 2,
        "must_have": True,
        "levels": {
            "1": "Knows how the stream is funded.",
            "2": "Argues for funding with evidence.",
            "3": "Moves funding between bets as results come in.",
            "4": "Shapes funding across several streams.",
        },
        "interview_questions": ["When did you stop funding a bet?", "How do you size a bet?"],
        "self_prompts": ["When did you last move money between bets?"],
    }
    page = cpo.get(f"{BASE}/v2")
    article = page.find(id="competency-portfolio-funding")
    assert "Must-have" in article.get_text()
    assert "1.5" in article.get_text()
    assert audit_events(app, "role.competency_add")[-1].new_value == added


def test_edit_a_competency_changes_only_that_one(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    before = stored(app, 2)["content"]["competencies"]
    page = cpo.get(f"{BASE}/v2/competencies/outcome-strategy/edit")
    assert page.find("input", attrs={"name": "name"})["value"] == "Outcome-led strategy"
    assert page.find("input", attrs={"name": "required_level", "value": "3"}).has_attr("checked")
    data = competency_data(
        before[1], weight="2.5", required_level="4", version=hidden_version(page)
    )
    cpo.post(f"{BASE}/v2/competencies/outcome-strategy/edit", data)
    after = stored(app, 2)["content"]["competencies"]
    assert after[1]["weight"] == 2.5 and after[1]["required_level"] == 4
    assert after[0] == before[0] and after[2:] == before[2:]
    event = audit_events(app, "role.competency_edit")[-1]
    assert event.old_value == {"weight": 2, "required_level": 3}
    assert event.new_value == {"weight": 2.5, "required_level": 4}


def test_remove_a_competency_after_confirming(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/competencies/delivery-health/remove")
    assert page.h1.get_text() == "Remove Flow and delivery health (e.g. DORA measures)?"
    cpo.post(f"{BASE}/v2/competencies/delivery-health/remove", {"version": hidden_version(page)})
    assert "delivery-health" not in _keys(app, 2)
    assert "delivery-health" in _keys(app, 1)
    event = audit_events(app, "role.competency_remove")[-1]
    assert event.old_value["position"] == 7
    assert event.old_value["competency"]["key"] == "delivery-health"


def test_reorder_with_move_up_and_down_buttons(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2")
    first_row = page.select("#order ~ div table tbody tr")[0]
    assert first_row.find("button", attrs={"value": "up"}) is None
    assert first_row.find("button", attrs={"value": "down"}) is not None
    version = page.find("form", action=f"{BASE}/v2/competencies/outcome-strategy/move").find(
        "input", attrs={"name": "version"}
    )["value"]
    cpo.post(
        f"{BASE}/v2/competencies/outcome-strategy/move", {"version": version, "direction": "up"}
    )
    assert _keys(app, 2)[:3] == ["outcome-strategy", "value-and-pnl", "continuous-prioritisation"]
    page = parse(
        cpo.post(
            f"{BASE}/v2/competencies/outcome-strategy/move",
            {"version": str(stored(app, 2)["version"]), "direction": "down"},
            follow=True,
            status=200,
        )
    )
    assert "Outcome-led strategy moved down to position 2." in page.get_text()
    assert _keys(app, 2)[:2] == ["value-and-pnl", "outcome-strategy"]
    assert audit_events(app, "role.competency_move")[0].new_value == {
        "key": "outcome-strategy",
        "position": 1,
    }


def test_moving_the_first_competency_up_is_refused_plainly(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = parse(
        cpo.post(
            f"{BASE}/v2/competencies/value-and-pnl/move",
            {"version": str(stored(app, 2)["version"]), "direction": "up"},
            follow=True,
            status=200,
        )
    )
    assert "Owning value and the P&L is already first." in page.get_text()


# --- Messages at the fields -----------------------------------------------------------------


def test_weight_zero_is_explained_under_the_weight_field(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    before = counts(app), stored(app, 2)
    page = cpo.get(f"{BASE}/v2/competencies/new")
    data = new_competency(weight="0", version=hidden_version(page))
    page = parse(cpo.post(f"{BASE}/v2/competencies/new", data, status=400))
    assert field_error(page, "weight") == "Weight must be greater than 0"
    assert summary_messages(page) == ["Weight must be greater than 0"]
    assert page.find("input", attrs={"name": "weight"})["value"] == "0"
    assert page.find("input", attrs={"name": "name"})["value"] == "Portfolio funding"
    assert (counts(app), stored(app, 2)) == before


def test_duplicate_competency_key_names_the_competency_that_has_it(
    app: Flask, cpo: Browser
) -> None:
    _draft(cpo)
    before = stored(app, 2)
    page = cpo.get(f"{BASE}/v2/competencies/new")
    data = new_competency(key="customer-evidence", version=hidden_version(page))
    page = parse(cpo.post(f"{BASE}/v2/competencies/new", data, status=400))
    assert field_error(page, "key") == (
        'Key "customer-evidence" is already used by the competency '
        '"Customer evidence and discovery": choose a different key'
    )
    assert stored(app, 2) == before


def test_every_problem_is_shown_at_once_and_nothing_is_saved(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    before = stored(app, 2)
    page = cpo.get(f"{BASE}/v2/competencies/outcome-strategy/edit")
    data = competency_data(
        before["content"]["competencies"][1],
        key="Outcome Strategy",
        weight="-1",
        level_3="",
        lens=None,
        interview_questions=" \n ",
        version=hidden_version(page),
    )
    page = parse(cpo.post(f"{BASE}/v2/competencies/outcome-strategy/edit", data, status=400))
    assert field_error(page, "key") == (
        "Key must be lowercase letters and digits joined by hyphens, e.g. team-health"
    )
    assert field_error(page, "weight") == "Weight must be greater than 0"
    assert field_error(page, "level_3") == "Describe level 3 (Practitioner)"
    assert field_error(page, "lens") == "Choose the lens the competency serves"
    assert field_error(page, "interview_questions") == "Enter at least one interview question"
    assert len(summary_messages(page)) == 5
    assert stored(app, 2) == before


def test_weight_that_is_not_a_number(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/competencies/new")
    data = new_competency(weight="two", version=hidden_version(page))
    page = parse(cpo.post(f"{BASE}/v2/competencies/new", data, status=400))
    assert field_error(page, "weight") == "Enter the weight as a number, like 2 or 1.5"


# --- Stale edits ----------------------------------------------------------------------------


def test_stale_edit_is_refused_showing_both_versions(app: Flask, cpo: Browser, browser_as) -> None:
    _draft(cpo)
    content = stored(app, 2)["content"]
    mine = cpo.get(f"{BASE}/v2/edit")
    other = browser_as("admin")
    theirs = other.get(f"{BASE}/v2/edit")
    other.post(
        f"{BASE}/v2/edit",
        role_fields(content, purpose="Their purpose.", version=hidden_version(theirs)),
    )
    page = parse(
        cpo.post(
            f"{BASE}/v2/edit",
            role_fields(content, purpose="My purpose.", version=hidden_version(mine)),
            status=409,
        )
    )
    assert stored(app, 2)["content"]["purpose"] == "Their purpose."
    text = page.get_text(" ", strip=True)
    assert "Someone else changed this draft while you were editing it" in text
    assert page.find("textarea", attrs={"name": "purpose"}).get_text().strip() == "My purpose."
    assert "Their purpose." in page.find(class_="sl-saved-state").get_text()
    # Saving again, having seen theirs, replaces it.
    cpo.post(
        f"{BASE}/v2/edit", role_fields(content, purpose="My purpose.", version=hidden_version(page))
    )
    assert stored(app, 2)["content"]["purpose"] == "My purpose."


def test_stale_competency_edit_is_refused(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/competencies/outcome-strategy/edit")
    stale = hidden_version(page)
    cpo.post(
        f"{BASE}/v2/competencies/value-and-pnl/move",
        {"version": str(stored(app, 2)["version"]), "direction": "down"},
    )
    before = stored(app, 2)
    competency = before["content"]["competencies"][0]
    page = parse(
        cpo.post(
            f"{BASE}/v2/competencies/outcome-strategy/edit",
            competency_data(competency, name="New name", version=stale),
            status=409,
        )
    )
    assert "Someone else changed this draft" in page.get_text()
    assert page.find("input", attrs={"name": "name"})["value"] == "New name"
    assert "Outcome-led strategy" in page.find(class_="sl-saved-state").get_text()
    assert stored(app, 2) == before


def test_stale_move_moves_nothing(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    stale = str(stored(app, 2)["version"])
    cpo.post(f"{BASE}/v2/competencies/value-and-pnl/move", {"version": stale, "direction": "down"})
    order = _keys(app, 2)
    page = parse(
        cpo.post(
            f"{BASE}/v2/competencies/value-and-pnl/move",
            {"version": stale, "direction": "down"},
            follow=True,
            status=200,
        )
    )
    assert "nothing was moved" in page.get_text()
    assert _keys(app, 2) == order


# --- Published versions never change --------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1/edit",
        "/v1/competencies/new",
        "/v1/competencies/value-and-pnl/edit",
        "/v1/competencies/value-and-pnl/remove",
        "/v1/competencies/value-and-pnl/move",
        "/v1/publish",
        "/v1/discard",
    ],
)
def test_published_version_refuses_every_edit(app: Flask, cpo: Browser, path: str) -> None:
    before = stored(app, 1), counts(app)
    content = before[0]["content"]
    data = {
        **role_fields(content, purpose="Changed."),
        **competency_data(content["competencies"][0], name="Changed"),
        "direction": "down",
        "version": str(before[0]["version"]),
    }
    page = parse(cpo.post(BASE + path, data, status=409))
    assert page.h1.get_text() == "v1 is published and cannot be changed"
    assert "Nothing was saved." in page.get_text()
    if not path.endswith("move"):
        cpo.get(BASE + path, status=409)
    assert (stored(app, 1), counts(app)) == before


def test_services_refuse_to_change_a_published_version(app_ctx: Flask) -> None:
    publish_role(app_ctx)
    version = lookups.version_by_number(KEY, 1)
    with pytest.raises(errors.NotADraft, match="is published and cannot be changed"):
        editing.update_role_fields(
            version, {"purpose": "Changed."}, expected_version=None, actor=None
        )
    with pytest.raises(errors.NotADraft):
        editing.remove_competency(version, "value-and-pnl", expected_version=None, actor=None)
    db.session.rollback()
    assert lookups.version_by_number(KEY, 1).content["purpose"] != "Changed."


# --- Preview and publish --------------------------------------------------------------------


def test_preview_shows_what_a_candidate_sees(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/preview")
    text = page.get_text(" ", strip=True)
    assert "This is v2 as candidate executives see it." in text
    assert "Owning value and the P&L" in text
    assert "3 Practitioner" in text
    assert "Questions to reflect on when you rate yourself" in text
    assert "Interview questions" not in text
    assert "Weight" not in text
    assert page.find(string="Move up") is None


def test_publish_after_confirming_makes_the_draft_immutable(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/competencies/new")
    cpo.post(f"{BASE}/v2/competencies/new", new_competency(version=hidden_version(page)))
    page = cpo.get(f"{BASE}/v2/publish")
    assert page.h1.get_text() == "Publish v2?"
    assert "Portfolio funding" in page.find(id="changes-added").find_next("ul").get_text()
    response = cpo.post(f"{BASE}/v2/publish", {"version": hidden_version(page)})
    assert response.location == f"{BASE}/v2"
    assert stored(app, 2)["status"] == "published"
    with app.app_context():
        assert lookups.latest_published(KEY).number == 2
        assert lookups.version_by_number(KEY, 2).published_by.role == "cpo"
    event = audit_events(app, "role.publish")[-1]
    assert event.old_value["status"] == "draft" and event.new_value["status"] == "published"
    cpo.get(f"{BASE}/v2/edit", status=409)


def test_stale_publish_is_refused(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/publish")
    cpo.post(
        f"{BASE}/v2/competencies/value-and-pnl/move",
        {"version": str(stored(app, 2)["version"]), "direction": "down"},
    )
    page = parse(cpo.post(f"{BASE}/v2/publish", {"version": hidden_version(page)}, status=409))
    assert "This draft changed while you were reviewing it" in page.get_text()
    assert stored(app, 2)["status"] == "draft"


# --- A role from scratch --------------------------------------------------------------------


def test_new_role_from_scratch_must_be_complete_before_publishing(app: Flask, browser_as) -> None:
    cpo = browser_as("cpo")
    response = cpo.post("/roles/new", {"name": "Head of Data", "key": "head-of-data"})
    assert response.location == "/roles/head-of-data/v1"
    page = cpo.get("/roles/head-of-data/v1")
    text = page.get_text(" ", strip=True)
    assert "Write the purpose of the role" in text
    assert "Add at least one competency" in text
    page = cpo.get("/roles/head-of-data/v1/publish")
    assert "v1 cannot be published yet" in page.get_text()
    problems = [li.get_text(strip=True) for li in page.select(".govuk-error-summary__list li")]
    assert problems == [
        "Write the purpose of the role",
        "Add at least one line to responsibilities",
        "Add at least one line to experience",
        "Add at least one line to expectations",
        "Add at least one line to functions",
        "Add at least one competency",
    ]
    assert page.find("button", string="Publish v1") is None
    cpo.post("/roles/head-of-data/v1/publish", {"version": "1"}, status=400)
    assert stored(app, 1, "head-of-data")["status"] == "draft"
    # Fill it in, then it publishes.
    page = cpo.get("/roles/head-of-data/v1/edit")
    cpo.post(
        "/roles/head-of-data/v1/edit",
        {
            "name": "Head of Data",
            "purpose": "Make data useful.",
            "responsibilities": "Own the data platform.",
            "experience": "Ran a data team.",
            "expectations": "Month 3: a data strategy.",
            "functions": "Data and analytics",
            "version": hidden_version(page),
        },
    )
    page = cpo.get("/roles/head-of-data/v1/competencies/new")
    cpo.post(
        "/roles/head-of-data/v1/competencies/new", new_competency(version=hidden_version(page))
    )
    page = cpo.get("/roles/head-of-data/v1/publish")
    cpo.post("/roles/head-of-data/v1/publish", {"version": hidden_version(page)})
    assert stored(app, 1, "head-of-data")["status"] == "published"


def test_new_role_key_must_be_well_formed_and_unused(app: Flask, browser_as) -> None:
    publish_role(app)
    cpo = browser_as("cpo")
    page = parse(cpo.post("/roles/new", {"name": "X", "key": "Head Of Data"}, status=400))
    assert field_error(page, "key") == (
        "Key must be lowercase letters and digits joined by hyphens, like head-of-data"
    )
    page = parse(cpo.post("/roles/new", {"name": "X", "key": KEY}, status=400))
    assert field_error(page, "key") == (
        "A role with the key product-director already exists: choose another key"
    )
    assert counts(app)[0] == 1


# --- Retire and discard ---------------------------------------------------------------------


def test_retire_keeps_the_version_readable(app: Flask, cpo: Browser, browser_as) -> None:
    page = cpo.get(f"{BASE}/v1/retire")
    assert "No assessment has been started on v1." in page.get_text()
    cpo.post(f"{BASE}/v1/retire", {"version": hidden_version(page)})
    assert stored(app, 1)["status"] == "retired"
    page = browser_as("exec").get(f"{BASE}/v1")
    assert "This version is retired." in page.get_text()
    event = audit_events(app, "role.retire")[-1]
    assert (event.old_value, event.new_value) == ({"status": "published"}, {"status": "retired"})
    cpo.get(f"{BASE}/v1/edit", status=409)


def test_discard_a_draft(app: Flask, cpo: Browser) -> None:
    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/discard")
    response = cpo.post(f"{BASE}/v2/discard", {"version": hidden_version(page)})
    assert response.location == f"{BASE}/v1"
    assert counts(app)[:2] == (1, 1)
    assert audit_events(app, "role.draft_discard")[-1].old_value["number"] == 2


# --- Home -----------------------------------------------------------------------------------


def test_home_asks_to_define_the_role_when_none_exists(browser_as) -> None:
    titles = [h.get_text(strip=True) for h in browser_as("cpo").get("/").select(".sl-card__title")]
    assert "Define the Product Director role" in titles


def test_home_says_what_a_new_role_still_needs_and_flags_a_role_with_nothing_published(
    app: Flask, cpo: Browser, browser_as
) -> None:
    with app.app_context():
        lifecycle.create_role("head-of-data", "Head of Data", actor=None)
        lifecycle.retire_version(lookups.latest_published("product-director"), actor=None)
        db.session.commit()
    cards = {
        h.get_text(strip=True): h.find_parent(class_="sl-card").get_text(" ", strip=True)
        for h in browser_as("cpo").get("/").select(".sl-card__title")
    }
    draft = cards["Role draft v1 of Head of Data awaiting publication"]
    assert "Still to do: write the purpose of the role;" in draft
    assert "add at least one competency" in draft
    assert "Product Director (value stream) has no published version" in cards
    assert "Head of Data has no published version" not in cards  # its draft is the step


def test_home_points_to_a_draft_awaiting_publication(app: Flask, cpo: Browser, browser_as) -> None:
    _draft(cpo)
    for role in ("cpo", "admin"):
        page = browser_as(role).get("/")
        link = page.find(
            "a", string="Role draft v2 of Product Director (value stream) awaiting publication"
        )
        assert link is not None and link["href"] == f"{BASE}/v2"
    hr_titles = [
        h.get_text(strip=True) for h in browser_as("hr").get("/").select(".sl-card__title")
    ]
    assert not any("Role draft" in title for title in hr_titles)


def test_role_details_typed_as_the_session_ended_are_given_back(app: Flask, cpo: Browser) -> None:
    import time

    from app.models import SavedInput

    _draft(cpo)
    page = cpo.get(f"{BASE}/v2/edit")
    data = role_fields(
        stored(app, 2)["content"], purpose="Typed before lunch.", version=hidden_version(page)
    )
    with cpo.client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 31 * 60
    response = cpo.post(f"{BASE}/v1/edit", data)  # published: nothing to edit, nothing kept
    with app.app_context():
        assert db.session.query(SavedInput).count() == 0
    cpo.client.post("/login", data={"email": cpo.user.email, "password": PASSWORD})
    with cpo.client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 31 * 60
    response = cpo.post(f"{BASE}/v2/edit", data)
    assert response.location == f"/login?next={BASE}/v2/edit"
    cpo.client.post(response.location, data={"email": cpo.user.email, "password": PASSWORD})
    page = cpo.get(f"{BASE}/v2/edit")
    assert "We kept what you typed" in page.get_text()
    assert page.find("textarea", attrs={"name": "purpose"}).get_text().strip() == (
        "Typed before lunch."
    )
    assert stored(app, 2)["content"]["purpose"] != "Typed before lunch."
