"""`flask framework import/export`: the round trip, and bad input that writes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from flask import Flask

from app.extensions import db
from app.roles import lifecycle
from assessments.role_files import load_default_role, role_to_data
from tests.app.roles.helpers import KEY, counts, stored
from tests.fixtures.builders import publish_role

SHIPPED = Path(__file__).resolve().parents[3] / "assessments" / "data" / "product-director.yaml"


def run(app: Flask, *args: str) -> Result:
    """Run `flask framework ...` as a person would."""
    return app.test_cli_runner().invoke(args=["framework", *args])


def write_role(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A role file: the shipped role with one change made to its data."""
    data = copy.deepcopy(role_to_data(load_default_role()))
    change(data)
    path = tmp_path / "role.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def test_round_trip_export_import_export_gives_the_same_file(app: Flask, tmp_path: Path) -> None:
    result = run(app, "import", str(SHIPPED), "--publish")
    assert result.exit_code == 0, result.output
    assert result.output == "Imported product-director v1 (published)\n"

    first = tmp_path / "first.yaml"
    result = run(app, "export", KEY, "--out", str(first))
    assert result.exit_code == 0, result.output
    assert result.output == f"Exported product-director v1 (published) to {first}\n"
    assert first.read_text("utf-8") == SHIPPED.read_text("utf-8")

    result = run(app, "import", str(first))
    assert result.output == "Imported product-director v2 (draft)\n"
    second = tmp_path / "second.yaml"
    result = run(app, "export", KEY, "--version", "2", "--out", str(second))
    assert result.exit_code == 0, result.output
    assert second.read_bytes() == first.read_bytes()
    assert stored(app, 2)["content"] == stored(app, 1)["content"]


def test_import_creates_the_next_draft_of_an_existing_role(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    path = write_role(tmp_path, lambda d: d.update(purpose="A new purpose."))
    result = run(app, "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == "Imported product-director v2 (draft)\n"
    assert stored(app, 2)["content"]["purpose"] == "A new purpose."
    assert stored(app, 1)["status"] == "published"


def test_import_refuses_a_second_draft_unless_told_to_replace(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    run(app, "import", str(write_role(tmp_path, lambda d: d.update(purpose="First."))))
    before = counts(app)
    path = write_role(tmp_path, lambda d: d.update(purpose="Second."))
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert "product-director already has a draft (v2); nothing was imported." in result.output
    assert "--replace-draft" in result.output
    assert counts(app) == before
    result = run(app, "import", str(path), "--replace-draft")
    assert result.output == "Replaced draft with product-director v2 (draft)\n"
    assert stored(app, 2)["content"]["purpose"] == "Second."


def _delete_level_4(data: dict[str, Any]) -> None:
    del data["competencies"][2]["levels"][4]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(lambda d: d.pop("purpose"), ["purpose: is required"], id="missing-field"),
        pytest.param(
            lambda d: d["competencies"][0].update(lens="money"),
            ["competencies[0].lens: must be one of value, workflow, quality, leadership"],
            id="unknown-lens",
        ),
        pytest.param(
            lambda d: d["competencies"][3].update(required_level=5),
            ["competencies[3].required_level: must be between 1 and 4"],
            id="level-above-4",
        ),
        pytest.param(
            lambda d: d["competencies"][3].update(required_level=0),
            ["competencies[3].required_level: must be between 1 and 4"],
            id="level-below-1",
        ),
        pytest.param(
            lambda d: d["competencies"][1].update(weight=0),
            ["competencies[1].weight: must be greater than 0"],
            id="weight-zero",
        ),
        pytest.param(
            lambda d: d["competencies"][1].update(weight=-2),
            ["competencies[1].weight: must be greater than 0"],
            id="weight-negative",
        ),
        pytest.param(
            lambda d: d["competencies"][4].update(key="customer-evidence"),
            ['competencies[4].key: duplicate key "customer-evidence" (also competencies[3])'],
            id="duplicate-key",
        ),
        pytest.param(
            _delete_level_4, ["competencies[2].levels: level 4 is missing"], id="level-missing"
        ),
        pytest.param(
            lambda d: (
                d.pop("name"),
                d["competencies"][0].update(lens="money", weight=0),
                d["competencies"][5].update(required_level=7),
            ),
            [
                "name: is required",
                "competencies[0].lens: must be one of value, workflow, quality, leadership",
                "competencies[0].weight: must be greater than 0",
                "competencies[5].required_level: must be between 1 and 4",
            ],
            id="every-error-listed",
        ),
    ],
)
def test_bad_input_lists_every_problem_and_writes_nothing(
    app: Flask,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    expected: list[str],
) -> None:
    publish_role(app)
    before = counts(app)
    path = write_role(tmp_path, change)
    result = run(app, "import", str(path), "--publish")
    assert result.exit_code == 1
    count = "1 problem" if len(expected) == 1 else f"{len(expected)} problems"
    assert result.output == (
        f"Error: {path} has {count}; nothing was imported:\n"
        + "".join(f"  {line}\n" for line in expected)
    )
    assert counts(app) == before


def test_yaml_syntax_error_names_the_line(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("key: product-director\nname: [unclosed\npurpose: x\n", "utf-8")
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path} has 1 problem; nothing was imported:\n")
    assert "  line 3, column " in result.output
    assert counts(app) == (0, 0, 0)


def test_file_that_is_not_utf8(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Directeur produit \u00e9t\u00e9\n".encode("latin-1"))
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: is not UTF-8 text (byte 25 cannot be read); "
        "save it as UTF-8 and try again\n"
    )
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "message"), [("missing.yaml", "no such file"), ("", "is a folder, not a file")]
)
def test_file_that_cannot_be_read(app: Flask, tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name if name else tmp_path
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {message}\n"


def test_empty_file(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", "utf-8")
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert "  the file is empty\n" in result.output


def test_export_unknown_role_or_version(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    out = tmp_path / "out.yaml"
    result = run(app, "export", "head-of-data", "--out", str(out))
    assert result.exit_code == 1
    assert result.output == "Error: No role with the key head-of-data (roles: product-director)\n"
    result = run(app, "export", KEY, "--version", "4", "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (
        "Error: product-director has no version 4 (versions: v1 (published))\n"
    )
    assert not out.exists()


def test_export_says_clearly_when_nothing_is_published(app: Flask, tmp_path: Path) -> None:
    result = run(app, "import", str(SHIPPED))
    assert result.output == "Imported product-director v1 (draft)\n"
    out = tmp_path / "out.yaml"
    result = run(app, "export", KEY, "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (
        "Error: product-director has no published version; name one with --version (v1 (draft))\n"
    )
    assert not out.exists()
    result = run(app, "export", KEY, "--version", "1", "--out", str(out))
    assert result.exit_code == 0
    assert out.read_text("utf-8") == SHIPPED.read_text("utf-8")


def test_export_refuses_an_incomplete_draft(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        lifecycle.create_role("head-of-data", "Head of Data", actor=None)
        db.session.commit()
    out = tmp_path / "out.yaml"
    result = run(app, "export", "head-of-data", "--version", "1", "--out", str(out))
    assert result.exit_code == 1
    assert "head-of-data v1 is an incomplete draft and cannot be exported:" in result.output
    assert "  competencies: must have at least one item\n" in result.output
    assert not out.exists()


def test_export_to_a_folder_that_does_not_exist(app: Flask, tmp_path: Path) -> None:
    publish_role(app)
    out = tmp_path / "missing" / "out.yaml"
    result = run(app, "export", KEY, "--out", str(out))
    assert result.exit_code == 1
    assert "cannot be written" in result.output
    assert not out.exists()


# --- Hostile files ---------------------------------------------------------------------------


def test_alias_bomb_is_refused_in_one_line_and_writes_nothing(app: Flask, tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(8):
        lines.append(f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines), "utf-8")
    before = counts(app)
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path} has 1 problem; nothing was imported:\n"
        "  line 1, column 4: anchors (&a) are not allowed: write the value out in full\n"
    )
    assert counts(app) == before


def test_deep_nesting_is_refused_not_a_crash(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 20_000 + "]" * 20_000, "utf-8")
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert "line 1, column 21: lists and mappings are nested more than 20 levels deep" in (
        result.output
    )
    assert counts(app) == (0, 0, 0)


def test_oversized_file_is_refused_unread(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (3 * 1024 * 1024))
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: is larger than 1,048,576 bytes (1 MiB); nothing was imported\n"
    )
    assert counts(app) == (0, 0, 0)
