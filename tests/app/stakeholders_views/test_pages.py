"""Where the stakeholder view shows: results, calibration, the exec's page after the decision.

Means only from 3 ratings of a competency, comments only once 3 stakeholders answered,
grouped by competency in shuffled order, and how many answered."""

from __future__ import annotations

from flask import Flask

from tests.app.stakeholders_views.scene import FIVE, TWO, build, comments_by_id


def _row(page, caption: str, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    table = page.find("caption", string=caption).parent
    headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    for tr in table.select("tbody tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"], recursive=False)]
        if cells[0].startswith(name):
            return dict(zip(headers, cells, strict=True))
    raise AssertionError(f"{name} not in {caption}")


def test_results_show_three_perspectives_a_concern_and_shuffled_comments(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, FIVE)
    page = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}/results")
    text = page.get_text(" ", strip=True)

    assert page.find("h2", string="Self, panel, stakeholders and required level")
    assert "5 stakeholders answered (of 6 asked)." in text
    a = _row(page, "Every competency", "Competency A")
    assert a["Self"] == "4" and a["Stakeholders"] == "1.4 from 5 ratings"
    assert "Stakeholder concern" in a["Flags"]
    assert _row(page, "Every competency", "Competency B")["Stakeholders"] == "2.33 from 3 ratings"
    # One stakeholder rated C: no figure, the words instead.
    assert _row(page, "Every competency", "Competency C")["Stakeholders"] == "Fewer than 3 ratings"

    concerns = page.find("h2", string="Stakeholder concerns").find_next("ul")
    assert concerns.get_text(" ", strip=True) == (
        "Competency A : panel 3, stakeholders 1.4 from 5 ratings"
    )

    # The chart: a third series with a legend, its figures as text; C gets words, not a bar.
    wide = page.select_one(".sl-chart__wide svg")
    labels = [t.get_text() for t in wide.find_all("text")]
    assert "Stakeholders' mean" in labels
    assert "Stakeholders 1.4" in labels and "Stakeholders 2.33" in labels
    assert "Stakeholders fewer than 3 ratings" in labels
    assert "stakeholders 1.4 (5 ratings)" in wide.find("desc").get_text()
    phone = page.select_one(".sl-chart__phone svg")
    assert "Others 1.4" in [t.get_text() for t in phone.find_all("text")]

    # Comments grouped by competency (role order, overall last), each group in random-id order.
    heading = page.find("h2", string="What stakeholders wrote")
    groups = {}
    for h3 in heading.find_all_next("h3"):
        ul = h3.find_next_sibling("ul")
        if ul is None or "sl-stakeholder-comments" not in ul.get("class", []):
            break
        groups[h3.get_text(strip=True)] = [li.get_text(strip=True) for li in ul.select("li")]
    shuffled = comments_by_id(app, scene.assessment_id)
    assert list(groups) == ["Competency A", "Competency B", "Competency C", "Overall"]
    assert groups["Competency A"] == [
        c for c in shuffled if c.startswith(("ZEBRA-ONE", "ZEBRA-TWO"))
    ]
    assert groups["Overall"] == ["ZEBRA-FOUR energetic overall"]


def test_results_below_the_threshold_show_no_mean_and_no_comment(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, TWO)
    page = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}/results")
    text = page.get_text(" ", strip=True)
    assert "2 stakeholders answered (of 3 asked)." in text
    for name in ("Competency A", "Competency B"):
        assert _row(page, "Every competency", name)["Stakeholders"] == "Fewer than 3 ratings"
    assert "Comments are shown once at least 3 stakeholders have answered." in text
    assert not any(comment in text for comment in scene.comments)
    assert (
        page.find("h2", string="Stakeholder concerns")
        .find_next("p")
        .find_next("p")
        .get_text(strip=True)
        == "None."
    )


def test_a_candidate_nobody_asked_keeps_the_two_series_page(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, ())
    # build() always adds the pending invitation: withdraw the question entirely instead.
    from app.extensions import db
    from app.models import StakeholderInvitation

    with app.app_context():
        db.session.query(StakeholderInvitation).delete()
        db.session.commit()
    page = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}/results")
    assert page.find("h2", string="Self, panel and required level")
    assert page.find("h2", string="What stakeholders wrote") is None
    assert "Stakeholders" not in [
        th.get_text(strip=True)
        for th in page.find("caption", string="Every competency").parent.select("thead th")
    ]


def test_calibration_shows_the_stakeholders_beside_the_panel(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, FIVE)
    page = browser_as(scene.cpo).get(f"/assessments/{scene.assessment_id}/calibration")
    a = _row(page, "Ratings side by side", "Competency A")
    assert a["Stakeholders"] == "1.4 from 5 ratings" and a["Panel level"] == "3"
    assert "5 stakeholders answered (of 6 asked)." in page.get_text(" ", strip=True)
    assert page.select_one(".sl-chart__wide svg")
    section = page.find(id="comp-a")
    said = [li.get_text(strip=True) for li in section.select(".sl-stakeholder-comments li")]
    assert sorted(said) == [
        "ZEBRA-ONE pushes finished plans onto the team",
        "ZEBRA-TWO wants everything at once",
    ]
    assert "stakeholders 1.4 (5 ratings)" in section.get_text(" ", strip=True)


def test_the_exec_sees_the_aggregated_view_only_after_the_decision(
    app: Flask, make_user, browser_as
) -> None:
    from app.extensions import db
    from app.models import Assessment

    scene = build(app, make_user, FIVE, decision="on-hold")
    exec_page = browser_as(scene.candidate)
    url = f"/assessments/{scene.assessment_id}"
    page = exec_page.get(url)
    assert page.find(id="stakeholder-feedback") is None  # on hold is not a decision yet
    assert "ZEBRA" not in page.get_text()

    with app.app_context():
        db.session.get(Assessment, scene.assessment_id).decision = "selected"
        db.session.commit()
    page = exec_page.get(url)
    section = page.find(id="stakeholder-feedback")
    text = section.get_text(" ", strip=True)
    assert "5 stakeholders answered (of 6 asked)." in text
    a = _row(section, "Your view and your stakeholders' view", "Competency A")
    assert a == {
        "Competency": "Competency A",
        "Required": "3",
        "Your rating": "4",
        "Stakeholders": "1.4 from 5 ratings",
    }
    assert "ZEBRA-ONE pushes finished plans onto the team" in text
    # The panel's figures and words stay the panel's.
    assert "Panel" not in text and "RATIONALE-WORDS" not in page.get_text()


def test_the_exec_below_the_threshold_sees_no_mean_and_no_comment(
    app: Flask, make_user, browser_as
) -> None:
    scene = build(app, make_user, TWO, decision="not-selected")
    page = browser_as(scene.candidate).get(f"/assessments/{scene.assessment_id}")
    text = page.find(id="stakeholder-feedback").get_text(" ", strip=True)
    assert "2 stakeholders answered (of 3 asked)." in text
    assert "Fewer than 3 ratings" in text
    assert "YAK" not in page.get_text()


def test_a_stakeholder_concern_over_a_met_bar_becomes_a_plan_goal(app: Flask, make_user) -> None:
    from app.coaching.plans import build_plan_content
    from app.extensions import db
    from app.models import Assessment

    scene = build(app, make_user, FIVE, decision="selected")
    with app.app_context():
        content = build_plan_content(
            db.session.get(Assessment, scene.assessment_id), mentor_name="Priya Raman"
        )
    goals = {g["key"]: g for g in content["goals"]}
    # Panel 3.0 meets the required 3, the stakeholders see 1.4: a goal from their mean.
    assert (goals["a"]["source"], goals["a"]["baseline"], goals["a"]["target_level"]) == (
        "stakeholders",
        1.4,
        3,
    )
    assert goals["c"]["source"] == "panel"  # panel 2.5 below 3: the panel's gap, as before
    assert "a" not in {s["key"] for s in content["stretch"]}
