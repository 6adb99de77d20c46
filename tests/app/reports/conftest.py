"""Fixtures of the reports tests: one organisation with reports and plans in every state."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from pypdf import PdfReader

from app.extensions import db
from app.models import User
from tests.app.reports import factories as f
from tests.fixtures.client import Browser
from tests.fixtures.factories import PASSWORD


@dataclass(frozen=True)
class Scenario:
    """Ids and emails of the test organisation (objects would be detached after the commit)."""

    cpo: str
    hr: str
    admin: str
    interviewer: str
    sarah: str  # exec, selected, issued plan v1 with a checklist and a day-30 review
    david: str  # exec, scored, issued plan of his own
    laura: str  # exec, scored, only a draft plan
    version_id: int
    stream_id: int
    other_stream_id: int
    sarah_assessment: int
    david_assessment: int
    laura_assessment: int
    unscored_assessment: int
    sarah_plan: int
    david_plan: int
    laura_draft: int


@pytest.fixture
def scenario(app: Flask) -> Scenario:
    """Three execs assessed for Home buying, one unscored, plans issued and draft."""
    with app.app_context():
        cpo = f.person("cpo", "Priya Raman", password=PASSWORD)
        hr = f.person("hr", "Hannah Price", password=PASSWORD)
        admin = f.person("admin", "Alex Admin", password=PASSWORD)
        interviewer = f.person("interviewer", "Tom Okafor", password=PASSWORD)
        sarah = f.person("exec", "Sarah Whitfield", password=PASSWORD)
        david = f.person("exec", "David Mensah", password=PASSWORD)
        laura = f.person("exec", "Laura Byrne", password=PASSWORD)
        james = f.person("exec", "James Carter", password=PASSWORD)
        version = f.published_role(cpo)
        home = f.stream("Home buying")
        savings = f.stream("Savings", hats={})
        a_sarah = f.assessment(sarah, version, home, decision="selected")
        a_david = f.assessment(
            david, version, home, panel=[{k: max(0, v - 1) for k, v in f.PANEL_A.items()}]
        )
        a_laura = f.assessment(laura, version, savings)
        a_james = f.assessment(james, version, home, panel=[])
        p_sarah = f.plan(a_sarah, issued_by=cpo)
        f.checklist(a_sarah)
        f.review(p_sarah, reviewer=cpo)
        p_david = f.plan(a_david, issued_by=cpo)
        p_laura = f.plan(a_laura, status="draft")
        db.session.commit()
        return Scenario(
            cpo=cpo.email,
            hr=hr.email,
            admin=admin.email,
            interviewer=interviewer.email,
            sarah=sarah.email,
            david=david.email,
            laura=laura.email,
            version_id=version.id,
            stream_id=home.id,
            other_stream_id=savings.id,
            sarah_assessment=a_sarah.id,
            david_assessment=a_david.id,
            laura_assessment=a_laura.id,
            unscored_assessment=a_james.id,
            sarah_plan=p_sarah.id,
            david_plan=p_david.id,
            laura_draft=p_laura.id,
        )


@pytest.fixture
def sign_in_as(app: Flask, browser_as: Callable[..., Browser]) -> Callable[[str], Browser]:
    """A signed-in Browser for an existing user, by email."""

    def factory(email: str) -> Browser:
        with app.app_context():
            user = db.session.query(User).filter_by(email=email).one()
            db.session.expunge(user)
        return browser_as(user)

    return factory


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed so wrapped lines read as one."""
    assert pdf.startswith(b"%PDF-"), pdf[:40]
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF as one string."""
    return " ".join(pdf_pages(pdf))


def squash(text: str) -> str:
    """Whitespace collapsed, to compare source text with extracted text."""
    return re.sub(r"\s+", " ", text).strip()
