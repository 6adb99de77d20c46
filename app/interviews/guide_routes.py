"""The rater and calibration guide: how to take evidence notes, traps to check, calibration."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from app.interviews import bp
from app.policy import requires
from assessments import rater_guide


@bp.route("/interviews/rater-guide")
@requires("interviews.mine")
def rater_guide_page() -> ResponseReturnValue:
    """The guide every rater reads before an interview and before calibration."""
    return render_template(
        "interviews/rater_guide.html",
        sections=rater_guide.SECTIONS,
        examples=rater_guide.NOTE_EXAMPLES,
    )
