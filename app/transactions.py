"""The one transaction and conflict boundary of a view: commit once, roll back on any error.

Services flush and never commit. A view that changes data wraps its service calls in
`with transaction():`, which commits once when the block ends and rolls back on any
exception before re-raising it. A stale update (SQLAlchemy's `StaleDataError`, raised by the
version columns of `app/models/mixins.py`) comes out as `StaleEdit`, so a view catches one
class for "someone else saved first" and renders its own side-by-side 409 page; a
`DomainError` comes out unchanged for the view to show on its form. Because the session is
already rolled back when the view handles either, the view can reload what is saved now.
See docs/decisions.md, "Issue 13 — One transaction and conflict boundary".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

STALE_MESSAGE = (
    "Someone else saved this after you opened it, so your changes were not saved. "
    "Compare them with what is saved now, then save again."
)


class DomainError(Exception):
    """A change the domain refuses, with a message for the person who asked.

    `field` names the form field the message belongs to, when there is one; otherwise the
    message goes to the form's error summary.
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        """The user-facing message."""
        return str(self)


class StaleEdit(DomainError):
    """A save based on an outdated version: someone else saved first; nothing was overwritten."""

    def __init__(self, message: str = STALE_MESSAGE, *, field: str | None = None) -> None:
        super().__init__(message, field=field)


@contextmanager
def transaction(*, concurrent_insert_is_stale: bool = False) -> Iterator[None]:
    """Commit once when the block ends; on any exception roll back and re-raise it.

    `StaleDataError` is re-raised as `StaleEdit`. With `concurrent_insert_is_stale`, an
    `IntegrityError` is too: for rows created on first save (a profile, a self-assessment,
    an interview), a unique-key clash means someone else created the row at the same moment.
    """
    try:
        yield
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit() from exc
    except IntegrityError as exc:
        db.session.rollback()
        if concurrent_insert_is_stale:
            raise StaleEdit() from exc
        raise
    except BaseException:
        db.session.rollback()
        raise


def show_on_form(form: Any, error: DomainError) -> None:
    """Put a refused change's message on its field, or in the form's error summary."""
    field = form[error.field] if error.field and error.field in form else None
    if field is not None:
        field.errors.append(error.message)
    else:
        form.form_errors.append(error.message)
