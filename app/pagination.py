"""Paging for list pages that grow with the organisation (candidates, accounts, the audit log).

A page number out of range is clamped (below 1 to the first page, beyond the end to the
last), so an old bookmark or a hand-typed URL shows rows rather than an error or an empty
table. Render the links with `pagination()` from templates/components/pagination.html.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.params import parse_id

PER_PAGE = 50


@dataclass(frozen=True)
class Paging:
    """Which page of how many, out of how many rows in all."""

    page: int
    pages: int
    total: int
    per_page: int = PER_PAGE

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.per_page


def paging(total: int, requested: int | None, per_page: int = PER_PAGE) -> Paging:
    """The page to show for `requested` (None, out of range or negative: clamped)."""
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(requested or 1, 1), pages)
    return Paging(page, pages, total, per_page)


def requested_page(args: Mapping[str, str]) -> int | None:
    """The `page` query argument as a number (None when missing or not a whole number).

    Absurdly long numbers count as "far beyond the end" rather than being parsed."""
    raw = (args.get("page") or "").strip()
    if raw.isascii() and raw.isdigit() and parse_id(raw) is None:
        return 10**9
    return parse_id(raw)


def kept_args(args: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The filters to carry into page links: the named query arguments that are not empty."""
    return {name: args[name] for name in names if args.get(name)}


@dataclass(frozen=True)
class StatusPage:
    """A list filtered by one status: the status asked for ("" for any) and the page to show."""

    status: str
    paging: Paging


def status_page(
    args: Mapping[str, str], statuses: Mapping[str, str], counts: Mapping[str, int]
) -> StatusPage:
    """The `status` filter (an unknown one reads as "any") and the page of its rows, from the
    rows' counts by status."""
    status = args.get("status", "")
    if status not in statuses:
        status = ""
    total = counts.get(status, 0) if status else sum(counts.values())
    return StatusPage(status, paging(total, requested_page(args)))
