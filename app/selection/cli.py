"""`flask score`: an exec's score breakdown, as a table or as JSON."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment, RoleDefinition, RoleVersion, User
from app.models.loaders import results_options
from app.models.users import lower_email
from app.score_snapshots import stakeholder_min
from app.scores import score_for
from assessments.model import LENS_LABELS
from assessments.scoring import FLAG_LABELS, ScoreResult, score_to_json


def latest_assessment(email: str, role_key: str) -> Assessment:
    """The exec's latest assessment for the role, or a ClickException naming what is missing."""
    user = db.session.scalar(select(User).where(User.email == lower_email(email)))
    if user is None:
        raise click.ClickException(f"No user with the email {email}")
    if db.session.scalar(select(RoleDefinition.id).where(RoleDefinition.key == role_key)) is None:
        raise click.ClickException(f"No role definition with the key {role_key}")
    assessment: Assessment | None = db.session.scalar(
        select(Assessment)
        .join(RoleVersion, Assessment.role_version_id == RoleVersion.id)
        .join(RoleDefinition, RoleVersion.definition_id == RoleDefinition.id)
        .where(Assessment.candidate_id == user.id, RoleDefinition.key == role_key)
        .options(*results_options())
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    if assessment is None:
        raise click.ClickException(f"{user.email} has no assessment for the role {role_key}")
    return assessment


def _num(value: float | int | None, places: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def score_table(assessment: Assessment, result: ScoreResult) -> str:
    """The breakdown as plain text for a terminal."""
    stream = assessment.value_stream.name if assessment.value_stream else "no value stream"
    lines = [
        f"{assessment.candidate.name} <{assessment.candidate.email}>",
        f"{assessment.role_version.label} ({assessment.role_version.definition.key}), {stream}",
        "",
        f"Band:       {result.band_label} ({result.band})",
        f"Readiness:  {_pct(result.readiness)}",
        f"Coverage:   {result.coverage:.3f} of the weight assessed",
        "Lenses:     " + ", ".join(f"{LENS_LABELS[k]} {_pct(v)}" for k, v in result.lenses.items()),
        "Must-haves unmet: " + (", ".join(result.must_have_unmet) or "none"),
    ]
    if result.must_have_unassessed:
        lines.append("Must-haves not assessed: " + ", ".join(result.must_have_unassessed))
    lines.append(
        f"Stakeholders: {result.stakeholder_responses} responded; a competency's mean is shown"
        f" once {stakeholder_min()} rated it (never part of the score)"
    )
    lines.append("")
    header = (
        "Competency",
        "Weight",
        "Req",
        "Self",
        "Panel",
        "Ratings",
        "Gap",
        "Attain",
        "Stkh",
        "Flags",
    )
    rows = [
        (
            c.key + (" *" if c.must_have else ""),
            _num(c.weight),
            str(c.required),
            _num(c.self_rating),
            _num(c.panel),
            ",".join(map(str, c.ratings)) or "-",
            _num(c.gap),
            _num(c.attainment, 3),
            _num(c.stakeholder),
            ", ".join(FLAG_LABELS[f].lower() for f in c.flags),
        )
        for c in result.competencies
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            cell.ljust(widths[i]) if i in (0, 5, 9) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append("* must-have; Stkh: stakeholders' mean level")
    return "\n".join(lines)


@click.command("score")
@click.argument("email")
@click.option("--role", "role_key", required=True, help="Key of the role, e.g. product-director.")
@click.option("--json", "as_json", is_flag=True, help="Print the breakdown as one JSON object.")
@with_appcontext
def score_command(email: str, role_key: str, as_json: bool) -> None:
    """Print the score of EMAIL's most recent assessment for a role, against its pinned version."""
    assessment = latest_assessment(email, role_key)
    result = score_for(assessment)
    if as_json:
        data = score_to_json(
            result,
            candidate=assessment.candidate.email,
            role=role_key,
            version=assessment.role_version.number,
        )
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(score_table(assessment, result))


COMMANDS = [score_command]
