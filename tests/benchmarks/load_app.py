"""The app as gunicorn serves it in the load benchmark, plus one bare Flask page to compare with."""

from __future__ import annotations

from app import create_app
from app.policy import public

app = create_app()


@app.route("/bench/bare")
@public
def bare() -> str:
    """The cheapest page Flask can serve: the yardstick for the real pages."""
    return "ok"
