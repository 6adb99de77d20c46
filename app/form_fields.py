"""Form fields every area shares: a GOV.UK date input, a list edited one row at a time, and
the parsing of a typed time of day.

Both are drawn by `field()` in templates/components/forms.html, like every other field.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, time, timedelta
from typing import Any

from wtforms import Field, Form
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from app import localtime

# --- dates ----------------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}


def _digits(text: str) -> bool:
    """Only the digits 0 to 9 ("²".isdigit() is true, and int() refuses it)."""
    return text.isascii() and text.isdigit()


def _month(text: str) -> int | None:
    """A month as typed: 12, 01, Dec or December."""
    if _digits(text):
        return int(text) if len(text) <= 2 and 1 <= int(text) <= 12 else None
    return _MONTHS.get(text.lower().rstrip("."))


def _list(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else " and ".join([", ".join(names[:-1]), names[-1]])


class DateInputField(Field):  # type: ignore[misc]  # WTForms ships no types
    """A date typed into three boxes, day, month and year (GOV.UK "Date input").

    Posted as `<name>-day`, `<name>-month` and `<name>-year`. What was typed comes back on an
    error; the message names what is missing or wrong ("Start date must include a month",
    "Start date must be a real date") and `error_parts` marks the boxes to highlight.
    `required` is the message when nothing is entered; `applies(form)` returning False
    ignores the field entirely (a start date that only a selection needs).
    """

    def __init__(
        self,
        label: str | None = None,
        validators: list[Any] | None = None,
        *,
        subject: str | None = None,
        required: str | None = None,
        applies: Callable[[Form], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.subject = subject or (label or "Date")
        self.required = required
        self.applies = applies
        self.parts: dict[str, str] = dict.fromkeys(DATE_PARTS, "")
        self.problem: str | None = None
        self.error_parts: tuple[str, ...] = ()

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        names = [f"{self.name}-{part}" for part in DATE_PARTS]
        if formdata is not None and any(name in formdata for name in names):
            self.parts = {
                part: str(formdata.get(name) or "").strip()[:20]
                for part, name in zip(DATE_PARTS, names, strict=True)
            }
            self.raw_data = list(self.parts.values())
            self.data = self._parse()
        elif formdata is not None and formdata.get(self.name):
            # One ISO date under the field's own name: links and bookmarks (?since=2026-11-01).
            self.data = self._parse_iso(str(formdata.get(self.name)))
        else:
            self.data = data if isinstance(data, date) else None
            if self.data is not None:
                self.parts = {
                    "day": str(self.data.day),
                    "month": str(self.data.month),
                    "year": str(self.data.year),
                }

    def _parse(self) -> date | None:
        self.problem, self.error_parts = None, ()
        missing = [part for part in DATE_PARTS if not self.parts[part]]
        if len(missing) == len(DATE_PARTS):
            return None
        if missing:
            self.problem = f"{self.subject} must include a {_list(missing)}"
            self.error_parts = tuple(missing)
            return None
        day, month, year = self.parts["day"], _month(self.parts["month"]), self.parts["year"]
        if not _digits(year) or len(year) != 4:
            self.problem = f"{self.subject} must include a year with 4 numbers, like 2026"
            self.error_parts = ("year",)
            return None
        if month is None:
            self.problem = f"{self.subject} must be a real date: the month is 1 to 12"
            self.error_parts = ("month",)
            return None
        if not _digits(day) or not 1 <= int(day) <= calendar.monthrange(int(year), month)[1]:
            self.problem = f"{self.subject} must be a real date"
            self.error_parts = ("day",)
            return None
        if int(year) < 1900:
            self.problem = f"{self.subject} must be a real date"
            self.error_parts = ("year",)
            return None
        return date(int(year), month, int(day))

    def _parse_iso(self, text: str) -> date | None:
        self.raw_data = [text]
        try:
            value = date.fromisoformat(text.strip())
        except ValueError:
            self.problem, self.error_parts = f"{self.subject} must be a real date", DATE_PARTS
            self.parts = {"day": "", "month": "", "year": ""}
            return None
        self.parts = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return value

    @property
    def error_anchor(self) -> str:
        """The box the error summary links to: the first one in error."""
        first = next((p for p in DATE_PARTS if p in self.error_parts), "day")
        return f"{self.id}-{first}"

    def pre_validate(self, form: Form) -> None:
        if self.applies is not None and not self.applies(form):
            self.data, self.error_parts = None, ()
            raise StopValidation()
        if self.problem:
            raise StopValidation(self.problem)
        if self.data is None and self.required:
            self.error_parts = DATE_PARTS
            raise StopValidation(self.required)

    def fail(self, message: str) -> None:
        """Add an error about the whole date (out of range, say) that highlights every box."""
        self.errors: list[str] = [*self.errors, message]
        self.error_parts = DATE_PARTS


# A due date further off than this is almost certainly a typing mistake.
DUE_DATE_RANGE = timedelta(days=366)


def check_due_date(field: DateInputField, what: str, *, kept: date | None = None) -> None:
    """A due date from today to a year ahead; the message says which and why. The date already
    stored (`kept`) passes as it is, so a form that changes something else saves."""
    value = field.data
    if not isinstance(value, date) or value == kept:
        return
    today = localtime.today()
    if value < today:
        field.error_parts = DATE_PARTS
        raise ValidationError(f"{what} must be today or later")
    if value - today > DUE_DATE_RANGE:
        field.error_parts = DATE_PARTS
        raise ValidationError(f"{what} must be within a year of today")


# --- lists edited one row at a time ---------------------------------------------------------

ADD_ROW = "add_row"
REMOVE_ROW = "remove_row"
MAX_ROWS = 40


class ItemListField(Field):  # type: ignore[misc]  # WTForms ships no types
    """A list of texts, one box per item, with "Add another" and "Remove" buttons.

    Without JavaScript each button submits the form, and the page comes back with a row more
    or fewer and nothing saved (`row_action` is set; see `rows_changed`). The data is the list
    of non-blank items; a line break typed inside a box starts a new item, so a pasted list
    becomes rows. `item` names one row ("responsibility"); at least `min_rows` rows are shown
    (empty ones after the items), and `max_rows` is the most there can be.
    """

    def __init__(
        self,
        label: str | None = None,
        validators: list[Any] | None = None,
        *,
        item: str = "item",
        min_rows: int = 1,
        max_rows: int = MAX_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.item = item
        self.min_rows = min_rows
        self.max_rows = max_rows
        self.blank_rows = 0
        self.row_action: str | None = None
        self.added_row: int | None = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.row_action, self.added_row = None, None
        if formdata is not None and (self.name in formdata or formdata.get(ADD_ROW) == self.name):
            posted = [str(v) for v in formdata.getlist(self.name)][: self.max_rows * 2]
            self.raw_data = posted
            removed = formdata.get(REMOVE_ROW, "")
            prefix = f"{self.name}:"
            if removed.startswith(prefix) and _digits(removed[len(prefix) :]):
                index = int(removed[len(prefix) :])
                if index < len(posted):
                    posted = posted[:index] + posted[index + 1 :]
                self.row_action = "remove"
            self.data = split_items(posted)
            self.blank_rows = sum(1 for v in posted if not v.strip())
            if formdata.get(ADD_ROW) == self.name:
                self.row_action = "add"
                self.blank_rows += 1
                self.added_row = len(self.data) + self.blank_rows - 1
        else:
            self.data = [str(item) for item in (data or [])]
            self.blank_rows = 0

    def rows(self) -> list[str]:
        """The rows to draw: every item, then the empty rows asked for ("Add another"), at
        least `min_rows` and never none; within the limit."""
        blanks = max(self.blank_rows, self.min_rows - len(self.data), 0 if self.data else 1)
        return [*self.data, *[""] * blanks][: max(self.max_rows, len(self.data))]

    def can_add(self) -> bool:
        """Whether another row fits."""
        return len(self.rows()) < self.max_rows


_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def split_items(values: Iterable[str]) -> list[str]:
    """Non-blank items from the rows posted, without list bullets; a row with line breaks
    gives several items (a pasted list becomes rows)."""
    return [
        _BULLET.sub("", line).strip()
        for value in values
        for line in str(value).splitlines()
        if line.strip() and _BULLET.sub("", line).strip()
    ]


def _fields(form: Iterable[Field]) -> Iterator[Field]:
    for field in form:
        yield field
        if field.type == "FormField":
            yield from _fields(field.form)
        elif field.type == "FieldList":
            for entry in field.entries:
                yield from _fields([entry])


def rows_changed(form: Iterable[Field]) -> bool:
    """True when the form was sent by an "Add another" or "Remove" button, not to be saved."""
    return any(getattr(field, "row_action", None) for field in _fields(form))


# --- times of day ---------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)


def parse_time_of_day(text: str) -> time | None:
    """A time of day as people type it: 14:30, 9:05, 09.30, 2pm, 2:30 pm, 12am; None if not one."""
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match.group(2) is None:
        return None  # "14" alone could be a day or an hour: ask for 14:00
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
