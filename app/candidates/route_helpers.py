"""What the candidates area's views share: the signed-in user, load-or-404, stream choices."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app import localtime
from app.candidates import listing
from app.candidates import streams as value_streams
from app.extensions import db
from app.models import Assessment, User, ValueStream
from app.models.base import utcnow
from app.policy import authorize


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _stream_or_404(stream_id: int) -> ValueStream:
    stream = db.session.get(ValueStream, stream_id)
    if stream is None:
        abort(404)
    return stream


def _assessment_or_404(assessment_id: int, permission: str) -> Assessment:
    assessment = listing.assessment_for_page(assessment_id)
    if assessment is None:
        abort(404)
    authorize(permission, assessment)
    return assessment


def _stream_choices() -> list[tuple[str, str]]:
    return [(str(s.id), s.name) for s in value_streams.stream_options()]


def _time_now() -> str:
    return localtime.format_time(utcnow())
