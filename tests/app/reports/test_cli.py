"""`flask report ...` writes the same documents as the browser, and explains what is wrong."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.fixtures.builders import Scenario
from tests.fixtures.pdf import pdf_pages, pdf_text


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["report", *args])


def test_readiness_report_from_the_command_line(
    app: Flask, scenario: Scenario, tmp_path: Path
) -> None:
    out = tmp_path / "sarah.pdf"
    result = run(app, "readiness", scenario.sarah, "--role", "product-director", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    text = pdf_text(out.read_bytes())
    assert "Sarah Whitfield" in text and "Ready with support" in text


def test_coaching_plan_from_the_command_line(
    app: Flask, scenario: Scenario, tmp_path: Path
) -> None:
    out = tmp_path / "plan.pdf"
    result = run(
        app,
        "coaching-plan",
        scenario.sarah.upper(),
        "--role",
        "product-director",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out.read_bytes())
    assert (
        len(pages) == 6
    )  # goals with owners and evidence, stretch goals, trade-offs with gains (issue 16)
    assert "Coaching plan v1 · Sarah Whitfield" in pages[0]


def test_shortlist_and_interview_guide(app: Flask, scenario: Scenario, tmp_path: Path) -> None:
    shortlist = tmp_path / "shortlist.pdf"
    result = run(
        app,
        "shortlist",
        "--stream",
        "Home buying",
        "--role",
        "product-director",
        "--out",
        str(shortlist),
    )
    assert result.exit_code == 0, result.output
    assert "Sarah Whitfield" in pdf_text(shortlist.read_bytes())
    guide = tmp_path / "guide.pdf"
    result = run(app, "interview-guide", "--role", "product-director", "--out", str(guide))
    assert result.exit_code == 0, result.output
    assert "Owning value and the P&L" in pdf_text(guide.read_bytes())


def test_clear_errors_and_a_non_zero_exit(app: Flask, scenario: Scenario, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    cases = [
        (
            ["readiness", "nobody@example.org", "--role", "product-director", "--out", out],
            "No user with the email nobody@example.org.",
        ),
        (
            ["readiness", scenario.sarah, "--role", "chief-cook", "--out", out],
            "No role with the key 'chief-cook'. Known roles: product-director.",
        ),
        (
            ["readiness", scenario.hr, "--role", "product-director", "--out", out],
            "Hannah Price has no assessment against the role 'product-director'.",
        ),
        (
            ["coaching-plan", scenario.laura, "--role", "product-director", "--out", out],
            "Laura Byrne has no issued coaching plan for 'product-director'. Only a draft exists;"
            " add --draft to write it.",
        ),
        (
            ["shortlist", "--stream", "Pensions", "--role", "product-director", "--out", out],
            "No value stream named 'Pensions'. Known: Home buying, Savings.",
        ),
        (
            [
                "readiness",
                scenario.sarah,
                "--role",
                "product-director",
                "--out",
                str(tmp_path / "missing" / "x.pdf"),
            ],
            "Could not write",
        ),
    ]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in " ".join(result.output.split()), (args, result.output)
    assert not (tmp_path / "x.pdf").exists()


def test_draft_plan_with_the_flag(app: Flask, scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "draft.pdf"
    result = run(
        app,
        "coaching-plan",
        scenario.laura,
        "--role",
        "product-director",
        "--draft",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "DRAFT, NOT ISSUED" in pdf_text(out.read_bytes())
