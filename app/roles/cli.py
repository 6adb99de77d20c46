"""`flask framework`: import and export role definitions as YAML files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.roles import errors, lookups, transfer
from assessments.roles import RoleDefinitionError
from assessments.safe_yaml import MAX_BYTES

framework_cli = AppGroup("framework", help="Import and export role definitions (YAML).")


def _read_text(path: str) -> str:
    """The file's text, or a clear message when it cannot be read or is not UTF-8."""
    try:
        with Path(path).open("rb") as file:
            # Read one byte past the limit, so an oversized file is refused without reading it all.
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file") from None
    except IsADirectoryError:
        raise click.ClickException(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise click.ClickException(
            f"{path}: is larger than {MAX_BYTES:,} bytes (1 MiB); nothing was imported"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{path}: is not UTF-8 text (byte {exc.start + 1} cannot be read); "
            "save it as UTF-8 and try again"
        ) from None


def _problems(path: str, errors: list[str]) -> click.ClickException:
    count = "1 problem" if len(errors) == 1 else f"{len(errors)} problems"
    lines = "\n".join(f"  {error}" for error in errors)
    return click.ClickException(f"{path} has {count}; nothing was imported:\n{lines}")


@framework_cli.command("import")
@click.argument("file")
@click.option("--publish", is_flag=True, help="Publish the new version at once.")
@click.option(
    "--replace-draft",
    is_flag=True,
    help="When the role already has a draft, overwrite it with the file.",
)
def import_command(file: str, publish: bool, replace_draft: bool) -> None:
    """Store FILE as the next version of the role its `key` names (a new role if none)."""
    text = _read_text(file)
    try:
        version, replaced = transfer.import_yaml(text, publish=publish, replace_draft=replace_draft)
    except RoleDefinitionError as exc:
        db.session.rollback()
        raise _problems(file, exc.errors) from None
    except errors.DraftExists as exc:
        db.session.rollback()
        raise click.ClickException(
            f"{exc.draft.definition.key} already has a draft (v{exc.draft.number}); nothing "
            "was imported. Publish or discard that draft in the browser first, or run again "
            "with --replace-draft to overwrite it."
        ) from None
    db.session.commit()
    verb = "Replaced draft with" if replaced else "Imported"
    click.echo(f"{verb} {version.definition.key} v{version.number} ({version.status})")


@framework_cli.command("export")
@click.argument("key")
@click.option("--version", "number", type=int, help="Version number (default: latest published).")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    help="File to write; - writes to the screen.",
)
def export_command(key: str, number: int | None, out: str) -> None:
    """Write version N (default: the latest published) of role KEY to a YAML file."""
    definition = lookups.definition_by_key(key)
    if definition is None:
        known = ", ".join(d.key for d in lookups.all_definitions()) or "none yet"
        raise click.ClickException(f"No role with the key {key} (roles: {known})")
    numbers = ", ".join(f"v{v.number} ({v.status})" for v in definition.versions)
    if number is None:
        version = lookups.latest_published(key)
        if version is None:
            raise click.ClickException(
                f"{key} has no published version; name one with --version ({numbers})"
            )
    else:
        version = lookups.version_by_number(key, number)
        if version is None:
            raise click.ClickException(f"{key} has no version {number} (versions: {numbers})")
    try:
        text = transfer.export_yaml(version)
    except RoleDefinitionError as exc:
        lines = "\n".join(f"  {error}" for error in exc.errors)
        raise click.ClickException(
            f"{key} v{version.number} is an incomplete draft and cannot be exported:\n{lines}"
        ) from None
    if out == "-":
        click.echo(text, nl=False)
        return
    _write_atomically(Path(out), text)
    click.echo(f"Exported {key} v{version.number} ({version.status}) to {out}")


def _write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a half-written file would not import."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be written ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temp, 0o644)  # mkstemp makes it private; an export is an ordinary file
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise click.ClickException(f"{path}: cannot be written ({exc.strerror})") from None


COMMANDS = [framework_cli]
