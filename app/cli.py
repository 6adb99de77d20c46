"""`flask` commands: thin wrappers over the services."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.auth import services as accounts
from app.extensions import db
from app.models import ROLES
from app.notifications.accounts import send_account_link

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Email address (the sign-in name).")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The person's role.")
@click.option("--password", default=None, help="Password; omit to print an invite link instead.")
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user, printing an invite link when no password is given."""
    if password is not None:
        from app.passwords import MAX_LENGTH, MIN_LENGTH, weakness

        if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
            raise click.ClickException(
                f"--password must be between {MIN_LENGTH} and {MAX_LENGTH} characters"
            )
        problem = weakness(password, (email, name, current_app.config["ORGANISATION_NAME"]))
        if problem:
            raise click.ClickException(f"--password {problem}")
    try:
        user = accounts.create_user(email, name, role, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    link = None
    if password is None:
        link = send_account_link(user, "invite", accounts.issue_token(user, "invite"))
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")
    if link:
        click.echo(f"Invite link (single use): {link}")


@users_cli.command("reset-link")
@click.argument("email")
def reset_link_command(email: str) -> None:
    """Print a single-use password reset link for EMAIL."""
    user = accounts.user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active user with the email {email}")
    purpose = "reset" if user.password_hash else "invite"
    link = send_account_link(user, purpose, accounts.issue_token(user, purpose))
    db.session.commit()
    click.echo(link)


@click.command("demo")
@click.option(
    "--password",
    default="streamlead-demo",
    show_default=True,
    help="Password for every demo login.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def demo_command(password: str, if_empty: bool) -> None:
    """Load the demo organisation (safe to run again: it adds only what is missing)."""
    from sqlalchemy import func, select

    from app.demo import DEMO_PEOPLE, load_demo
    from app.models import User
    from app.passwords import MIN_LENGTH, weakness

    problem = (
        weakness(password)
        if len(password) >= MIN_LENGTH
        else f"is shorter than {MIN_LENGTH} characters"
    )
    if problem:
        raise click.ClickException(f"--password {problem}")

    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Database already has users: demo data not loaded.")
        click.echo(
            "Demo logins, if loaded earlier: admin@, cpo@, hr@, exec1@example.org and so on."
        )
        return

    created = load_demo(password)
    db.session.commit()
    click.echo(f"Demo organisation ready ({len(created)} new accounts).")
    note = f"password: {password}" if created else "passwords as set when first loaded"
    click.echo(f"Demo logins ({note}):")
    for email, _name, role in DEMO_PEOPLE:
        click.echo(f"  {role:<12} {email}")


backup_cli = AppGroup("backup", help="Back up and restore the whole database.")


@backup_cli.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def backup_export_command(out: str) -> None:
    """Write every record to one JSON file."""
    import json

    from app.admin.backup import export_all

    document = export_all()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1, sort_keys=True)
    rows = sum(len(rows) for rows in document["tables"].values())
    click.echo(f"Wrote {rows} records from {len(document['tables'])} tables to {out}")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def backup_restore_command(file: str) -> None:
    """Load a backup file into an empty database (run `flask db upgrade` first)."""
    import json

    from app import planner_statistics
    from app.admin.backup import BackupError, restore_all
    from app.models import ScoreSnapshot

    try:
        with open(file, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file} cannot be read as JSON: {exc}") from exc
    try:
        counts = restore_all(document)
    except BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    # Until autovacuum gets round to them, PostgreSQL would plan as if the tables were empty;
    # the score snapshots are rebuilt from the restored evidence, so they are new rows too.
    written = [name for name, rows in counts.items() if rows]
    planner_statistics.refresh([*written, ScoreSnapshot.__tablename__] if written else [])
    click.echo(f"Restored {sum(counts.values())} records into {len(counts)} tables")


saved_input_cli = AppGroup("saved-input", help="Form input kept when a session ended.")


@saved_input_cli.command("purge")
def saved_input_purge_command() -> None:
    """Delete kept form input older than SAVED_INPUT_KEEP_DAYS (run daily, e.g. from cron)."""
    from app.saved_input import keep_for, purge_expired

    removed = purge_expired()
    db.session.commit()
    click.echo(f"Deleted {removed} kept form input(s) older than {keep_for().days} days")


scores_cli = AppGroup("scores", help="Stored scores (one snapshot per assessment).")


@scores_cli.command("rebuild")
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing: print each stored figure that differs from a fresh computation and"
    " exit with status 1 if any does.",
)
def scores_rebuild_command(check: bool) -> None:
    """Recompute every assessment's score snapshot from its evidence."""
    from app import score_snapshots

    differences = score_snapshots.check()
    stale = len({d.assessment_id for d in differences})
    if check:
        db.session.rollback()
        for difference in differences:
            click.echo(str(difference))
        if differences:
            click.echo(f"{len(differences)} difference(s) in {stale} assessment(s).")
            raise SystemExit(1)
        click.echo("Every stored score matches a fresh computation.")
        return
    count = score_snapshots.rebuild()
    db.session.commit()
    click.echo(f"Rebuilt {count} score snapshot(s); {stale} had differed.")


# Areas whose `cli.py` defines `COMMANDS`, a list of click commands or groups to register.
CLI_AREAS = (
    "roles",
    "candidates",
    "interviews",
    "selection",
    "induction",
    "coaching",
    "reports",
    "notifications",
)


def init_app(app: Flask) -> None:
    """Register the command groups, the foundation's and each area's."""
    import importlib
    import importlib.util

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_cli)
    app.cli.add_command(saved_input_cli)
    app.cli.add_command(scores_cli)
    from app.serve import serve_command
    from app.worker import worker_command

    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
    for area in CLI_AREAS:
        if importlib.util.find_spec(f"app.{area}.cli") is not None:
            for command in importlib.import_module(f"app.{area}.cli").COMMANDS:
                app.cli.add_command(command)
