"""URL arguments for the selection area: the demo's Sarah Whitfield and her value stream."""

from __future__ import annotations

from typing import Any

from app.models import User
from tests.app.samples.interviews import sarah_assessment


def _assessment(user: User | None) -> dict[str, Any]:
    return {"assessment_id": sarah_assessment().id}


def _stream(user: User | None) -> dict[str, Any]:
    stream_id = sarah_assessment().value_stream_id
    assert stream_id is not None
    return {"stream_id": stream_id}


SAMPLES = {
    "selection.show_results": _assessment,
    "selection.shortlist": _stream,
    "selection.record_decision": _assessment,
}
