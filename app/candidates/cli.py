"""`flask ratings import`: ratings recorded elsewhere, checked in full before any is written."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app import planner_statistics
from app.candidates import importing
from app.extensions import db
from app.roles.lookups import latest_published

ratings_cli = AppGroup("ratings", help="Import ratings recorded in spreadsheets.")


@ratings_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--role",
    "role_key",
    required=True,
    help="Key of the role, e.g. product-director; its latest published version is used.",
)
def import_ratings_command(file: Path, role_key: str) -> None:
    """Import self-assessment and interview ratings from FILE (CSV with a header row).

    Columns: candidate_email,rater_email,source,competency,level,evidence. The whole file is
    checked first; if any line is wrong, every problem is listed and nothing is written.
    """
    version = latest_published(role_key)
    if version is None:
        raise click.ClickException(f"No published version of a role with the key {role_key!r}")
    try:
        plan = importing.check(file.read_bytes(), version)
    except importing.ImportProblems as exc:
        for problem in exc.listed():
            click.echo(problem, err=True)
        count = len(exc.problems)
        raise click.ClickException(
            f"{count:,} {'problem' if count == 1 else 'problems'} in {file.name}: "
            "nothing was imported. Fix the file and run the command again."
        ) from exc
    summary = importing.apply(plan, version)
    db.session.commit()
    # Until autovacuum gets round to them, PostgreSQL would plan as if these were nearly empty.
    planner_statistics.refresh(importing.TABLES)
    for line in summary.lines():
        click.echo(line)


COMMANDS = [ratings_cli]
