"""Administrators invite people, change roles, reset passwords and deactivate accounts."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from app.models import AuditEvent, User
from tests.fixtures.client import Browser, parse, sign_in


def test_invite_shows_a_single_use_link_that_works(app: Flask, browser_as) -> None:
    admin = browser_as("admin")
    response = admin.post(
        "/admin/users/new",
        {"name": "Nia Jones", "email": "Nia.Jones@Example.org", "role": "interviewer"},
        status=200,
    )
    page = parse(response)
    link = page.find("input", id="account-link")["value"]
    assert "/account/set-password/" in link
    newcomer = Browser(app.test_client())
    assert link.startswith(app.config["BASE_URL"] + "/")  # built from BASE_URL, not the request
    path = link.removeprefix(app.config["BASE_URL"])
    newcomer.post(
        path,
        {"new_password": "a long enough password", "confirm_password": "a long enough password"},
    )
    assert (
        sign_in(newcomer.client, "nia.jones@example.org", "a long enough password").status_code
        == 302
    )
    assert "Panel interviewer" in newcomer.get("/").get_text()


def test_invite_with_a_taken_email_keeps_the_input(browser_as, make_user) -> None:
    existing = make_user("exec")
    admin = browser_as("admin")
    page = parse(
        admin.post(
            "/admin/users/new", {"name": "Dup", "email": existing.email, "role": "hr"}, status=200
        )
    )
    assert (
        f"A user with the email {existing.email} already exists"
        in page.select_one(".govuk-error-summary").get_text()
    )
    assert page.find("input", attrs={"name": "name"})["value"] == "Dup"
    assert page.find("input", attrs={"name": "role", "value": "hr"}).has_attr("checked")


def test_invite_validates_every_field(browser_as) -> None:
    admin = browser_as("admin")
    page = parse(
        admin.post("/admin/users/new", {"email": "not-an-email", "role": "boss"}, status=200)
    )
    messages = [a.get_text() for a in page.select(".govuk-error-summary a")]
    assert "Enter the person's full name" in messages
    assert "Enter an email address in the correct format, like name@example.org" in messages
    assert "Not a valid choice." in messages
    assert page.title.get_text().startswith("Error:")


def test_change_role_is_audited_and_applies(app: Flask, browser_as, make_user) -> None:
    person = make_user("interviewer")
    admin = browser_as("admin")
    admin.post(f"/admin/users/{person.id}/role", {"role": "cpo"})
    with app.app_context():
        assert db.session.get(User, person.id).role == "cpo"
        event = db.session.query(AuditEvent).filter_by(action="user.role_change").one()
        assert (event.old_value, event.new_value) == ({"role": "interviewer"}, {"role": "cpo"})


def test_deactivation_ends_sessions_and_blocks_sign_in(app: Flask, browser_as, make_user) -> None:
    person = browser_as("hr")
    admin = browser_as("admin")
    admin.post(f"/admin/users/{person.user.id}/active")
    assert person.client.get("/").status_code == 302
    assert sign_in(Browser(app.test_client()).client, person.user.email).status_code == 200
    page = admin.get(f"/admin/users/{person.user.id}")
    assert "Deactivated" in page.get_text()


def test_admin_cannot_deactivate_or_demote_themselves(browser_as) -> None:
    admin = browser_as("admin")
    admin.post(f"/admin/users/{admin.user.id}/active")
    assert admin.client.get("/").status_code == 200
    response = admin.post(f"/admin/users/{admin.user.id}/role", {"role": "hr"}, status=400)
    assert "You cannot remove your own administrator role" in response.get_data(as_text=True)


def test_user_list_filters_by_role_and_status(browser_as, make_user) -> None:
    make_user("exec", name="Evelyn Exec")
    make_user("hr", name="Harriet HR", password=None)
    admin = browser_as("admin")
    names = [a.get_text() for a in admin.get("/admin/users?role=exec").select("tbody a")]
    assert names == ["Evelyn Exec"]
    invited = [a.get_text() for a in admin.get("/admin/users?status=invited").select("tbody a")]
    assert invited == ["Harriet HR"]
    assert admin.get("/admin/users?role=<script>").select("tbody a")  # unknown filter ignored


def test_names_are_escaped(browser_as, make_user) -> None:
    make_user("exec", name="<script>alert(1)</script>")
    page = browser_as("admin").client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _add_people(app: Flask, count: int, role: str = "exec") -> None:
    with app.app_context():
        for n in range(count):
            db.session.add(
                User(email=f"person{n:03d}@example.org", name=f"Person {n:03d}", role=role)
            )
        db.session.commit()


def test_accounts_are_listed_fifty_a_page_and_keep_the_filters(app: Flask, browser_as) -> None:
    _add_people(app, 70)
    admin = browser_as("admin", name="Zoe Admin")
    first = admin.get("/admin/users")
    assert first.select_one("caption").get_text() == "71 accounts, page 1 of 2"
    rows = first.select("tbody tr")
    assert len(rows) == 50 and rows[0].a.get_text() == "Person 000"
    second = admin.get("/admin/users?page=2")
    assert [r.a.get_text() for r in second.select("tbody tr")][-2:] == ["Person 069", "Zoe Admin"]
    # Beyond the last page: the last page, not an empty table.
    assert admin.get("/admin/users?page=40").select_one("caption").get_text() == (
        "71 accounts, page 2 of 2"
    )
    invited = admin.get("/admin/users?role=exec&status=invited")
    assert invited.select_one("caption").get_text() == "70 accounts, page 1 of 2"
    assert invited.select_one(".govuk-pagination a[rel=next]")["href"] == (
        "/admin/users?page=2&role=exec&status=invited"
    )
    assert [a.get_text() for a in invited.select(".govuk-pagination__item a")] == ["1", "2"]


def test_account_list_queries_do_not_grow_with_accounts(app: Flask, browser_as) -> None:
    from tests.fixtures.queries import queries_for

    admin = browser_as("admin")
    few = queries_for(app, admin.client, "/admin/users")
    _add_people(app, 45)
    many = queries_for(app, admin.client, "/admin/users")
    assert len(many) == len(few)
