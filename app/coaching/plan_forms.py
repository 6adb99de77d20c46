"""The coaching plan editor and the issue form."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from app.coaching.forms import (
    LEVEL_CHOICES,
    MAX_CHECKPOINT_DAY,
    MAX_TEXT,
    _add_error,
    _level,
    _whole_number,
)
from app.coaching.plans import MENTOR_KINDS, PLAN_SCHEMA, read_content
from app.form_fields import ItemListField
from app.forms_common import VersionedForm, choices, no_control_characters
from assessments.actions import ACTION_OWNERS, MAX_WEEKS
from assessments.model import round_half_up
from assessments.plans import LOAD_MONTHS_MAX, LOAD_MONTHS_MIN

# --- the plan editor ------------------------------------------------------------------------


ACTION_ROWS = 3


class ActionForm(Form):  # type: ignore[misc]  # WTForms ships no types
    """One development action: what is done, who owns it, the time box, the evidence."""

    do = TextAreaField("What is done", validators=[no_control_characters])
    owner = SelectField(
        "Who makes it happen", choices=choices([("", "Choose"), *ACTION_OWNERS.items()])
    )
    within_weeks = StringField(
        "Time box, in weeks from the start", validators=[Length(max=5)], description="1 to 26."
    )
    evidence = TextAreaField(
        "Evidence a reviewer can check",
        validators=[no_control_characters],
        description="A document, a record or an observed meeting, not an impression.",
    )

    def is_blank(self) -> bool:
        """Nothing typed in the row (a row left free, or one cleared to remove an action)."""
        return not any((f.data or "").strip() for f in (self.do, self.within_weeks, self.evidence))


class GoalForm(Form):  # type: ignore[misc]  # WTForms ships no types
    """One goal's editable parts."""

    key = HiddenField()
    target_level = SelectField("Target level", choices=LEVEL_CHOICES)
    actions = FieldList(FormField(ActionForm), min_entries=ACTION_ROWS, max_entries=ACTION_ROWS)
    progress_evidence = TextAreaField(
        "How progress will be seen", validators=[no_control_characters]
    )


class LoadMonthForm(Form):  # type: ignore[misc]  # WTForms ships no types
    """One month's planned share of time on the former role."""

    planned_share = StringField("Planned share", validators=[Length(max=5)])


class TradeOffForm(Form):  # type: ignore[misc]  # WTForms ships no types
    """One entry of the trade-offs register."""

    area = StringField("Area", validators=[no_control_characters])
    gain = TextAreaField("What the organisation gains", validators=[no_control_characters])
    expected_impact = TextAreaField("What it costs", validators=[no_control_characters])
    risk = TextAreaField("Risk", validators=[no_control_characters])
    mitigation = TextAreaField("Agreed mitigation", validators=[no_control_characters])
    remove = BooleanField("Remove this trade-off")

    def is_blank(self) -> bool:
        """Nothing typed (the empty row for adding one)."""
        return not any(
            (f.data or "").strip()
            for f in (self.area, self.gain, self.expected_impact, self.risk, self.mitigation)
        )


class CheckpointForm(Form):  # type: ignore[misc]  # WTForms ships no types
    """One checkpoint: its day, title and success criteria."""

    day = StringField("Day", validators=[Length(max=5)])
    title = StringField("Title", validators=[no_control_characters])
    success_criteria = ItemListField(
        "Success criteria", validators=[no_control_characters], item="criterion"
    )
    remove = BooleanField("Remove this checkpoint")

    def is_blank(self) -> bool:
        """Nothing typed (the empty row for adding one)."""
        return not self.success_criteria.data and not any(
            (f.data or "").strip() for f in (self.day, self.title)
        )


class PlanForm(VersionedForm):
    """The CPO's editor for a draft coaching plan."""

    goals = FieldList(FormField(GoalForm))
    mentor_kind = RadioField(
        "Who mentors the exec",
        choices=choices(MENTOR_KINDS),
        validators=[InputRequired(message="Select who mentors the exec")],
    )
    coach_name = StringField(
        "Name of the mentor or coach",
        validators=[
            Length(max=120, message="Mentor or coach name must be 120 characters or fewer"),
            no_control_characters,
        ],
        description="Only if someone other than the Chief Product Officer mentors the exec.",
    )
    decider_name = StringField(
        "Who decides at checkpoints",
        validators=[
            DataRequired(message="Enter the name of the person who decides at checkpoints"),
            Length(max=120, message="The decision-maker's name must be 120 characters or fewer"),
            no_control_characters,
        ],
        description="The person who records the decision at each review. A mentor who is not"
        " also the judge hears more of the exec's doubts.",
    )
    decider_role = StringField(
        "Their role",
        validators=[
            DataRequired(message="Enter the role of the person who decides at checkpoints"),
            Length(max=120, message="The decision-maker's role must be 120 characters or fewer"),
            no_control_characters,
        ],
        description="For example: Chief Product Officer.",
    )
    cadence = StringField(
        "Session cadence",
        validators=[
            DataRequired(
                message="Enter how often coaching sessions happen, like Fortnightly, 60 minutes"
            ),
            Length(max=120, message="Cadence must be 120 characters or fewer"),
            no_control_characters,
        ],
        description="For example: Fortnightly, 60 minutes.",
    )
    load = FieldList(
        FormField(LoadMonthForm), min_entries=LOAD_MONTHS_MAX, max_entries=LOAD_MONTHS_MAX
    )
    tradeoffs = FieldList(FormField(TradeOffForm))
    checkpoints = FieldList(FormField(CheckpointForm))

    def __init__(
        self, *args: Any, plan_content: dict[str, Any], cpo_name: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan_content = plan_content
        self.cpo_name = cpo_name
        self.mentor_kind.choices = choices(
            {**MENTOR_KINDS, "cpo": f"The Chief Product Officer ({cpo_name})"}
        )
        self.goal_data = {g["key"]: g for g in plan_content.get("goals", [])}
        self.parsed: dict[str, Any] = {}

    @classmethod
    def from_content(cls, content: dict[str, Any], version: int, cpo_name: str) -> PlanForm:
        """A form filled from a plan, with one empty row to add a trade-off and a checkpoint."""
        content = read_content(content)
        mentor = content.get("mentor", {})
        decider = content["decider"]
        months = {s["month"]: s["planned_share"] for s in content.get("load_schedule", [])}
        data = {
            "version": str(version),
            "goals": [
                {
                    "key": g["key"],
                    "target_level": str(g["target_level"]),
                    "actions": [
                        {
                            "do": a["do"],
                            "owner": a["owner"],
                            "within_weeks": ""
                            if a["within_weeks"] is None
                            else str(a["within_weeks"]),
                            "evidence": a["evidence"],
                        }
                        for a in g["actions"]
                    ],
                    "progress_evidence": g["progress_evidence"],
                }
                for g in content.get("goals", [])
            ],
            "mentor_kind": mentor.get("kind", "cpo"),
            "coach_name": mentor.get("name", "") if mentor.get("kind") != "cpo" else "",
            "cadence": mentor.get("cadence", ""),
            "decider_name": decider.get("name", "") or cpo_name,
            "decider_role": decider.get("role", ""),
            "load": [
                {"planned_share": "" if m not in months else str(months[m])}
                for m in range(1, LOAD_MONTHS_MAX + 1)
            ],
            "tradeoffs": [*content.get("tradeoffs", []), {}],
            "checkpoints": [
                *(
                    {
                        "day": str(c["day"]),
                        "title": c["title"],
                        "success_criteria": list(c["success_criteria"]),
                    }
                    for c in content.get("checkpoints", [])
                ),
                {},
            ],
        }
        return cls(formdata=None, data=data, plan_content=content, cpo_name=cpo_name)

    def subforms(self) -> list[Form]:
        """Every nested form, for the error summary."""
        goals = [
            form
            for entry in self.goals
            for form in (entry.form, *(row.form for row in entry.form.actions))
        ]
        return goals + [
            entry.form for fl in (self.load, self.tradeoffs, self.checkpoints) for entry in fl
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        """Check each part, with messages that name the goal, month, trade-off or checkpoint."""
        ok = super().validate(extra_validators)
        goals = self._parse_goals()
        mentor = self._parse_mentor()
        decider = {
            "name": (self.decider_name.data or "").strip(),
            "role": (self.decider_role.data or "").strip(),
        }
        schedule = self._parse_load()
        tradeoffs = self._parse_tradeoffs()
        checkpoints = self._parse_checkpoints()
        errors = any(f.errors for f in self._every_field())
        if not errors and ok:
            self.parsed = {
                "goals": goals,
                "mentor": mentor,
                "decider": decider,
                "load_schedule": schedule,
                "tradeoffs": tradeoffs,
                "checkpoints": checkpoints,
            }
        return ok and not errors

    def has_errors(self) -> bool:
        """True when any field, nested or not, or the form as a whole has an error."""
        return bool(self.form_errors) or any(f.errors for f in self._every_field())

    def _every_field(self) -> list[Field]:
        fields = [f for f in self if f.type not in ("FieldList",)]
        return fields + [f for sub in self.subforms() for f in sub]

    def content(self) -> dict[str, Any]:
        """The plan content with the edits applied (after validate())."""
        return {**self.plan_content, "schema": PLAN_SCHEMA, **self.parsed}

    def _parse_goals(self) -> list[dict[str, Any]]:
        posted = [entry.form for entry in self.goals]
        if sorted(f.key.data or "" for f in posted) != sorted(self.goal_data):
            self.form_errors.append(
                "The goals changed since the page was opened: reload the page and try again"
            )
            return []
        result = []
        for sub in posted:
            goal = dict(self.goal_data[sub.key.data])
            name = goal["name"]
            target = _whole_number(sub.target_level.data)
            if target is None or not 1 <= target <= 4:
                _add_error(sub.target_level, f"Choose a target level from 1 to 4 for {name}")
            elif target <= goal["baseline"]:
                _add_error(
                    sub.target_level,
                    f"The target for {name} must be above its baseline of"
                    f" {_level(goal['baseline'])}",
                )
            else:
                goal["target_level"] = target
                goal["gap"] = round_half_up(target - float(goal["baseline"]), 2)
            actions = self._parse_actions(sub, name)
            goal["actions"] = actions
            evidence = (sub.progress_evidence.data or "").strip()
            if not evidence:
                _add_error(sub.progress_evidence, f"Enter how progress on {name} will be seen")
            elif len(evidence) > MAX_TEXT:
                _add_error(
                    sub.progress_evidence,
                    f"How progress on {name} will be seen must be 4,000 characters or fewer",
                )
            goal["progress_evidence"] = evidence
            result.append(goal)
        return result

    def _parse_actions(self, sub: Form, name: str) -> list[dict[str, Any]]:
        rows = [entry.form for entry in sub.actions]
        result = []
        for number, row in enumerate(rows, start=1):
            if row.is_blank():
                continue
            what = f"action {number} for {name}"
            text = (row.do.data or "").strip()
            if not text:
                _add_error(row.do, f"Enter what is done in {what}")
            elif len(text) > 500:
                _add_error(row.do, f"What is done in {what} must be 500 characters or fewer")
            if row.owner.data not in ACTION_OWNERS:
                _add_error(row.owner, f"Choose who makes {what} happen")
            weeks = _whole_number(row.within_weeks.data)
            if weeks is None or not 1 <= weeks <= MAX_WEEKS:
                _add_error(
                    row.within_weeks,
                    f"Enter the time box of {what} as a whole number of weeks from 1 to"
                    f" {MAX_WEEKS}",
                )
            evidence = (row.evidence.data or "").strip()
            if not evidence:
                _add_error(row.evidence, f"Enter the evidence a reviewer can check for {what}")
            elif len(evidence) > 500:
                _add_error(row.evidence, f"The evidence for {what} must be 500 characters or fewer")
            result.append(
                {"do": text, "owner": row.owner.data, "within_weeks": weeks, "evidence": evidence}
            )
        if len(result) < 2:
            _add_error(
                rows[0].do,
                f"Enter 2 or 3 development actions for {name}"
                f" (there {'is' if len(result) == 1 else 'are'} {len(result)})",
            )
        return result

    def _parse_mentor(self) -> dict[str, str]:
        kind = self.mentor_kind.data or "cpo"
        coach = (self.coach_name.data or "").strip()
        if kind != "cpo" and not coach:
            _add_error(self.coach_name, "Enter the name of the mentor or coach")
        name = coach if kind != "cpo" else self.cpo_name
        return {"kind": kind, "name": name, "cadence": (self.cadence.data or "").strip()}

    def _parse_load(self) -> list[dict[str, int]]:
        subs = [entry.form for entry in self.load]
        values: list[int | None] = []
        for month, sub in enumerate(subs, start=1):
            raw = (sub.planned_share.data or "").strip()
            if not raw:
                values.append(None)
                continue
            share = _whole_number(raw)
            if share is None or share > 100:
                _add_error(
                    sub.planned_share,
                    f"Enter month {month}'s share as a whole number from 0 to 100",
                )
                values.append(-1)
            else:
                values.append(share)
        filled = [i for i, v in enumerate(values) if v is not None]
        if not filled:
            _add_error(
                subs[0].planned_share,
                f"Plan the load reduction for {LOAD_MONTHS_MIN} to {LOAD_MONTHS_MAX} months",
            )
            return []
        count = filled[-1] + 1
        gaps = [i for i in range(count) if values[i] is None]
        if gaps:
            month = gaps[0] + 1
            _add_error(
                subs[gaps[0]].planned_share,
                f"Fill in the months in order: month {month} is empty but a later month is not",
            )
            return []
        if count < LOAD_MONTHS_MIN:
            _add_error(
                subs[count - 1].planned_share,
                f"Plan the load reduction for {LOAD_MONTHS_MIN} to {LOAD_MONTHS_MAX} months"
                f" (there are {count})",
            )
        shares = [v for v in values[:count] if v is not None]
        for i in range(1, count):
            before, now = shares[i - 1], shares[i]
            if before >= 0 and now > before:
                _add_error(
                    subs[i].planned_share,
                    f"Month {i + 1}'s share ({now}%) cannot be more than month {i}'s ({before}%):"
                    " time on the former role should go down, not up",
                )
        return [{"month": i + 1, "planned_share": shares[i]} for i in range(count)]

    def _parse_tradeoffs(self) -> list[dict[str, str]]:
        result = []
        for number, entry in enumerate(self.tradeoffs, start=1):
            sub = entry.form
            if sub.remove.data or sub.is_blank():
                continue
            area = (sub.area.data or "").strip()
            name = f"trade-off {number}" + (f" (“{area}”)" if area else "")
            for field, what, label in (
                (sub.area, "the area", "The area"),
                (sub.gain, "what the organisation gains", "What the organisation gains"),
                (sub.expected_impact, "what it costs", "What it costs"),
                (sub.risk, "the risk", "The risk"),
                (sub.mitigation, "the agreed mitigation", "The agreed mitigation"),
            ):
                text = (field.data or "").strip()
                if not text:
                    _add_error(field, f"Enter {what} for {name}")
                elif len(text) > MAX_TEXT:
                    _add_error(field, f"{label} for {name} must be 4,000 characters or fewer")
            result.append(
                {
                    "area": area,
                    "gain": (sub.gain.data or "").strip(),
                    "expected_impact": (sub.expected_impact.data or "").strip(),
                    "risk": (sub.risk.data or "").strip(),
                    "mitigation": (sub.mitigation.data or "").strip(),
                }
            )
        if not result:
            self.form_errors.append(
                "Keep at least one trade-off: say what the organisation accepts while the exec"
                " learns"
            )
        return result

    def _parse_checkpoints(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        seen: dict[int, int] = {}
        for number, entry in enumerate(self.checkpoints, start=1):
            sub = entry.form
            if sub.remove.data or sub.is_blank():
                continue
            day = _whole_number(sub.day.data)
            if day is None or not 1 <= day <= MAX_CHECKPOINT_DAY:
                _add_error(
                    sub.day,
                    f"Enter checkpoint {number}'s day as a whole number from 1 to"
                    f" {MAX_CHECKPOINT_DAY}",
                )
                continue
            if day in seen:
                _add_error(
                    sub.day,
                    f"Day {day} is already checkpoint {seen[day]}: each day can be used once",
                )
                continue
            seen[day] = number
            criteria = list(sub.success_criteria.data or [])
            if not criteria:
                _add_error(
                    sub.success_criteria,
                    f"Enter at least one success criterion for the day {day} checkpoint",
                )
            title = (sub.title.data or "").strip() or f"Day {day}: progress review"
            if len(title) > 200:
                _add_error(
                    sub.title,
                    f"The title of the day {day} checkpoint must be 200 characters or fewer",
                )
            result.append({"day": day, "title": title, "success_criteria": criteria})
        if not result and not any(f.errors for e in self.checkpoints for f in e.form):
            self.form_errors.append(
                "Keep at least one checkpoint, with its day and success criteria"
            )
        return sorted(result, key=lambda c: c["day"])


class VersionForm(VersionedForm):
    """A POST-only action (issue, revise) carrying the version the page showed."""
