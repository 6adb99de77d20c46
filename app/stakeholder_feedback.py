"""The stakeholders' perspective as pages and documents may show it: means, counts, comments.

One place applies the anonymity rules every view shares (docs/decisions.md, "Issue 18 — Where
the stakeholder view shows"): a competency's mean only from STAKEHOLDER_MIN_RESPONSES ratings
(the scoring leaves it None below), comments only once that many stakeholders have submitted,
never a name, relationship or time beside a level or a comment, and comments in an order that
says nothing about who answered when (by their random ids: a shuffle that stays put between
page loads, so a reader cannot match comments across reloads, and a PDF's content key holds).

Nothing at all is shown while the feedback round is open (docs/decisions.md, "Issue 18 — Results
when the feedback round closes"): results that moved with each answer would let someone who
knows who just answered read that person's levels and comment off the difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment, StakeholderComment, StakeholderInvitation
from app.models.base import utcnow
from assessments.charts import StakeholderSeries, competency_chart_svg
from assessments.phone_chart import competency_chart_phone_svg
from assessments.scoring import CompetencyScore, ScoreResult

CONCERN = "stakeholder-concern"


@dataclass(frozen=True)
class CommentGroup:
    """The comments on one competency (key None: on the exec overall), in shuffled order."""

    key: str | None
    name: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class StakeholderView:
    """What may be shown of an assessment's stakeholder feedback, already anonymised."""

    minimum: int
    responses: int
    invited: int
    asked: frozenset[str]
    groups: tuple[CommentGroup, ...] = field(default=())
    # True while the feedback round is open: no mean, count or comment is shown.
    open: bool = False

    @property
    def series(self) -> StakeholderSeries:
        """The chart's third series."""
        return StakeholderSeries(minimum=self.minimum, asked=self.asked)

    @property
    def comments_shown(self) -> bool:
        """True once the round closed with enough stakeholders submitted for their comments."""
        return not self.open and self.responses >= self.minimum

    def waiting(self) -> str:
        """While the round is open: '2 of 4 stakeholders have answered; results appear ...'."""
        noun = "stakeholder has" if self.invited == 1 else "stakeholders have"
        return (
            f"{self.responses} of {self.invited} {noun} answered; results appear when the "
            "feedback round closes"
        )

    @property
    def comment_count(self) -> int:
        """How many comments are shown."""
        return sum(len(g.texts) for g in self.groups)

    def words(self, score: CompetencyScore) -> str:
        """The stakeholders' figure for one competency as a person reads it."""
        return self.series.words(score)

    def answered(self) -> str:
        """'5 stakeholders answered (of 6 asked)'."""
        noun = "stakeholder" if self.responses == 1 else "stakeholders"
        asked = f" (of {self.invited} asked)" if self.invited > self.responses else ""
        return f"{self.responses} {noun} answered{asked}"

    @staticmethod
    def concerns(result: ScoreResult) -> tuple[CompetencyScore, ...]:
        """Competencies the stakeholders rate 1.5 or more below the panel."""
        return tuple(c for c in result.competencies if CONCERN in c.flags)


def minimum() -> int:
    """The anonymity threshold (STAKEHOLDER_MIN_RESPONSES, at least 1), as the scoring reads it."""
    return max(int(current_app.config.get("STAKEHOLDER_MIN_RESPONSES", 3)), 1)


def round_open(assessment: Assessment, now: datetime | None = None) -> bool:
    """True while the assessment's feedback round is open: not closed by the CPO and some
    invitation still open (not submitted, not withdrawn, its link not expired)."""
    if assessment.stakeholder_closed_at is not None:
        return False
    found = db.session.scalar(
        select(StakeholderInvitation.id)
        .where(
            StakeholderInvitation.assessment_id == assessment.id,
            StakeholderInvitation.submitted_at.is_(None),
            StakeholderInvitation.withdrawn_at.is_(None),
            StakeholderInvitation.expires_at > (now or utcnow()),
        )
        .limit(1)
    )
    return found is not None


def round_closed(assessment: Assessment) -> bool:
    """True once the round has closed (by the CPO, or with no open invitation left) after
    anyone was asked: from then on nobody more may answer (see the module docstring)."""
    responses, invited = _counts(assessment)
    return bool(invited or responses) and not round_open(assessment)


def _counts(assessment: Assessment) -> tuple[int, int]:
    """(submitted, invited and not withdrawn) invitations of one assessment, in one query."""
    submitted = func.count(StakeholderInvitation.submitted_at)
    invited = func.count(StakeholderInvitation.id)
    row = db.session.execute(
        select(submitted, invited).where(
            StakeholderInvitation.assessment_id == assessment.id,
            (StakeholderInvitation.withdrawn_at.is_(None))
            | (StakeholderInvitation.submitted_at.is_not(None)),
        )
    ).one()
    return int(row[0]), int(row[1])


def _asked(assessment: Assessment, result: ScoreResult) -> frozenset[str]:
    """Competencies stakeholders were asked about: those with prompts, and any they rated."""
    role = assessment.role_version.role
    prompted = {c.key for c in role.competencies if getattr(c, "stakeholder_prompts", ())}
    rated = {c.key for c in result.competencies if c.stakeholder_count}
    return frozenset(prompted | rated)


def _groups(assessment: Assessment, result: ScoreResult) -> tuple[CommentGroup, ...]:
    names = {c.key: c.name for c in result.competencies}
    # Ordered by random id: a shuffle that is not the order of submission (see the docstring).
    rows = db.session.execute(
        select(StakeholderComment.competency_key, StakeholderComment.text)
        .where(StakeholderComment.assessment_id == assessment.id)
        .order_by(StakeholderComment.id)
    ).all()
    by_key: dict[str | None, list[str]] = {}
    for key, text in rows:
        text = (text or "").strip()
        if text:
            by_key.setdefault(key if key in names else None, []).append(text)
    groups = [
        CommentGroup(c.key, c.name, tuple(by_key[c.key]))
        for c in result.competencies
        if c.key in by_key
    ]
    if None in by_key:
        groups.append(CommentGroup(None, "Overall", tuple(by_key[None])))
    return tuple(groups)


def submitted_as_of(assessment: Assessment) -> datetime | None:
    """When the latest stakeholder response to this assessment came in (None: none yet)."""
    latest: datetime | None = db.session.scalar(
        select(func.max(StakeholderInvitation.submitted_at)).where(
            StakeholderInvitation.assessment_id == assessment.id
        )
    )
    return latest


def stakeholder_view(assessment: Assessment, result: ScoreResult) -> StakeholderView | None:
    """The stakeholder view of a scored assessment; None when nobody was ever asked."""
    responses, invited = _counts(assessment)
    responses = max(responses, getattr(result, "stakeholder_responses", 0))
    if not invited and not responses:
        return None
    least = minimum()
    still_open = round_open(assessment)
    return StakeholderView(
        minimum=least,
        responses=responses,
        invited=max(invited, responses),
        asked=_asked(assessment, result),
        groups=_groups(assessment, result) if responses >= least and not still_open else (),
        open=still_open,
    )


def shown_result(result: ScoreResult, view: StakeholderView | None) -> ScoreResult:
    """The score as pages and documents may show it: while the round is open, without the
    stakeholders' means, counts and concern flags (readiness, coverage and band never use them)."""
    if view is None or not view.open:
        return result
    return replace(
        result,
        competencies=tuple(
            replace(
                c,
                stakeholder=None,
                stakeholder_count=0,
                flags=tuple(f for f in c.flags if f != CONCERN),
            )
            for c in result.competencies
        ),
    )


def shown(
    assessment: Assessment, result: ScoreResult
) -> tuple[ScoreResult, StakeholderView | None]:
    """(the score as it may be shown, the stakeholder view): the one way views read both."""
    view = stakeholder_view(assessment, result)
    return shown_result(result, view), view


def perspectives_chart(
    assessment: Assessment, result: ScoreResult, view: StakeholderView | None
) -> Markup:
    """The pages' chart, wide and phone layouts, with the stakeholders' series when asked."""
    series = view.series if view is not None and not view.open else None
    perspectives = "self, panel, stakeholders" if series is not None else "self, panel"
    title = f"{assessment.candidate.name}: {perspectives} and required level"
    # Both SVGs are built by assessments, which escapes every text it places; the stylesheet
    # shows the phone layout under 640 px, where the wide one's labels would shrink to 6 px.
    wide = competency_chart_svg(result, title=title, stakeholders=series)
    phone = competency_chart_phone_svg(result, title=title, stakeholders=series)
    return Markup(  # noqa: S704
        f'<div class="sl-chart__wide">{wide}</div><div class="sl-chart__phone">{phone}</div>'
    )
