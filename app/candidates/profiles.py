"""Exec profiles, and an exec's experience against the functions a stream needs.

Functions here flush and never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from app import audit
from app.candidates.errors import CandidateError, StaleRecord
from app.extensions import db
from app.models import EXPERIENCE_LEVELS, Assessment, ExecProfile, User
from assessments import experience as experience_rules
from assessments.experience import Coverage


def exec_users() -> list[User]:
    """Active and invited executives, by name."""
    return list(
        db.session.scalars(select(User).where(User.role == "exec", User.active).order_by(User.name))
    )


def profiles_for(user_ids: Iterable[int]) -> dict[int, ExecProfile]:
    """Exec profiles by user id, in one query."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = db.session.scalars(select(ExecProfile).where(ExecProfile.user_id.in_(ids)))
    return {p.user_id: p for p in rows}


def profile_of(user: User) -> ExecProfile | None:
    """The exec's profile, or None when they have not filled it in."""
    return db.session.get(ExecProfile, user.id)


def save_profile(
    user: User,
    *,
    current_role: str,
    business_area: str,
    experience: Mapping[str, str],
    expected_version: int | None = None,
) -> ExecProfile:
    """Create or update an exec's profile (audited with old and new values).

    With `expected_version` (0: no profile yet), a profile saved since raises StaleRecord."""
    for name, level in experience.items():
        if level not in EXPERIENCE_LEVELS:
            raise CandidateError(f"Experience in {name} must be none, some or deep")
    profile = profile_of(user)
    if expected_version is not None and expected_version != profile_version(profile):
        raise StaleRecord()
    old = None
    if profile is None:
        profile = ExecProfile(user_id=user.id)
        db.session.add(profile)
    else:
        old = {
            "current_role": profile.current_role,
            "business_area": profile.business_area,
            "experience": dict(profile.experience or {}),
        }
    profile.current_role = current_role.strip()
    profile.business_area = business_area.strip()
    profile.experience = dict(experience)
    db.session.flush()
    new = {
        "current_role": profile.current_role,
        "business_area": profile.business_area,
        "experience": dict(profile.experience),
    }
    if old != new:
        audit.record(
            "profile.update", f"Profile of {user.email} updated", obj=user, old=old, new=new
        )
    return profile


def profile_version(profile: ExecProfile | None) -> int:
    """The version an edit form carries: 0 while the exec has no profile yet."""
    return profile.version if profile is not None else 0


def needed_functions(assessment: Assessment) -> list[str]:
    """What the stream needs; without a stream, every function the role lists."""
    stream = assessment.value_stream
    return experience_rules.needed_functions(
        stream.functions if stream is not None else None,
        assessment.role_version.content.get("functions", []),
    )


def coverage(functions: Iterable[str], profile: ExecProfile | None) -> Coverage:
    """An exec's experience against a list of functions (the rule is assessments.experience)."""
    return experience_rules.coverage(functions, profile.experience if profile else None)
