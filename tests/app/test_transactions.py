"""The one transaction and conflict boundary: `app/transactions.py` and how routes use it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

import app as app_package
from app.extensions import db
from app.models import ValueStream
from app.transactions import DomainError, StaleEdit, transaction

APP_DIR = Path(app_package.__file__).parent

# Exceptions that are not refusals shown to a person: signals between modules, or refusals
# answered with a status page of their own.
NOT_DOMAIN = {
    "app.saved_input.InputTooLarge",  # tells the keeper to say "too large", never shown as is
    "app.reports.documents.HeldBack",  # a policy refusal: answered with the 403 page
    "app.reports.pdf.RefusedURL",  # the PDF renderer's fetcher refusing a URL
    "app.reports.pdf.RenderTimeout",  # answered with the 503 "busy" page
    "app.queue.QueueConfigError",  # a start-up configuration error, never met by a user
    "app.reports.exports.ExportCancelled",  # tells a background step to stop, never shown
    "app.notifications.delivery.DeliveryError",  # a refused email: the worker's task retries it
}


def _stream(name: str = "Payments") -> ValueStream:
    stream = ValueStream(name=name)
    db.session.add(stream)
    db.session.commit()
    return stream


def _names() -> list[str]:
    return list(db.session.scalars(select(ValueStream.name).order_by(ValueStream.name)))


def test_a_block_that_succeeds_is_committed_once(app_ctx: Flask) -> None:
    with transaction():
        db.session.add(ValueStream(name="Payments"))
    db.session.rollback()  # nothing left to undo: the boundary committed
    assert _names() == ["Payments"]


def test_a_refused_change_is_rolled_back_and_reaches_the_view(app_ctx: Flask) -> None:
    with pytest.raises(DomainError, match=r"^No such hat$") as caught, transaction():
        db.session.add(ValueStream(name="Payments"))
        db.session.flush()
        raise DomainError("No such hat", field="hats")
    assert caught.value.field == "hats" and caught.value.message == "No such hat"
    assert _names() == []


def test_any_other_error_is_rolled_back_and_re_raised(app_ctx: Flask) -> None:
    with pytest.raises(KeyError), transaction():
        db.session.add(ValueStream(name="Payments"))
        db.session.flush()
        raise KeyError("bug")
    assert _names() == []


def test_a_stale_update_comes_out_as_a_stale_edit(app_ctx: Flask) -> None:
    stream = _stream()
    loaded = stream.version
    db.session.commit()  # this request has read the stream; nothing holds the database
    with db.engine.begin() as other:  # someone else saves the stream meanwhile
        other.execute(
            update(ValueStream.__table__)  # type: ignore[arg-type]
            .where(ValueStream.__table__.c.id == stream.id)
            .values(version=loaded + 1, journey="theirs")
        )
    with pytest.raises(StaleEdit) as caught, transaction():
        stream.journey = "mine"
    assert "Someone else saved this" in caught.value.message
    assert db.session.get(ValueStream, stream.id).journey == "theirs"  # type: ignore[union-attr]


def test_a_clash_on_a_unique_key_is_stale_only_where_the_view_says_so(app_ctx: Flask) -> None:
    _stream()
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), transaction():
        db.session.add(ValueStream(name="Payments"))
    with pytest.raises(StaleEdit), transaction(concurrent_insert_is_stale=True):
        db.session.add(ValueStream(name="Payments"))
    assert _names() == ["Payments"]


def _app_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module in pkgutil.walk_packages([str(APP_DIR)], "app."):
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == loaded.__name__
            ):
                found[f"{value.__module__}.{name}"] = value
    return found


def test_every_refusal_is_a_domain_error_and_every_stale_one_a_stale_edit() -> None:
    wrong = []
    for path, cls in _app_exceptions().items():
        if path in NOT_DOMAIN or cls is DomainError:
            continue
        expected = StaleEdit if "Stale" in cls.__name__ else DomainError
        if not issubclass(cls, expected):
            wrong.append(f"{path} should subclass {expected.__name__}")
    assert wrong == []


def _view_modules() -> list[Path]:
    """Every routes.py, and any other module that declares routes (areas may split them)."""
    return [
        path
        for path in sorted(APP_DIR.rglob("*.py"))
        if path.name == "routes.py" or ".route(" in path.read_text()
    ]


def test_routes_leave_rollback_and_stale_data_to_the_boundary() -> None:
    problems = []
    for path in _view_modules():
        lines = path.read_text().splitlines()
        where = path.relative_to(APP_DIR.parent)
        for number, line in enumerate(lines, start=1):
            if "session.rollback()" in line and not re.match(r"\s*# why: ", lines[number - 2]):
                problems.append(f"{where}:{number}: rollback without a '# why:' line above")
        for node in ast.walk(ast.parse("\n".join(lines))):
            caught = node.type if isinstance(node, ast.ExceptHandler) else None
            if caught is not None and "StaleDataError" in ast.unparse(caught):
                problems.append(f"{where}:{node.lineno}: catches StaleDataError")
    assert problems == []
