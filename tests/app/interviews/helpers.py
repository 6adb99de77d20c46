"""Submitting an interview as a panel member does: the kit, then check your answers."""

from __future__ import annotations

from tests.fixtures.client import Browser


def submit_through_check(browser: Browser, interview_id: int, data: dict[str, str]) -> None:
    """Save the kit with `data`, open the check page it leads to, and submit from there."""
    response = browser.post(f"/interviews/{interview_id}", {**data, "action": "check"})
    check = f"/interviews/{interview_id}/check"
    assert response.location == check
    version = browser.get(check).find("input", attrs={"name": "version"})["value"]
    response = browser.post(check, {"version": version})
    assert response.location == f"/interviews/{interview_id}"
