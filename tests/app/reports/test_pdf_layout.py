"""Every PDF kind, page by page: no page more than a quarter blank unless a chapter ends there,
no heading at a page's foot, no table row split between pages.

Measured from WeasyPrint's layout boxes (tests/fixtures/pdf_layout.py) over the demo's documents
and over adversarial ones: long notes, many trade-offs, one candidate, many candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from weasyprint.formatting_structure import boxes

from app.demo import load_demo
from app.extensions import db
from app.models import Assessment, CoachingPlan, RoleVersion, User, ValueStream
from app.models.loaders import load_assessment_for_report, load_plan_for_document
from app.reports import coaching_plan, documents, guide, readiness, shortlist
from app.reports.documents import OPERATOR, Document
from app.reports.pdf import lay_out, render_pdf
from app.roles import transfer
from tests.fixtures.builders import PASSWORD
from tests.fixtures.pdf import pdf_pages, pdf_text, squash
from tests.fixtures.pdf_layout import LayoutReport, measure
from tests.fixtures.role_v2 import ROLE_V2_YAML


def demo_documents() -> Iterator[tuple[str, Document]]:
    """Each document the demo can print, for each audience that reads it differently."""
    for assessment_id in db.session.scalars(select(Assessment.id).order_by(Assessment.id)):
        a = load_assessment_for_report(assessment_id)
        if a is not None and documents.is_scored(a):
            yield (
                f"readiness report of {a.candidate.name}",
                readiness.readiness_document(a, OPERATOR),
            )
    for plan_id in db.session.scalars(select(CoachingPlan.id).order_by(CoachingPlan.id)):
        p = load_plan_for_document(plan_id)
        name = f"coaching plan v{p.number} of {p.assessment.candidate.name}"
        yield f"{name} (staff)", coaching_plan.plan_document(p, OPERATOR)
        if p.status != "draft":
            exec_user = db.session.get(User, p.assessment.candidate_id)
            yield f"{name} (exec's own)", coaching_plan.plan_document(p, exec_user)
    for stream, version in shortlist_pairs():
        yield (
            f"shortlist of {stream.name}",
            shortlist.shortlist_document(stream, version, OPERATOR),
        )
    for version in db.session.scalars(select(RoleVersion).order_by(RoleVersion.id)):
        if version.status == "published":
            yield (
                f"interview guide of {version.label}",
                guide.interview_guide_document(version, OPERATOR),
            )


def shortlist_pairs() -> list[tuple[ValueStream, RoleVersion]]:
    """Each (stream, role version) that has at least one assessment."""
    rows = db.session.execute(
        select(Assessment.value_stream_id, Assessment.role_version_id)
        .where(Assessment.value_stream_id.is_not(None))
        .distinct()
        .order_by(Assessment.value_stream_id, Assessment.role_version_id)
    )
    return [(db.session.get(ValueStream, s), db.session.get(RoleVersion, v)) for s, v in rows.all()]


def layout(name: str, document: Document) -> LayoutReport:
    """The document laid out as its PDF is, measured page by page."""
    return measure(name, lay_out(document.html))


def assert_good_layout(reports: list[LayoutReport]) -> None:
    problems = [p for report in reports for p in report.problems()]
    assert not problems, "\n".join(problems)


@pytest.fixture
def demo(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        load_demo(PASSWORD)
        db.session.commit()
        yield


def test_every_demo_document_is_laid_out_well(demo: Any) -> None:
    reports = [layout(name, doc) for name, doc in demo_documents()]
    kinds = {r.name.split(" of ")[0].split(" v")[0] for r in reports}
    assert {"readiness report", "coaching plan", "shortlist", "interview guide"} <= kinds, kinds
    assert_good_layout(reports)


# --- adversarial documents ---------------------------------------------------------------------

LONG = (
    "The exec took the stream's quarterly planning over from the CPO and ran it with the"
    " engineering and design leads; finance challenged two of the bets and the exec rewrote"
    " them with clearer evidence of customer demand before the steering group met. "
)


def _long_plan(candidate: User, cpo: User) -> CoachingPlan:
    """A plan with many long trade-offs, many checkpoints and reviews with long notes."""
    from tests.fixtures import builders

    a = builders.scored_assessment(
        candidate, builders.published_role(cpo), builders.report_stream("Mortgages")
    )
    a.decision = "selected"
    tradeoffs = [
        {
            "area": f"Trade-off {n}: delivery forecast and stakeholder confidence",
            "expected_impact": LONG,
            "risk": LONG[: 40 + 23 * n],
            "mitigation": LONG + LONG[: 17 * n],
        }
        for n in range(1, 13)
    ]
    days = (30, 60, 90, 120, 150, 180, 240, 300, 365)
    content = builders.plan_content(a, tradeoffs=tradeoffs)
    criteria = [LONG[: 60 + 11 * n] for n in range(7)]
    content["checkpoints"] = [
        {"day": d, "title": f"Day {d}: progress review", "success_criteria": criteria} for d in days
    ]
    p = builders.plan(a, issued_by=cpo, content=content)
    builders.checklist(a, done=9, total=24)
    for day, decision in zip(
        days[:5], ("continue", "extend", "continue", None, "continue"), strict=True
    ):
        r = builders.review(p, day=day, decision=decision, reviewer=cpo)
        r.notes = LONG * 3
        r.rationale = LONG * 2
        r.fail_fast = decision is None
        r.fail_fast_reasons = [LONG] if decision is None else []
    db.session.flush()
    return p


NAMES = (
    "Oluwaseun Adebayo-Richards",
    "Margaret Fitzgerald-Hughes",
    "Tom Li",
    "Aleksandra Wiśniewska",
    "Sarah Whitfield",
    "Christopher Montgomery-Smythe",
)


def _shortlist(size: int, cpo: User) -> tuple[ValueStream, RoleVersion]:
    """A stream with `size` scored candidates, some with long current roles."""
    from tests.fixtures import builders

    version = builders.published_role(cpo)
    stream = builders.report_stream(f"Stream of {size}")
    for n in range(size):
        exec_user = builders.person("exec", NAMES[n % len(NAMES)])
        panel = {k: max(0, v - (n % 3)) for k, v in builders.PANEL_A.items()}
        builders.scored_assessment(exec_user, version, stream, panel=[panel, builders.PANEL_B])
    return stream, version


def adversarial_documents() -> Iterator[tuple[str, Document]]:
    """Documents whose data pushes the layout: long notes, many rows, one to many candidates."""
    from tests.fixtures import builders

    cpo = builders.person("cpo", "Priya Raman")
    exec_user = builders.person("exec", "Sarah Whitfield")
    p = _long_plan(exec_user, cpo)
    yield "long coaching plan (staff)", coaching_plan.plan_document(p, OPERATOR)
    yield "long coaching plan (exec's own)", coaching_plan.plan_document(p, exec_user)
    a = p.assessment
    for interview in a.interviews:
        interview.strengths = LONG * 2
        interview.weaknesses = LONG * 3
    for _ in range(4):
        builders.scored_assessment(  # more panel members on another assessment, same shape
            builders.person("exec"), a.role_version, a.value_stream
        )
    db.session.flush()
    loaded = load_assessment_for_report(a.id)
    assert loaded is not None
    yield "readiness report with long panel notes", readiness.readiness_document(loaded, OPERATOR)
    for size in (1, 2, 3, 5, 9):
        stream, version = _shortlist(size, cpo)
        yield (
            f"shortlist of {size}",
            shortlist.shortlist_document(stream, version, OPERATOR),
        )


def test_adversarial_documents_are_laid_out_well(app: Flask) -> None:
    with app.test_request_context():
        reports = [layout(name, doc) for name, doc in adversarial_documents()]
        assert_good_layout(reports)


# --- what the documents say about their own layout ---------------------------------------------


def section_numbers(html: str) -> list[int]:
    """The numbers of a document's numbered sections, in order, a continued section once."""
    numbers = [int(n) for n in re.findall(r'<span class="num">(\d+)</span>', html)]
    return [n for i, n in enumerate(numbers) if i == 0 or n != numbers[i - 1]]


def test_sections_are_numbered_without_gaps(demo: Any) -> None:
    docs = list(demo_documents())
    empty = shortlist.shortlist_document(*_stream_with_nobody_scored(), OPERATOR)
    for name, doc in [*docs, ("shortlist with nobody scored", empty)]:
        numbers = section_numbers(doc.html)
        assert numbers == list(range(1, len(numbers) + 1)), (name, numbers)
    assert section_numbers(empty.html) == [1, 2], "ranking, then not scored yet"


def _stream_with_nobody_scored() -> tuple[ValueStream, RoleVersion]:
    from tests.fixtures import builders

    cpo = builders.person("cpo")
    version = builders.published_role(cpo)
    stream = builders.report_stream("Nobody scored yet")
    builders.scored_assessment(builders.person("exec"), version, stream, panel=[])
    db.session.flush()
    return stream, version


def test_short_shortlists_fit_on_two_pages_and_say_scores_in_detail_for_one(app: Flask) -> None:
    with app.test_request_context():
        cpo = builders_person("cpo")
        for size in (1, 2, 3):
            stream, version = _shortlist(size, cpo)
            doc = shortlist.shortlist_document(stream, version, OPERATOR)
            pages = pdf_pages(render_pdf(doc.html, title=doc.title, author=doc.author))
            assert len(pages) == 2, (size, len(pages))
            heading = "Scores in detail" if size == 1 else "Side by side"
            assert heading in " ".join(pages), size
            assert ("Side by side" in " ".join(pages)) == (size > 1), size


def builders_person(role: str) -> User:
    from tests.fixtures import builders

    return builders.person(role)


def test_reviewed_checkpoints_say_met_or_not_met_and_only_open_ones_have_boxes(
    app: Flask,
) -> None:
    with app.test_request_context():
        p = _long_plan(builders_person("exec"), builders_person("cpo"))
        for viewer in (OPERATOR, db.session.get(User, p.assessment.candidate_id)):
            doc = coaching_plan.plan_document(p, viewer)
            text = squash(pdf_text(render_pdf(doc.html, title=doc.title, author=doc.author)))
            # Reviews at days 30-150: continue, extend, continue, not decided, continue.
            assert "Day 30: progress review Due" in text
            assert text.count("Met: the plan continues") == 3, text
            assert text.count("Not met: the plan is extended") == 1
            assert text.count("Verdict to be recorded") == 1
            # Boxes to tick only for the four checkpoints not yet reviewed (7 criteria each).
            assert doc.html.count('<ul class="checklist">') == 4
            assert doc.html.count('<ul class="criteria">') == 5


def test_every_page_of_the_guide_after_the_first_has_a_line_for_the_candidate(
    demo: Any,
) -> None:
    version = db.session.scalars(
        select(RoleVersion).where(RoleVersion.status == "published")
    ).first()
    doc = guide.interview_guide_document(version, OPERATOR)
    pages = pdf_pages(render_pdf(doc.html, title=doc.title, author=doc.author))
    assert len(pages) > 10
    # Page 1 has the candidate's name box itself; every loose page after it repeats the line.
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(r"Candidate _{20,}", text), (number, text[:200])


# --- long shortlists ---------------------------------------------------------------------------

FULL_RANKING_HEADER = "Rank Candidate Band Readiness Decision"


def _numbered_shortlist(size: int) -> tuple[ValueStream, RoleVersion]:
    """A stream of `size` candidates with the same scores, so they rank by name: Candidate 001
    first."""
    from tests.fixtures import builders

    version = builders.published_role(builders_person("cpo"))
    stream = builders.report_stream(f"Stream of {size}")
    for n in range(1, size + 1):
        exec_user = builders.person("exec", f"Candidate {n:03d}")
        a = builders.scored_assessment(exec_user, version, stream)
        a.decision = "not-selected" if n == 30 else None
    db.session.flush()
    return stream, version


def test_a_long_shortlist_details_its_leading_candidates_and_ranks_everyone_a_line_each(
    app: Flask,
) -> None:
    assert shortlist.LEADING == 8
    with app.test_request_context():
        doc = shortlist.shortlist_document(*_numbered_shortlist(60), OPERATOR)
        laid_out = lay_out(doc.html)
        assert_good_layout([measure("shortlist of 60", laid_out)])
        pages = pdf_pages(laid_out.write_pdf())
    text = " ".join(pages)
    assert "These are the 8 highest ranked of 60" in text
    # Four leading candidates a page side by side, and nobody after the eighth in any detail.
    assert re.findall(r"Side by side: ranks (\d+) to (\d+)", text) == [("1", "4"), ("5", "8")]
    assert "Candidate 009" not in text.split("Full ranking")[0]
    # Everyone once in the full ranking, in order, under a header repeated on each of its pages;
    # a decision shows once recorded.
    first = next(i for i, page in enumerate(pages) if "Full ranking All 60" in page)
    full = pages[first:]
    assert all(page.count(FULL_RANKING_HEADER) == 1 for page in full), full
    ranked = re.findall(r"(\d+) Candidate (\d{3}) ", " ".join(full))
    assert ranked == [(str(n), f"{n:03d}") for n in range(1, 61)], ranked
    assert "30 Candidate 030 Ready with support 91.2% Not selected 31 Candidate" in text
    assert "Pending" not in " ".join(full)
    assert len(full) == 2
    # The detail takes the same few pages however long the list: before, every candidate had a
    # ranking row with its reasons, a row of strengths and a column side by side (25 pages).
    assert first <= 5, len(pages)


def test_a_shortlist_of_the_leading_size_is_detailed_in_full(app: Flask) -> None:
    with app.test_request_context():
        doc = shortlist.shortlist_document(*_numbered_shortlist(shortlist.LEADING), OPERATOR)
        text = pdf_text(render_pdf(doc.html, title=doc.title, author=doc.author))
    assert "Side by side: ranks 5 to 8" in text
    assert "Full ranking" not in text
    assert "highest ranked" not in text


def test_bands_side_by_side_stay_inside_their_column(app: Flask) -> None:
    with app.test_request_context():
        doc = shortlist.shortlist_document(*_numbered_shortlist(4), OPERATOR)
        laid_out = lay_out(doc.html)
    assert "matrix--4" in doc.html and "band--ready-with-support" in doc.html

    def overflowing(box: Any, cell: Any = None) -> Iterator[str]:
        if isinstance(box, boxes.TableCellBox):
            cell = box
        classes = (box.element.get("class") or "").split() if box.element is not None else []
        if cell is not None and "band" in classes and isinstance(box, boxes.InlineBlockBox):
            right = box.position_x + box.margin_width()
            cell_right = cell.content_box_x() + cell.width + cell.padding_right
            if right > cell_right + 0.01:
                yield f"{box.element.text!r} ends {right - cell_right:.1f}px past its cell"
        for child in getattr(box, "children", ()):
            yield from overflowing(child, cell)

    problems = [p for page in laid_out.pages for p in overflowing(page._page_box)]
    assert not problems, problems


def _lines_of(box: Any) -> int:
    """How many lines of text a box's content takes."""
    if isinstance(box, boxes.LineBox):
        return 1
    return sum(_lines_of(child) for child in getattr(box, "children", ()))


def test_the_guides_list_of_competencies_keeps_its_columns_for_a_long_name(app: Flask) -> None:
    """The list of competencies has set column widths (print.css: fixed layout, so a render need
    not measure every cell): a very long competency name wraps in its own column, and the
    narrow columns keep their headings and values on one line, inside the page."""

    long_name = (
        "Test planning across every service, supplier and release train of the organisation, "
        "with the risks each one carries"
    )
    with app.test_request_context():
        version, _ = transfer.import_yaml(
            ROLE_V2_YAML.replace("name: Test planning", f"name: {long_name}"), publish=True
        )
        document = lay_out(guide.interview_guide_document(version, OPERATOR).html)
    page_width = document.pages[0]._page_box.width
    tables = [
        box
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TableBox)
        and box.element is not None
        and "Must-have" in " ".join(box.element.itertext())
    ]
    assert len(tables) == 1
    table = tables[0]
    assert table.border_width() <= page_width + 0.01
    rows = [row for group in table.children for row in group.children]
    header, named = rows[0], rows[1]
    assert [_lines_of(cell) for cell in header.children] == [1] * 6
    assert _lines_of(named.children[1]) >= 2, "the long name wraps in its column"
    assert [_lines_of(cell) for cell in named.children[2:]] == [1] * 4
