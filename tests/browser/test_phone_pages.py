"""Every page each role of the demo can reach, on a 390 px phone in real Chromium: each link
offered opens (no 403 behind a link), and no page scrolls sideways."""

from __future__ import annotations

import copy
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.models import (
    Assessment,
    CoachingPlan,
    Interview,
    ProgressReview,
    RoleVersion,
    User,
    ValueStream,
)
from app.roles import lifecycle, lookups
from tests.browser.live import LiveServer

PHONE = {"width": 390, "height": 844}
# Files, not pages: documents open in a viewer, not at a phone's width.
FILES = (".pdf", ".json", ".yaml", ".zip", ".ico", "/download")
# Enough of each kind of page (the same endpoint with other ids) to see its states.
PER_ENDPOINT = 3

# The pages each role must have reached, so the crawl cannot quietly shrink.
MUST_REACH: dict[str, set[str]] = {
    "cpo@example.org": {
        "main.home",
        "candidates.list_assessments",
        "candidates.show_assessment",
        "selection.show_results",
        "selection.shortlist",
        "selection.record_decision",
        "interviews.calibrate",
        "interviews.assign_panel",
        "coaching.show_plan_version",
        "coaching.show_review",
        "coaching.record_review",
        "coaching.progress_overview",
        "induction.show_checklist",
        "roles.list_roles",
        "roles.show_version",
        "roles.edit_role_fields",
        "roles.edit_competency",
        "roles.compare_versions",
        "reports.download_centre",
        "candidates.show_stream",
    },
    "interviewer1@example.org": {
        "interviews.my_interviews",
        "interviews.conduct_interview",
        "interviews.check_interview",
    },
    "exec3@example.org": {
        "candidates.self_intro",
        "candidates.self_page",
        "candidates.self_check",
        "candidates.edit_profile",
    },
    "exec1@example.org": {
        "candidates.show_assessment",
        "coaching.show_plan_version",
        "induction.show_checklist",
    },
    "exec4@example.org": {"candidates.self_intro", "candidates.edit_profile"},
    "hr@example.org": {"induction.show_checklist", "induction.list_templates"},
    "admin@example.org": {
        "admin.list_users",
        "admin.show_user",
        "admin.audit_log",
        "admin.list_tasks",
        "admin.new_user",
    },
}

# What sticks out furthest past the viewport, leaving out what a scrolling box clips (an
# absolutely placed element escapes a scrolling box that is not its containing block).
WIDEST_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const clipped = (el) => {
    let position = getComputedStyle(el).position;
    if (position === 'fixed') return true;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map((c) => '.' + c).join('');
  return [...document.body.querySelectorAll('*')]
    .map((el) => {
      const r = el.getBoundingClientRect();
      // Text too long for its box (an email address) overflows it without widening the box.
      return [el, r, Math.max(r.right, r.left + el.scrollWidth)];
    })
    .filter(([el, r, right]) => right > vw + 0.5 && r.width > 0 && !clipped(el))
    .sort((a, b) => b[2] - a[2] || a[1].width - b[1].width)
    .slice(0, 3)
    .map(([el, r, right]) => `${name(el)} ${Math.round(r.width)}px wide, reaching ` +
      `${Math.round(right)}px: "${el.innerText.slice(0, 60).replace(/\\s+/g, ' ')}"`);
}"""


def _seeds(server: LiveServer) -> list[str]:
    """Pages with ids from the demo data, whether or not a link leads there."""
    with server.app.app_context():
        pages: list[str] = []
        for aid in db.session.scalars(select(Assessment.id)):
            base = f"/assessments/{aid}"
            pages += [base, f"{base}/results", f"{base}/calibration", f"{base}/panel"]
            pages += [f"{base}/decision", f"{base}/induction", f"{base}/plan", f"{base}/self"]
            pages += [f"{base}/self/check", f"{base}/reviews/new"]
        for plan in db.session.scalars(select(CoachingPlan)):
            pages.append(f"/assessments/{plan.assessment_id}/plan/v{plan.number}")
        for review in db.session.scalars(select(ProgressReview)):
            pages.append(f"/assessments/{review.plan.assessment_id}/reviews/{review.id}")
        for interview in db.session.scalars(select(Interview)):
            pages += [f"/interviews/{interview.id}", f"/interviews/{interview.id}/check"]
        for stream in db.session.scalars(select(ValueStream)):
            pages += [f"/streams/{stream.id}", f"/value-streams/{stream.id}/shortlist"]
        for version in db.session.scalars(select(RoleVersion)):
            pages.append(f"/roles/{version.definition.key}/v{version.number}")
        for user in db.session.scalars(select(User)):
            pages += [f"/admin/users/{user.id}", f"/people/{user.id}/profile"]
        return [*pages, "/progress", "/reports", "/admin/audit", "/admin/tasks"]


def _draft_with_changes(server: LiveServer) -> str:
    """A draft of the demo role that changes a list, a weight and a level text, so the role
    editor and the comparison of versions have something to show."""
    with server.app.app_context():
        draft, _ = lifecycle.start_draft(
            lookups.version_by_number("product-director", 1), actor=None
        )
        content = copy.deepcopy(draft.content)
        content["functions"] = [*content["functions"][:-1], "Finance and commercial planning"]
        content["competencies"][0]["weight"] = 4
        content["competencies"][0]["levels"]["2"] = "Reads the P&L every month with the CFO."
        draft.content = content
        db.session.commit()
        return f"/roles/{draft.definition.key}/v{draft.number}"


def _endpoint(server: LiveServer, url: str) -> str | None:
    """The endpoint a same-site page link goes to, or None for files and other sites."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != server.url or parts.path.endswith(FILES):
        return None
    if parts.path.startswith(("/static/", "/login", "/account/set-password")):
        return None
    try:
        endpoint, _args = server.app.url_map.bind("localhost").match(parts.path, "GET")
    except HTTPException:
        return None
    return str(endpoint)


def _links(page: Page) -> list[str]:
    """Every link on the page, absolute and without its fragment."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    return [urldefrag(h)[0] for h in hrefs]


def _kind(server: LiveServer, url: str) -> tuple[str, tuple[str, ...]] | None:
    endpoint = _endpoint(server, url)
    if endpoint is None:
        return None
    query = urlsplit(url).query
    return endpoint, tuple(sorted(p.split("=")[0] for p in query.split("&") if p))


@pytest.mark.parametrize("email", list(MUST_REACH))
def test_no_page_scrolls_sideways_on_a_phone(
    page: Page, live_server: LiveServer, email: str
) -> None:
    page.set_viewport_size(PHONE)
    page.set_default_timeout(20_000)
    # The draft's page goes first: the demo has several published role versions, and the crawl
    # visits only a few pages of each kind.
    draft = [_draft_with_changes(live_server)] if email == "cpo@example.org" else []
    live_server.sign_in(page, email)
    home = f"{live_server.url}/"
    queue: deque[tuple[str, str | None]] = deque([(home, None)])
    queue.extend((live_server.url + path, None) for path in draft)
    queue.extend((live_server.url + path, None) for path in _seeds(live_server))
    seen: set[str] = set()
    per_kind: Counter[tuple[str, tuple[str, ...]]] = Counter()
    reached: set[str] = set()
    refused: list[str] = []
    too_wide: list[str] = []
    while queue:
        url, linked_from = queue.popleft()
        kind = _kind(live_server, url)
        if url in seen or kind is None or per_kind[kind] >= PER_ENDPOINT:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None
        # Refusals and other errors are pages too, and must fit.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            widest = page.evaluate(WIDEST_JS)
            too_wide.append(f"{page.url} is {width}px wide; sticking out furthest: {widest}")
        if response.status != 200:
            # A page the role may not open is fine to try by id, never behind a link.
            if linked_from is not None:
                refused.append(f"{url} ({response.status}), linked from {linked_from}")
            continue
        per_kind[kind] += 1
        reached.add(kind[0])
        queue.extend((link, page.url) for link in _links(page) if link not in seen)
    assert refused == [], "\n".join(refused)
    assert too_wide == [], "\n".join(too_wide)
    missing = MUST_REACH[email] - reached
    assert not missing, f"{email} never reached {sorted(missing)}"


def _ax_roles(page: Page) -> list[tuple[str, str]]:
    """(role, name) of every node in Chromium's own accessibility tree for the page."""
    session = page.context.new_cdp_session(page)
    session.send("Accessibility.enable")
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    return [
        (
            str(n.get("role", {}).get("value", "")),
            # Visually hidden captions are padded with no-break spaces for screen readers.
            str(n.get("name", {}).get("value", "")).strip(),
        )
        for n in nodes
        if not n.get("ignored")
    ]


def test_results_on_a_phone_stack_their_tables_and_keep_the_chart_legible(
    page: Page, live_server: LiveServer
) -> None:
    page.set_viewport_size(PHONE)
    live_server.sign_in(page, "cpo@example.org")
    with live_server.app.app_context():
        sarah = db.session.scalar(
            select(Assessment.id).where(Assessment.candidate.has(User.email == "exec1@example.org"))
        )
    page.goto(f"{live_server.url}/assessments/{sarah}/results")
    # Each row is a block: its cells shown under one another, each with its column heading.
    table = page.locator("table.sl-stack").first
    cells = table.locator("tbody tr").first.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(b is not None for b in boxes)
    assert [b["y"] for b in boxes] == sorted({b["y"] for b in boxes}), boxes  # type: ignore[index]
    label = cells.first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.startswith('"Required"'), label
    # Still a table to a screen reader: Chromium's own tree keeps its rows, cells and headings.
    roles = _ax_roles(page)
    assert ("table", "Must-have competencies") in roles, roles[:40]
    assert ("rowheader", "Owning value and the P&L") in roles
    assert ("columnheader", "Required") in roles
    # Every cell of the desktop's tables is still there on the phone.
    page.set_viewport_size({"width": 1280, "height": 900})
    wide = _ax_roles(page)
    assert any(role == "cell" for role, _name in roles)
    assert [r for r in roles if r[0] in ("cell", "rowheader", "columnheader")] == [
        r for r in wide if r[0] in ("cell", "rowheader", "columnheader")
    ]
    page.set_viewport_size(PHONE)
    # The chart fills the width and no label is drawn smaller than 12 px.
    chart = page.locator(".sl-chart svg:visible")
    expect(chart).to_have_count(1)
    sizes = chart.evaluate(
        """svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [svg.getBoundingClientRect().width,
                    ...[...svg.querySelectorAll('text')].map(
                        t => parseFloat(t.getAttribute('font-size')) * scale)];
        }"""
    )
    width, smallest = sizes[0], min(sizes[1:])
    main = page.locator("#main-content").bounding_box()
    assert main is not None and width >= main["width"] - 1, (width, main)
    assert smallest >= 12, smallest
