"""The load benchmark's data set, built through the app's own services and commands.

    python -m tests.benchmarks.load_seed reset|prepare|finish|settle STATE.json [options]

`load.py` runs these steps in a subprocess with the benchmark's environment (DATABASE_URL):
`reset` empties a benchmark database, `flask db upgrade` and `flask demo` follow, `prepare`
adds a role, a value stream and the candidates and writes the ratings file for
`flask ratings import`, `finish` adds the draft interviews the document timings submit, and
`settle` (PostgreSQL) does now what autovacuum does a minute or so later. Each step writes what
the next steps need (ids, paths) to STATE.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, select, text

from app import create_app
from app.auth import services as accounts
from app.candidates import nominations
from app.candidates import streams as value_streams
from app.extensions import db
from app.interviews import kit, panels
from app.models import Assessment, CoachingPlan, Interview, User, ValueStream
from app.roles import lifecycle
from app.roles.lookups import latest_published
from assessments.role_files import load_default_role

ROLE_KEY = "head-of-product"
ROLE_NAME = "Head of Product"
BIG_STREAM = "Platform and integrations"
TOM, MEI = "interviewer1@example.org", "interviewer2@example.org"
# Ten interviewers rate the imported candidates: two from the demo (so an interviewer who signs
# in has a real workload) and eight new accounts the import creates.
RATERS = [TOM, MEI, *(f"interviewer.{k}@example.org" for k in range(3, 11))]
EVIDENCE = (
    "Led the quarterly planning for {n}; traded scope against the release date with the"
    " sponsor and explained the outcome to the team (example {i})."
)


def candidate_email(n: int) -> str:
    """The email of imported candidate n."""
    return f"candidate.{n:04d}@example.org"


def raters_of(n: int) -> tuple[str, str]:
    """The two interviewers of candidate n (Tom rates n % 10 in {0, 9})."""
    return RATERS[n % 10], RATERS[(n + 1) % 10]


# Candidates with special parts, all in the big stream and never rated by Tom or Mei, so Tom
# can be added to their panels with a draft of his own.
KIT_PAGE = 3  # Tom's draft shown on the kit page (left a draft)
SUBMIT = (4, 5)  # Tom's drafts submitted through the web by the document timings
RESULTS = 7  # the candidate whose results and calibration pages are measured
DECIDE = (13, 14)  # decisions recorded through the web by the document timings


def reset() -> None:
    """Drop every table of the (benchmark) database, the migrations' own table included."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    metadata.drop_all(db.engine)


def prepare(state: dict[str, Any], candidates: int, shortlist: int, competencies: int) -> None:
    """A published role of `competencies` competencies, a stream of `shortlist` candidates, the
    other candidates over the demo's streams, and the ratings file for `flask ratings import`."""
    cpo = accounts.user_by_email("cpo@example.org")
    base = load_default_role()
    role = dataclasses.replace(
        base, key=ROLE_KEY, name=ROLE_NAME, competencies=base.competencies[:competencies]
    )
    version = lifecycle.add_version(role, publish=True, actor=cpo)
    demo_streams = list(db.session.scalars(select(ValueStream).order_by(ValueStream.id)))
    big = value_streams.save_stream(
        None,
        name=BIG_STREAM,
        journey="From a partner's first API call to a live integration, and the platform beneath.",
        business_owner="Samira Okoye, Chief Technology Officer",
        functions=["Product management", "Engineering", "Data and analytics"],
        hats={"product": "", "design": "", "engineering": "Lee Park"},
    )
    for n in range(candidates):
        user = accounts.create_user(candidate_email(n), f"Candidate {n:04d}", "exec")
        stream = big if n < shortlist or not demo_streams else demo_streams[n % len(demo_streams)]
        nominations.nominate(user, stream, version, actor=cpo)
        if n % 250 == 249:
            db.session.flush()
    db.session.commit()
    keys = [c.key for c in role.competencies]
    path = Path(state["dir"]) / "ratings.csv"  # the state file's folder
    lines = ["candidate_email,rater_email,source,competency,level,evidence"]
    for n in range(candidates):
        email = candidate_email(n)
        for offset, (rater, source) in enumerate(
            [(email, "self"), *((r, "interview") for r in raters_of(n))]
        ):
            for i, key in enumerate(keys):
                level = (n + i + offset) % 5
                lines.append(f"{email},{rater},{source},{key},{level},{EVIDENCE.format(n=n, i=i)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    state.update(
        role_key=ROLE_KEY,
        version_id=version.id,
        big_stream_id=big.id,
        ratings_file=str(path),
        ratings=len(lines) - 1,
    )


def _assessment_of(n: int) -> Assessment:
    found: Assessment | None = db.session.scalar(
        select(Assessment)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == candidate_email(n))
    )
    assert found is not None, f"candidate {n} has no assessment"
    return found


def _tom_draft(assessment: Assessment, tom: User) -> Interview:
    """Add Tom to the panel with a complete draft: submitting it is one press."""
    panels.assign_panel(
        assessment, [*(i.interviewer_id for i in assessment.interviews), tom.id], tom
    )
    interview = next(i for i in assessment.interviews if i.interviewer_id == tom.id)
    keys = [c.key for c in assessment.role_version.role.competencies]
    kit.save_interview(
        interview,
        {key: (str((i + 2) % 5), f"Draft notes on {key}.") for i, key in enumerate(keys)},
        strengths="Clear about trade-offs; brings the team with them.",
        weaknesses="Little exposure to commercial targets so far.",
        recommendation="yes",
        submit=False,
        actor=tom,
    )
    return interview


def finish(state: dict[str, Any]) -> None:
    """Tom's drafts, and the ids of every page and document the benchmark visits."""
    tom = accounts.user_by_email(TOM)
    assert tom is not None
    drafts = {n: _tom_draft(_assessment_of(n), tom) for n in (KIT_PAGE, *SUBMIT)}
    db.session.commit()
    sarah_plan = db.session.scalar(
        select(CoachingPlan)
        .join(Assessment, CoachingPlan.assessment_id == Assessment.id)
        .join(User, Assessment.candidate_id == User.id)
        .where(User.email == "exec1@example.org", CoachingPlan.status == "issued")
    )
    version = latest_published(ROLE_KEY)
    assert version is not None
    in_big = db.session.scalar(
        select(db.func.count(Assessment.id)).where(
            Assessment.value_stream_id == state["big_stream_id"],
            Assessment.role_version_id == version.id,
        )
    )
    state.update(
        kit_interview_id=drafts[KIT_PAGE].id,
        submit=[
            {"interview_id": drafts[n].id, "assessment_id": drafts[n].assessment_id} for n in SUBMIT
        ],
        results_assessment_id=_assessment_of(RESULTS).id,
        decide=[_assessment_of(n).id for n in DECIDE],
        plan=(
            {"plan_id": sarah_plan.id, "assessment_id": sarah_plan.assessment_id}
            if sarah_plan is not None
            else None
        ),
        big_stream_candidates=in_big,
    )


def settle() -> None:
    """VACUUM (ANALYZE) the whole database, as autovacuum does after its next round.

    The pages are measured within seconds of seeding; autovacuum analyzes and vacuums the new
    rows up to a minute or so later, in the middle of the run, and only then does PostgreSQL plan
    with their statistics and answer counts from the visibility map. Without this, the pages
    measured first were measured on a database production never stays in (docs/decisions.md,
    "Issue 14 — Built pages on PostgreSQL").
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))


def main() -> None:
    """Run one step against DATABASE_URL; read and update the state file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["reset", "prepare", "finish", "settle"])
    parser.add_argument("state", type=Path)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--shortlist", type=int, default=250)
    parser.add_argument("--competencies", type=int, default=7)
    args = parser.parse_args()
    state = json.loads(args.state.read_text()) if args.state.exists() else {}
    state.setdefault("dir", str(args.state.resolve().parent))
    app = create_app()
    with app.app_context():
        if args.step == "reset":
            reset()
        elif args.step == "settle":
            settle()
        elif args.step == "prepare":
            prepare(state, args.candidates, args.shortlist, args.competencies)
        else:
            finish(state)
        db.session.remove()
        db.engine.dispose()
    args.state.write_text(json.dumps(state, indent=2))


if __name__ == "__main__":
    main()
