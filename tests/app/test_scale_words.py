"""The rating scale is worded once (assessments/scale.py): no template, PDF or doc keeps its
own copy of what 0 and Not assessed mean, and the old contradictory words are gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessments import scale

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Words that contradicted the scoring (0 counts, Not assessed does not) before issue 16.
OLD_WORDS = (
    "no evidence at all",
    "showed nothing of this competency",
    "gave you no evidence",
    "0 no evidence",
    "0 means no evidence",
    "you have not done this yet, or cannot point to an example",
)
OWN_WORDS = sorted(
    {
        scale.ZERO_MEANING,
        scale.ZERO_MEANING_SELF,
        scale.NOT_ASSESSED_MEANING,
        scale.WHY_IT_MATTERS,
        *scale.PANEL_MEANINGS.values(),
        *scale.SELF_MEANINGS.values(),
    }
)


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 50
    assert any(path.name == "interview_guide.html" for path in TEMPLATES)


@pytest.mark.parametrize("words", OWN_WORDS)
def test_no_template_carries_its_own_copy_of_the_scale_words(words: str) -> None:
    copies = [
        str(p.relative_to(ROOT)) for p in TEMPLATES if _squash(words) in _squash(p.read_text())
    ]
    assert copies == [], f"take the words from scale_words instead of writing them out: {words!r}"


@pytest.mark.parametrize("path", [*TEMPLATES, *DOCS], ids=lambda p: str(p.name))
def test_the_old_contradictory_words_are_gone(path: Path) -> None:
    text = _squash(path.read_text())
    assert [words for words in OLD_WORDS if words in text] == []


def test_the_docs_use_the_same_words() -> None:
    text = _squash((ROOT / "docs" / "rating-scale.md").read_text())
    for words in (scale.ZERO_MEANING, scale.NOT_ASSESSED_MEANING, scale.ZERO_MEANING_SELF):
        assert _squash(words) in text


def test_zero_is_counter_evidence_not_absence() -> None:
    assert scale.SCALE_WORDS.names[0] == "Counter-evidence"
    assert scale.ZERO_MEANING == (
        "counter-evidence seen: the candidate showed the opposite of level 1"
    )
    assert scale.NOT_ASSESSED_MEANING == "not covered in this interview"
