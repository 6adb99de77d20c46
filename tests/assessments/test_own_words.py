"""Shipped content is in our own words: no run of six words copied from the seed articles.

The seed articles behind the method sit outside the repository, in ../shared/seeds. Every
text a user reads is checked against them: the shipped YAML (roles, induction, coaching
actions), the method-coverage table, the page templates and the strings in the app's code
(demo stories, guidance, messages). Words are compared case-blind with punctuation dropped,
so "Blamed the digital teams!" matches "blamed the Digital Teams".
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Iterator, Set
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUN = 6
"""Six words in a row is the shortest run that is copying rather than shared vocabulary."""

# Where the seeds live: beside the repository (CI's clone, /work/main), or one folder further up
# for a git worktree kept in a subfolder. STREAMLEAD_SEEDS overrides both.
SEED_DIRS = (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds")

_WORD = re.compile(r"[a-z0-9]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_INLINE_TAG = re.compile(r"</?(a|abbr|b|code|em|i|small|span|strong)\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>", re.DOTALL)


def words(text: str) -> list[str]:
    """The text's words, lower case, with punctuation and spacing dropped."""
    return _WORD.findall(text.translate(_QUOTES).lower())


def runs(text: str, size: int = RUN) -> Iterator[tuple[str, ...]]:
    """Every run of `size` consecutive words in the text."""
    found = words(text)
    for start in range(len(found) - size + 1):
        yield tuple(found[start : start + size])


def copied_runs(text: str, seed_runs: Set[tuple[str, ...]]) -> list[str]:
    """The stretches of the text made of runs that also occur in a seed, longest first found.

    Overlapping runs are joined, so one copied sentence is reported once, as a whole.
    """
    found = words(text)
    covered = [False] * len(found)
    for start in range(len(found) - RUN + 1):
        if tuple(found[start : start + RUN]) in seed_runs:
            covered[start : start + RUN] = [True] * RUN
    stretches: list[str] = []
    current: list[str] = []
    for word, copied in zip([*found, ""], [*covered, False], strict=True):
        if copied:
            current.append(word)
        elif current:
            stretches.append(" ".join(current))
            current = []
    return stretches


def seed_dir() -> Path | None:
    """The folder of seed articles, or None when this checkout has none beside it."""
    override = os.environ.get("STREAMLEAD_SEEDS")
    candidates = (Path(override),) if override else SEED_DIRS
    return next((path for path in candidates if path.is_dir()), None)


@cache
def seed_runs() -> frozenset[tuple[str, ...]]:
    """Every six-word run of every seed article."""
    folder = seed_dir()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail(f"no seed articles found in {', '.join(map(str, SEED_DIRS))}")
        pytest.skip("the seed articles (../shared/seeds) are not beside this checkout")
    found: set[tuple[str, ...]] = set()
    for path in sorted(folder.glob("*.txt")):
        found.update(runs(path.read_text("utf-8", errors="replace")))
    assert found, f"{folder} holds no seed text"
    return frozenset(found)


# --- What users read ------------------------------------------------------------------------


def _yaml_texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _yaml_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _yaml_texts(item)


def _python_texts(source: str) -> Iterator[str]:
    # Adjacent literals ("a " "b") are one constant by the time ast sees them.
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _template_texts(source: str) -> list[str]:
    # Inline tags sit inside a sentence, so they must not hide a copy; block tags and template
    # code end one piece of text, so words either side of them never join into a false run.
    return _BREAK.split(_INLINE_TAG.sub("", source))


def texts_of(path: Path) -> list[str]:
    """The pieces of text in a file that a reader sees, each checked on its own."""
    source = path.read_text("utf-8")
    if path.suffix in (".yaml", ".yml"):
        return list(_yaml_texts(yaml.safe_load(source)))
    if path.suffix == ".py":
        return list(_python_texts(source))
    if path.suffix == ".html":
        return _template_texts(source)
    return [source]


def shipped_files() -> list[Path]:
    """Every file whose text reaches users or reviewers of the method."""
    files: list[Path] = sorted((ROOT / "assessments" / "data").iterdir())
    files.append(ROOT / "docs" / "method-coverage.md")
    files += sorted((ROOT / "templates").rglob("*.html"))
    for package in ("app", "assessments"):
        files += sorted((ROOT / package).rglob("*.py"))
    return [path for path in files if path.is_file()]


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def copies_in(paths: Iterable[Path], seeds: frozenset[tuple[str, ...]]) -> dict[str, list[str]]:
    """Copied phrases found, by file; files without any are left out."""
    found: dict[str, list[str]] = {}
    for path in paths:
        phrases = [phrase for text in texts_of(path) for phrase in copied_runs(text, seeds)]
        if phrases:
            found[_label(path)] = phrases
    return found


# --- Tests ----------------------------------------------------------------------------------


def test_words_ignore_case_punctuation_and_curly_quotes() -> None:
    assert words("They Blamed  the \u2018digital\u2019 teams!") == words(
        "they blamed the 'digital' teams"
    )
    assert list(runs("one two three four five six seven")) == [
        ("one", "two", "three", "four", "five", "six"),
        ("two", "three", "four", "five", "six", "seven"),
    ]


def test_a_six_word_copy_is_caught_and_five_words_are_not() -> None:
    seeds = set(runs("The quick brown fox jumps over the lazy dog."))
    assert copied_runs("Then THE QUICK, brown fox jumps -- over it.", seeds) == [
        "the quick brown fox jumps over"
    ]
    assert copied_runs("So: the quick brown fox jumps over the lazy dog. Or not.", seeds) == [
        "the quick brown fox jumps over the lazy dog"
    ]
    assert copied_runs("the quick brown fox jumps", seeds) == []
    assert copied_runs("the quick brown cat jumps over the lazy dog", seeds) == []


def test_template_code_and_tags_do_not_join_or_hide_words(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<p>The quick brown {{ name }} fox</p><p>jumps over the lazy dog today</p>", "utf-8"
    )
    seeds = frozenset(runs("fox jumps over the lazy dog"))
    assert copies_in([page], seeds) == {}  # "fox" and "jumps" are in different paragraphs
    page.write_text("<p>Our <em>fox jumps over the lazy dog</em> story</p>", "utf-8")
    assert list(copies_in([page], seeds).values()) == [["fox jumps over the lazy dog"]]


def test_a_phrase_planted_in_a_shipped_file_is_reported(tmp_path: Path) -> None:
    seeds = seed_runs()
    planted = " ".join(sorted(seeds)[0])  # any real six-word run from the seeds
    role = tmp_path / "role.yaml"
    role.write_text(yaml.safe_dump({"levels": {1: f"Acts on it: {planted}."}}), "utf-8")
    code = tmp_path / "demo.py"
    code.write_text(f'NOTE = "Said that {planted} in the meeting."\n', "utf-8")
    found = copies_in([role, code], seeds)
    assert len(found) == 2
    assert all(len(phrases) == 1 and planted in phrases[0] for phrases in found.values())


def test_shipped_content_has_no_run_of_six_words_from_the_seeds() -> None:
    files = shipped_files()
    labels = {_label(path) for path in files}
    # The check must cover the role files and the coverage table, or it proves nothing.
    assert {
        "assessments/data/product-director.yaml",
        "assessments/data/product-director-v2.yaml",
        "assessments/data/value-stream-product-manager.yaml",
        "docs/method-coverage.md",
    } <= labels
    found = copies_in(files, seed_runs())
    assert found == {}, "Text copied from the seed articles; rewrite it in our own words:\n" + (
        "\n".join(f"{label}: {'; '.join(phrases)}" for label, phrases in found.items())
    )
