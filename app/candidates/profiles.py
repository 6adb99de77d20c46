"""Exec profiles, and an exec's experience against the functions a stream needs.

Functions here flush and never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app import audit
from app.candidates.errors import CandidateError, StaleRecord
from app.extensions import db
from app.models import EXPERIENCE_LEVELS, Assessment, ExecProfile, User


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


@dataclass(frozen=True)
class FunctionCoverage:
    """An exec's experience in one function a stream needs."""

    function: str
    level: str  # none, some, deep

    @property
    def label(self) -> str:
        """None, Some or Deep."""
        return EXPERIENCE_LEVELS[self.level]

    @property
    def gap(self) -> bool:
        """No experience in a function the stream needs."""
        return self.level == "none"


@dataclass(frozen=True)
class Coverage:
    """Experience per needed function, with a one-line summary."""

    rows: list[FunctionCoverage]

    @property
    def covered(self) -> int:
        """Functions with some or deep experience."""
        return sum(1 for r in self.rows if not r.gap)

    @property
    def gaps(self) -> list[str]:
        """Functions with no experience."""
        return [r.function for r in self.rows if r.gap]

    @property
    def summary(self) -> str:
        """E.g. '4 of 6 functions (2 deep, 2 some)'."""
        deep = sum(1 for r in self.rows if r.level == "deep")
        some = sum(1 for r in self.rows if r.level == "some")
        return f"{self.covered} of {len(self.rows)} functions ({deep} deep, {some} some)"


def needed_functions(assessment: Assessment) -> list[str]:
    """What the stream needs; without a stream, every function the role lists."""
    if assessment.value_stream is not None and assessment.value_stream.functions:
        return list(assessment.value_stream.functions)
    return list(assessment.role_version.content.get("functions", []))


def coverage(functions: Iterable[str], profile: ExecProfile | None) -> Coverage:
    """An exec's experience against a list of functions (missing entries count as none)."""
    experience = (profile.experience if profile else None) or {}
    return Coverage(
        [
            FunctionCoverage(
                f, experience.get(f, "none") if experience.get(f) in EXPERIENCE_LEVELS else "none"
            )
            for f in functions
        ]
    )
