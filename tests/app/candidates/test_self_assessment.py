"""The exec's self-assessment: pages per lens, drafts, evidence rules, check and submit."""

from __future__ import annotations

import json

from flask import Flask

from app.extensions import db
from app.models import AuditEvent, SelfAssessment
from tests.fixtures.builders import (
    ALL_KEYS,
    VALUE_KEYS,
    answer,
    count,
    full_answers,
    nominate,
    self_assessment_of,
)
from tests.fixtures.client import Browser, parse


def _setup(app: Flask, browser_as, make_user) -> tuple[Browser, int]:
    candidate = make_user("exec", name="Sarah Whitfield")
    assessment_id = nominate(app, candidate)
    return browser_as(candidate), assessment_id


def _value_page(**answers: object) -> dict[str, object]:
    """Form data for the value page: every competency at level 2 unless overridden."""
    data: dict[str, object] = {"version": "", "action": "next"}
    for key in VALUE_KEYS:
        data[f"level-{key}"] = "2"
        data[f"evidence-{key}"] = ""
    data.update(answers)
    return data


def test_intro_shows_the_pinned_role_and_the_rating_scale(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    page = me.get(f"/assessments/{assessment_id}/self")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text() == "Product Director (value stream)"
    assert "You are assessed against version 1 of this role" in text
    assert "Lead one value stream end to end" in text
    assert "By month 3, agree the stream's outcome measures" in text
    scale = [th.get_text() for th in page.select("table tbody th")]
    assert scale == ["0 Counter-evidence", "1 Awareness", "2 Working", "3 Practitioner", "4 Expert"]
    sections = [a.get_text() for a in page.select(".govuk-task-list__link")]
    assert sections == ["Value", "Workflow", "Quality", "Leadership"]
    assert page.find("a", string="Start now")["href"].endswith("/self/value")


def test_each_level_shows_its_descriptor_beside_the_choice(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    page = me.get(f"/assessments/{assessment_id}/self/value")
    assert page.h1.get_text() == "Value"
    fieldset = page.select_one("input#level-value-and-pnl").find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Your level for Owning value and the P&L"
    options = [
        (
            item.label.get_text(strip=True),
            item.select_one(".govuk-radios__hint").get_text(strip=True),
        )
        for item in fieldset.select(".govuk-radios__item")
    ]
    assert [label for label, _ in options] == [
        "0 Counter-evidence",
        "1 Awareness",
        "2 Working",
        "3 Practitioner",
        "4 Expert",
    ]
    assert options[0][1] == "Counter-evidence: you have acted in the opposite way to level 1."
    assert options[3][1].startswith("Makes investment and stop decisions from expected")
    radio = fieldset.select_one("input[value='3']")
    assert page.find(id=radio["aria-describedby"]).get_text(strip=True) == options[3][1]
    assert (
        "When did you last change a plan because the value numbers told you to?" in page.get_text()
    )
    progress = page.select_one("progress")
    assert (progress["value"], progress["max"]) == ("0", "13")
    assert page.select_one(".sl-progress__value").get_text() == "0 of 13 answered (0%)"
    assert page.select_one("form[data-autosave-url]")["data-autosave-url"].endswith(
        "/self/value/autosave"
    )
    assert page.find("script", src="/static/js/autosave.js") is not None


def test_save_and_continue_saves_and_moves_on(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    response = me.post(f"/assessments/{assessment_id}/self/value", _value_page())
    assert response.location == f"/assessments/{assessment_id}/self/workflow"
    saved = self_assessment_of(app, assessment_id)
    assert saved["status"] == "draft"
    assert saved["answers"] == dict.fromkeys(VALUE_KEYS, (2, ""))
    page = me.get(response.location)
    assert page.select_one(".sl-progress__value").get_text() == "5 of 13 answered (38%)"
    # Back saves too, then returns to the previous page with the answers in place.
    version = page.find("input", attrs={"name": "version"})["value"]
    response = me.post(
        f"/assessments/{assessment_id}/self/workflow",
        {"version": version, "action": "back", "level-iterative-delivery": "1"},
    )
    assert response.location == f"/assessments/{assessment_id}/self/value"
    assert self_assessment_of(app, assessment_id)["answers"]["iterative-delivery"] == (1, "")
    page = me.get(response.location)
    assert page.select_one("input[name='level-value-and-pnl'][checked]")["value"] == "2"


def test_save_draft_stays_on_the_page(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    response = me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(action="draft"),
        follow=True,
        status=200,
    )
    page = parse(response)
    assert page.h1.get_text() == "Value"
    assert "Draft saved at" in page.select_one(".govuk-notification-banner").get_text()


def test_a_malformed_answer_is_refused_and_the_others_are_saved(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    response = me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(
            **{
                "level-value-and-pnl": "4",
                "evidence-value-and-pnl": "x" * 4001,
                "level-outcome-strategy": "3",
                "evidence-outcome-strategy": "Set three outcomes for the contact centre.",
            }
        ),
        status=200,
    )
    page = parse(response)
    assert page.title.get_text().startswith("Error:")
    links = {a.get_text(): a["href"] for a in page.select(".govuk-error-summary a")}
    assert links == {
        "Evidence for Owning value and the P&L must be 4,000 characters or fewer": (
            "#evidence-value-and-pnl"
        ),
    }
    assert page.select_one("input[name='level-value-and-pnl'][checked]")["value"] == "4"
    assert "Your other answers on this page are saved." in page.get_text()
    saved = self_assessment_of(app, assessment_id)["answers"]
    assert "value-and-pnl" not in saved
    assert saved["outcome-strategy"] == (3, "Set three outcomes for the contact centre.")
    # The version moved with the save, so saving the corrected page is not a conflict.
    version = page.find("input", attrs={"name": "version"})["value"]
    assert version == str(self_assessment_of(app, assessment_id)["version"])
    me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(
            **{
                "version": version,
                "level-value-and-pnl": "4",
                "evidence-value-and-pnl": "Moved £600k into fixing call drivers.",
            }
        ),
    )
    assert self_assessment_of(app, assessment_id)["answers"]["value-and-pnl"] == (
        4,
        "Moved £600k into fixing call drivers.",
    )


def test_a_tampered_level_is_refused_with_a_message(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    page = parse(
        me.post(
            f"/assessments/{assessment_id}/self/value",
            _value_page(**{"level-value-and-pnl": "7"}),
            status=200,
        )
    )
    assert (
        "Choose a level from 0 to 4 for Owning value and the P&L"
        in page.select_one(".govuk-error-summary").get_text()
    )


def test_a_stale_page_is_not_saved_and_shows_both_versions(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    answer(app, assessment_id, {"value-and-pnl": (1, "Learning the budget lines")})
    # This page was opened before that save (no version yet).
    response = me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(**{"level-value-and-pnl": "3", "evidence-value-and-pnl": "Mine"}),
        status=409,
    )
    page = parse(response)
    assert "changed in another window or tab" in page.select_one(".govuk-error-summary").get_text()
    warning = page.select_one("#competency-value-and-pnl .govuk-warning-text").get_text(
        " ", strip=True
    )
    assert "Saved in the other window: 1 Awareness." in warning
    assert "Learning the budget lines" in warning
    assert page.select_one("textarea[name='evidence-value-and-pnl']").get_text().strip() == "Mine"
    assert self_assessment_of(app, assessment_id)["answers"] == {
        "value-and-pnl": (1, "Learning the budget lines")
    }
    # Saving again from this page (now carrying the current version) keeps the exec's answer.
    version = page.find("input", attrs={"name": "version"})["value"]
    me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(
            **{"version": version, "level-value-and-pnl": "3", "evidence-value-and-pnl": "Mine"}
        ),
    )
    assert self_assessment_of(app, assessment_id)["answers"]["value-and-pnl"] == (3, "Mine")


def test_autosave_answers_json_and_refuses_stale_versions(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    url = f"/assessments/{assessment_id}/self/value/autosave"
    response = me.post(
        url, {"version": "", "level-value-and-pnl": "4", "level-outcome-strategy": "2"}, status=200
    )
    body = json.loads(response.get_data())
    assert body["saved"] is True
    assert body["progress"] == "2 of 13 answered (15%)"
    assert body["blocking"] == "1 still needs evidence"
    assert body["version"] == self_assessment_of(app, assessment_id)["version"]
    stale = me.post(
        url, {"version": str(body["version"] - 1), "level-outcome-strategy": "3"}, status=409
    )
    assert json.loads(stale.get_data())["conflict"] is True
    assert self_assessment_of(app, assessment_id)["answers"]["outcome-strategy"] == (2, "")


def test_every_save_of_ratings_is_audited_with_old_and_new(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    me.post(f"/assessments/{assessment_id}/self/value", _value_page())
    version = self_assessment_of(app, assessment_id)["version"]
    me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(**{"version": version, "level-value-and-pnl": "1"}),
    )
    # Saving unchanged answers writes no event.
    version = self_assessment_of(app, assessment_id)["version"]
    me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(**{"version": version, "level-value-and-pnl": "1"}),
    )
    with app.app_context():
        events = (
            db.session.query(AuditEvent).filter_by(action="self.save").order_by(AuditEvent.id).all()
        )
        assert len(events) == 2
        assert events[1].old_value == {"value-and-pnl": {"level": 2, "evidence": ""}}
        assert events[1].new_value == {"value-and-pnl": {"level": 1, "evidence": ""}}
        assert events[1].actor_id == me.user.id


def test_check_answers_then_submit_makes_it_read_only(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    answers = full_answers(2)
    answers["value-and-pnl"] = (4, "")  # saved directly: the check page must catch it
    del answers["growing-product-people"]
    answer(app, assessment_id, answers)
    check = f"/assessments/{assessment_id}/self/check"
    page = me.get(check)
    assert page.h1.get_text() == "Check your answers before submitting"
    rows = page.select(".govuk-summary-list__row")
    assert len(rows) == len(ALL_KEYS)
    first = rows[0]
    assert first.dt.get_text(strip=True) == "Owning value and the P&L"
    assert "4 Expert" in first.select_one(".govuk-summary-list__value").get_text()
    change = first.select_one(".govuk-summary-list__actions a")
    assert change["href"] == f"/assessments/{assessment_id}/self/value#level-value-and-pnl"
    assert change.get_text(" ", strip=True) == "Change Owning value and the P&L"

    version = page.find("input", attrs={"name": "version"})["value"]
    refused = parse(me.post(check, {"version": version}, status=400))
    assert [a.get_text() for a in refused.select(".govuk-error-summary a")] == [
        "Give evidence for Owning value and the P&L: levels 3 and 4 need an example",
        "Choose your level for Growing product people",
    ]
    assert self_assessment_of(app, assessment_id)["status"] == "draft"

    answer(
        app,
        assessment_id,
        {"value-and-pnl": (4, "Ran a £14m budget"), "growing-product-people": (1, "")},
    )
    version = me.get(check).find("input", attrs={"name": "version"})["value"]
    response = me.post(check, {"version": version})
    assert response.location == f"/assessments/{assessment_id}/self/submitted"
    assert me.get(response.location).h1.get_text() == "Self-assessment submitted"
    assert self_assessment_of(app, assessment_id)["status"] == "submitted"
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="self.submit").one()
        assert event.new_value["ratings"]["value-and-pnl"] == {
            "level": 4,
            "evidence": "Ran a £14m budget",
        }

    # Read-only from now on.
    page = me.get(check)
    assert page.h1.get_text() == "Your submitted self-assessment"
    assert page.select(".govuk-summary-list__actions") == []
    assert page.find("button", string="Submit self-assessment") is None
    assert me.client.get(f"/assessments/{assessment_id}/self/value").location == check
    response = me.post(
        f"/assessments/{assessment_id}/self/value",
        _value_page(**{"level-value-and-pnl": "0"}),
        follow=True,
        status=200,
    )
    assert "can no longer be changed" in response.get_data(as_text=True)
    autosave = me.post(
        f"/assessments/{assessment_id}/self/value/autosave",
        {"level-value-and-pnl": "0"},
        status=409,
    )
    assert "can no longer be changed" in json.loads(autosave.get_data())["message"]
    assert self_assessment_of(app, assessment_id)["answers"]["value-and-pnl"] == (
        4,
        "Ran a £14m budget",
    )


def test_cpo_reopens_a_submitted_self_assessment(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    answer(app, assessment_id, full_answers(), submit=True)
    cpo = browser_as("cpo")
    page = cpo.get(f"/assessments/{assessment_id}")
    assert "Example for value-and-pnl" in page.get_text()  # staff read the submitted answers
    version = page.select_one("form[action$='/reopen-self-assessment'] input[name=version]")[
        "value"
    ]
    cpo.post(f"/assessments/{assessment_id}/reopen-self-assessment", {"version": version})
    saved = self_assessment_of(app, assessment_id)
    assert saved["status"] == "draft" and saved["reopened_by_id"] == cpo.user.id
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="self.reopen").one()
        assert (event.old_value["status"], event.new_value["status"]) == ("submitted", "draft")
        assert db.session.query(SelfAssessment).one().reopened_at is not None
    assert me.get(f"/assessments/{assessment_id}/self/value").h1.get_text() == "Value"
    browser_as("hr").post(f"/assessments/{assessment_id}/reopen-self-assessment", {}, status=403)


def test_only_the_exec_fills_their_own_self_assessment(app: Flask, browser_as, make_user) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    other = browser_as("exec")
    other.get(f"/assessments/{assessment_id}/self/value", status=403)
    other.post(f"/assessments/{assessment_id}/self/value", _value_page(), status=403)
    browser_as("cpo").get(f"/assessments/{assessment_id}/self/value", status=403)
    me.get(f"/assessments/{assessment_id}/self/nonsense", status=404)
    assert count(app, SelfAssessment) == 0


def test_check_page_says_interviewers_see_the_answers_only_after_their_own_ratings(
    app: Flask, browser_as, make_user
) -> None:
    me, assessment_id = _setup(app, browser_as, make_user)
    answer(app, assessment_id, full_answers(2))
    text = " ".join(me.get(f"/assessments/{assessment_id}/self/check").get_text().split())
    assert "The panel will see them before your interviews" not in text
    assert (
        "Your interviewers see your answers only after each of them has submitted their own"
        " ratings of you, so every view of you is formed independently." in text
    )
    version = str(self_assessment_of(app, assessment_id)["version"])
    me.post(f"/assessments/{assessment_id}/self/check", {"version": version})
    done = " ".join(me.get(f"/assessments/{assessment_id}/self/submitted").get_text().split())
    assert "Each interviewer reads your answers only after submitting their own ratings" in done
