"""Two people edit the same value stream or exec profile: the second save is refused with a 409
showing both versions side by side, and nothing is overwritten."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import ExecProfile, ValueStream
from tests.fixtures.builders import make_stream, publish_role
from tests.fixtures.client import parse


def _hidden_version(page) -> str:  # type: ignore[no-untyped-def]
    return page.find("input", attrs={"name": "version"})["value"]


def _stream_data(page, **overrides: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "name": page.find("input", attrs={"name": "name"})["value"],
        "journey": page.find("textarea", attrs={"name": "journey"}).get_text().strip(),
        "business_owner": page.find("input", attrs={"name": "business_owner"})["value"],
        "functions": [i["value"] for i in page.select("input[name=functions][checked]")],
        "version": _hidden_version(page),
    }
    data.update(overrides)
    return data


def test_second_stream_editor_gets_a_conflict_and_nothing_is_overwritten(
    app: Flask, browser_as
) -> None:
    publish_role(app)
    stream_id = make_stream(app, business_owner="Rachel Adeyemi")
    url = f"/streams/{stream_id}/edit"
    first, second = browser_as("cpo"), browser_as("admin")
    mine, theirs = first.get(url), second.get(url)
    first.post(url, _stream_data(mine, business_owner="Mark Ellison, CFO"))
    response = second.post(url, _stream_data(theirs, business_owner="Priya Shah"), status=409)
    page = parse(response)
    text = page.get_text(" ", strip=True)
    assert "Someone else changed this value stream while you were editing it" in text
    assert page.find("input", attrs={"name": "business_owner"})["value"] == "Priya Shah"
    assert "Mark Ellison, CFO" in page.find(class_="sl-saved-state").get_text()
    with app.app_context():
        assert db.session.get(ValueStream, stream_id).business_owner == "Mark Ellison, CFO"
    # Having compared, saving again replaces theirs.
    second.post(url, _stream_data(page, business_owner="Priya Shah"))
    with app.app_context():
        assert db.session.get(ValueStream, stream_id).business_owner == "Priya Shah"


def test_stream_save_without_a_version_is_refused(app: Flask, browser_as) -> None:
    publish_role(app)
    stream_id = make_stream(app, business_owner="Rachel Adeyemi")
    url = f"/streams/{stream_id}/edit"
    cpo = browser_as("cpo")
    data = _stream_data(cpo.get(url), business_owner="Someone else", version="")
    cpo.post(url, data, status=409)
    with app.app_context():
        assert db.session.get(ValueStream, stream_id).business_owner == "Rachel Adeyemi"


def _profile_data(page, **overrides: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        i["name"]: i["value"] for i in page.select("input[type=radio][checked]")
    }
    data["current_role"] = page.find("input", attrs={"name": "current_role"}).get("value", "")
    data["business_area"] = "Operations"
    data["version"] = _hidden_version(page)
    data.update(overrides)
    return data


def test_second_profile_editor_gets_a_conflict_and_nothing_is_overwritten(
    app: Flask, browser_as, make_user
) -> None:
    publish_role(app)
    person = make_user("exec")
    url = f"/people/{person.id}/profile"
    own, cpo = browser_as(person), browser_as("cpo")
    mine, theirs = own.get(url), cpo.get(url)
    # The first save creates the profile; the second was opened before it existed.
    own.post(url, _profile_data(mine, current_role="Head of Marketing"))
    response = cpo.post(url, _profile_data(theirs, current_role="Director of Sales"), status=409)
    page = parse(response)
    assert "Someone else changed this profile while you were editing it" in page.get_text()
    assert page.find("input", attrs={"name": "current_role"})["value"] == "Director of Sales"
    assert "Head of Marketing" in page.find(class_="sl-saved-state").get_text()
    # And once more on an existing profile.
    mine, theirs = own.get(url), cpo.get(url)
    own.post(url, _profile_data(mine, current_role="Chief Marketing Officer"))
    cpo.post(url, _profile_data(theirs, current_role="Director of Sales"), status=409)
    with app.app_context():
        profile = db.session.get(ExecProfile, person.id)
        assert profile.current_role == "Chief Marketing Officer"
