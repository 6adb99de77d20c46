"""The long forms whose input is worth keeping when a session ends: one registry, by endpoint.

Each entry names the page the input goes back to, the permissions the view checks, and a
loader that finds the object the way the view does (None when it does not exist or can no
longer be edited). Loaders never abort: `app/saved_input.py` asks them from request hooks.
No form listed here has a password field; tests/app/candidates/test_saved_input_rules.py
renders each page to prove it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.extensions import db
from app.models import Assessment
from app.params import MAX_ID


@dataclass(frozen=True)
class LongForm:
    """A form page whose unsent input may be kept, and how to check who may open it."""

    page: str  # endpoint of the GET page that gives the input back
    permissions: tuple[str, ...]  # each asked of app/policy.py with the loaded object
    load: Callable[[dict[str, Any]], object | None]


def _id(args: dict[str, Any], name: str) -> int | None:
    value = args.get(name)
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


def _assessment(args: dict[str, Any]) -> Assessment | None:
    assessment_id = _id(args, "assessment_id")
    return db.session.get(Assessment, assessment_id) if assessment_id else None


def _self_assessment(args: dict[str, Any]) -> object | None:
    from app.candidates import self_assessment

    assessment = _assessment(args)
    if assessment is None or (
        assessment.self_assessment is not None and assessment.self_assessment.status == "submitted"
    ):
        return None
    lenses = {page.lens for page in self_assessment.lens_pages(assessment.role_version.role)}
    return assessment if args.get("lens") in lenses else None


def _interview(args: dict[str, Any]) -> object | None:
    from app.interviews import panels

    interview_id = _id(args, "interview_id")
    interview = panels.load_interview(interview_id) if interview_id else None
    return interview if interview is not None and interview.status == "draft" else None


def _draft_plan(args: dict[str, Any]) -> object | None:
    from app.coaching import plans

    assessment = _assessment(args)
    number = _id(args, "number")
    plan = plans.plan_by_number(assessment, number) if assessment and number else None
    return plan if plan is not None and plan.status == "draft" else None


def _draft_role(args: dict[str, Any]) -> object | None:
    from app.roles import editing, lookups

    number = _id(args, "number")
    key = args.get("key")
    version = lookups.version_by_number(key, number) if number and isinstance(key, str) else None
    if version is None or version.status != "draft":
        return None
    ckey = args.get("ckey")
    if ckey is not None and editing.competency_by_key(version, ckey) is None:
        return None
    return version


_SELF = LongForm("candidates.self_page", ("self.fill",), _self_assessment)
_KIT = LongForm("interviews.conduct_interview", ("interview.conduct",), _interview)
_ROLE_EDIT = ("roles.edit", "roles.view")

# endpoint the form posts to -> what to check. Autosave endpoints give back to their page.
LONG_FORMS: dict[str, LongForm] = {
    "candidates.self_page": _SELF,
    "candidates.autosave_self": _SELF,
    "interviews.conduct_interview": _KIT,
    "interviews.autosave_interview": _KIT,
    "coaching.edit_plan": LongForm("coaching.edit_plan", ("plan.edit",), _draft_plan),
    "roles.edit_role_fields": LongForm("roles.edit_role_fields", _ROLE_EDIT, _draft_role),
    "roles.add_competency": LongForm("roles.add_competency", _ROLE_EDIT, _draft_role),
    "roles.edit_competency": LongForm("roles.edit_competency", _ROLE_EDIT, _draft_role),
}
