"""`flask report ...`: write the same PDF documents as the download centre, from a shell."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth import services as accounts
from app.extensions import db
from app.models import Assessment, CoachingPlan, RoleDefinition, RoleVersion, ValueStream
from app.models.loaders import load_assessment_for_report, load_plan_for_document
from app.reports import coaching_plan, documents, guide, readiness, shortlist
from app.reports.documents import Document
from app.reports.pdf import render_pdf

report_cli = AppGroup("report", help="Write PDF reports: readiness, coaching plans, shortlists.")


def _definition(key: str) -> RoleDefinition:
    definition: RoleDefinition | None = db.session.scalar(
        select(RoleDefinition).where(RoleDefinition.key == key)
    )
    if definition is None:
        keys = ", ".join(
            db.session.scalars(select(RoleDefinition.key).order_by(RoleDefinition.key))
        )
        raise click.ClickException(f"No role with the key {key!r}. Known roles: {keys or 'none'}.")
    return definition


def _assessment(email: str, role_key: str) -> Assessment:
    """The person's newest assessment against a version of this role."""
    user = accounts.user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    definition = _definition(role_key)
    assessment_id = db.session.scalar(
        select(Assessment.id)
        .join(Assessment.role_version)
        .where(Assessment.candidate_id == user.id, RoleVersion.definition_id == definition.id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    if assessment_id is None:
        raise click.ClickException(f"{user.name} has no assessment against the role {role_key!r}.")
    assessment = load_assessment_for_report(assessment_id)
    assert assessment is not None
    return assessment


def _write(doc: Document, out: Path) -> None:
    pdf = render_pdf(doc.html, title=doc.title, author=doc.author)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise click.ClickException(f"Could not write {out}: {exc.strerror or exc}") from exc
    click.echo(f"Wrote {doc.title} to {out} ({len(pdf) // 1024} KB).")


_out = click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
_role = click.option(
    "--role", "role_key", required=True, help="The role key, e.g. product-director."
)


@report_cli.command("readiness")
@click.argument("email")
@_role
@_out
def readiness_command(email: str, role_key: str, out: Path) -> None:
    """Write the readiness report of EMAIL's newest assessment against the role."""
    assessment = _assessment(email, role_key)
    if not documents.is_scored(assessment):
        raise click.ClickException(
            f"{assessment.candidate.name} has no submitted panel interview yet, so there is no"
            " readiness report."
        )
    _write(readiness.readiness_document(assessment, documents.OPERATOR), out)


@report_cli.command("coaching-plan")
@click.argument("email")
@_role
@_out
@click.option(
    "--draft", is_flag=True, help="Write the draft version when it is newer than the issued one."
)
def coaching_plan_command(email: str, role_key: str, out: Path, draft: bool) -> None:
    """Write EMAIL's coaching plan in force (newest issued version) for the role."""
    assessment = _assessment(email, role_key)
    plan_ids = db.session.execute(
        select(CoachingPlan.id, CoachingPlan.status)
        .where(CoachingPlan.assessment_id == assessment.id)
        .order_by(CoachingPlan.number.desc())
    ).all()
    wanted = [
        pid for pid, status in plan_ids if status == "issued" or (draft and status == "draft")
    ]
    if not wanted:
        hint = " Only a draft exists; add --draft to write it." if plan_ids else ""
        raise click.ClickException(
            f"{assessment.candidate.name} has no issued coaching plan for {role_key!r}.{hint}"
        )
    plan = load_plan_for_document(wanted[0])
    assert plan is not None
    _write(coaching_plan.plan_document(plan, documents.OPERATOR), out)


@report_cli.command("shortlist")
@click.option("--stream", "stream_name", required=True, help="The value stream's name.")
@_role
@click.option(
    "--version",
    "number",
    type=int,
    default=None,
    help="Role version number (default: the newest with candidates).",
)
@_out
def shortlist_command(stream_name: str, role_key: str, number: int | None, out: Path) -> None:
    """Write the ranked shortlist for a value stream and role version."""
    stream = db.session.scalar(select(ValueStream).where(ValueStream.name == stream_name))
    if stream is None:
        names = ", ".join(db.session.scalars(select(ValueStream.name).order_by(ValueStream.name)))
        raise click.ClickException(
            f"No value stream named {stream_name!r}. Known: {names or 'none'}."
        )
    definition = _definition(role_key)
    query = (
        select(RoleVersion)
        .join(Assessment, Assessment.role_version_id == RoleVersion.id)
        .where(RoleVersion.definition_id == definition.id, Assessment.value_stream_id == stream.id)
        .options(joinedload(RoleVersion.definition))
        .order_by(RoleVersion.number.desc())
    )
    if number is not None:
        query = query.where(RoleVersion.number == number)
    version = db.session.scalars(query).first()
    if version is None:
        which = f"v{number} of {role_key!r}" if number else f"any version of {role_key!r}"
        raise click.ClickException(f"{stream.name} has no candidates assessed against {which}.")
    _write(shortlist.shortlist_document(stream, version, documents.OPERATOR), out)


@report_cli.command("interview-guide")
@_role
@click.option(
    "--version",
    "number",
    type=int,
    default=None,
    help="Role version number (default: the newest published).",
)
@_out
def interview_guide_command(role_key: str, number: int | None, out: Path) -> None:
    """Write a blank interview guide for a role version."""
    definition = _definition(role_key)
    query = (
        select(RoleVersion)
        .where(RoleVersion.definition_id == definition.id)
        .options(joinedload(RoleVersion.definition))
        .order_by(RoleVersion.number.desc())
    )
    query = (
        query.where(RoleVersion.number == number)
        if number
        else query.where(RoleVersion.status == "published")
    )
    version = db.session.scalars(query).first()
    if version is None:
        which = f"no version {number}" if number else "no published version"
        raise click.ClickException(f"The role {role_key!r} has {which}.")
    _write(guide.interview_guide_document(version, documents.OPERATOR), out)


@report_cli.command("prerender")
def prerender_command() -> None:
    """Bring every stored document up to date now, in this process (the worker does it too)."""
    from app.reports import prerender

    refs = prerender.all_refs()
    dropped = prerender.purge_except(prerender.KINDS, refs)
    db.session.commit()
    rendered = 0
    for ref in refs:
        rendered += prerender.render_ref(ref)
        db.session.commit()
    click.echo(
        f"{len(refs)} documents checked: {rendered} PDF(s) rendered, the rest were current;"
        f" {dropped} document(s) no longer offered were dropped."
    )


COMMANDS = [report_cli]
