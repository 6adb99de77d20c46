"""What the four PDF documents share: `Document`, the audience rules, formatting and loading.

The builders live one per document: readiness.py, coaching_plan.py, shortlist.py, guide.py.

Each builder takes loaded records and the viewer, and returns a `Document` built for that
viewer's audience: the builder asks `app.policy` what the viewer may read (an exec's own plan
has no CPO notes; a panel member with an unsubmitted interview gets no other member's input).
The HTML is everything the PDF depends on (apart from the renderer version), and the cache key
adds the audience, so two audiences never share a cached PDF. Documents state "Data as of" the
latest change to the rows they show rather than the day they were rendered, so an unchanged
document keeps its key (and its cached PDF) across midnight. Templates are rendered straight
from the Jinja environment, with no request, so the CLI and background exports build the very
same HTML as a download.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app

from app import localtime
from app.models import Assessment
from app.policy import may
from app.reports.pdf_chart import chart_html
from assessments.charts import StakeholderSeries
from assessments.model import LENS_LABELS, RATING_SCALE
from assessments.scoring import FLAG_LABELS, ScoreResult

KINDS: dict[str, str] = {
    "readiness": "Readiness report",
    "plan": "Coaching plan",
    "shortlist": "Shortlist",
    "interview-guide": "Interview guide",
}
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class Document:
    """A document ready to render: its final HTML, the metadata the PDF carries, and the
    audience it was built for (part of the cache key)."""

    kind: str
    html: str
    title: str
    author: str
    filename: str
    audience: str = "staff"
    # The document this is ("plan:12"): the cache keeps one current PDF per ref and audience.
    ref: str = ""


@dataclass(frozen=True)
class Operator:
    """Whoever runs `flask report` at the shell: they hold the database, so they read as an
    administrator (who sits on no panel)."""

    id: int = 0
    role: str = "admin"
    is_authenticated: bool = True


OPERATOR = Operator()
HELD_BACK_REASON = "held back until you submit your interview"


class HeldBack(PermissionError):
    """The viewer may not read this document (or this part of it)."""


def may_read_readiness(viewer: Any, assessment: Assessment) -> bool:
    """Staff who may see the panel's input: a panel member only after submitting their own."""
    return may(viewer, "reports.download") and may(viewer, "panel.view_input", assessment)


def _document(
    kind: str,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    description: str,
    document_name: str,
    as_of: datetime | None,
    filename: str,
    ref: str,
    draft: bool = False,
    audience: str = "staff",
) -> Document:
    """Render one document with the metadata every PDF carries (title, author, header name,
    the time of the last change to what it shows, draft marking)."""
    author = _author()
    html = _render(
        template,
        {
            **context,
            "title": title,
            "author": author,
            "description": description,
            "document_name": document_name,
            "as_of": as_of,
            "draft": draft,
        },
    )
    return Document(
        kind=kind,
        html=html,
        title=title,
        author=author,
        filename=filename,
        audience=audience,
        ref=ref,
    )


def data_as_of(*stamps: datetime | Iterable[datetime | None] | None) -> datetime | None:
    """The latest of these change times (single times or collections of them).

    Documents print it instead of the date they were rendered, so an unchanged document keeps
    the same HTML, and so the same cached PDF, from one day to the next.
    """
    flat: list[datetime] = []
    for stamp in stamps:
        if isinstance(stamp, datetime):
            flat.append(stamp)
        elif stamp is not None:
            flat.extend(s for s in stamp if s is not None)
    return max(flat, default=None)


def today() -> date:
    """Today in the organisation's zone (bulk export file names, a plan's overdue states)."""
    return localtime.today()


def slug(*parts: object) -> str:
    """A safe ASCII file-name part: 'Sarah Whitfield' -> 'sarah-whitfield'."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "document"


def num(value: float | int | None, places: int = 2) -> str:
    """2.0 -> '2', 2.50 -> '2.5', None -> a dash: figures as the pages show them."""
    if value is None:
        return DASH
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def percent(share: float | None, places: int = 1) -> str:
    """0.857 -> '85.7%'."""
    if share is None:
        return DASH
    return f"{num(share * 100, places)}%"


# White space beside a block-level tag is never shown (it falls at the start or end of a line),
# but WeasyPrint parses it and builds boxes for it: the PDF HTML goes without it.
_BLOCK_TAGS = (
    "html|head|body|meta|title|style|header|main|section|div|p|h[1-6]|table|caption|thead|tbody"
    "|tr|th|td|ul|ol|li|dl|dt|dd|svg"
)
_SPACE_BEFORE_BLOCK = re.compile(rf">\s+(?=</?(?:{_BLOCK_TAGS})[\s/>])")
_SPACE_AFTER_BLOCK = re.compile(rf"(</?(?:{_BLOCK_TAGS})(?:\s[^<>]*)?>)\s+(?=<)")


def compact(html: str) -> str:
    """The HTML without the white space between tags that a block-level tag makes invisible."""
    return _SPACE_AFTER_BLOCK.sub(r"\1", _SPACE_BEFORE_BLOCK.sub(">", html))


def _render(template: str, context: dict[str, Any]) -> str:
    env = current_app.jinja_env
    html = env.get_template(template).render(
        organisation=current_app.config["ORGANISATION_NAME"],
        num=num,
        percent=percent,
        lens_labels=LENS_LABELS,
        rating_scale=RATING_SCALE,
        flag_labels=FLAG_LABELS,
        **context,
    )
    return compact(html)


def _author() -> str:
    return str(current_app.config["ORGANISATION_NAME"])


def chart_for_pdf(
    result: ScoreResult, title: str, stakeholders: StakeholderSeries | None = None
) -> str:
    """The pages' chart, its text set as HTML in the report's font (see pdf_chart.py)."""
    return str(chart_html(result, title, stakeholders))


# --- loading ---------------------------------------------------------------------------------


def is_scored(assessment: Assessment) -> bool:
    """True once at least one panel interview is submitted: a readiness report exists."""
    return any(i.status == "submitted" for i in assessment.interviews)
