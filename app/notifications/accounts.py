"""Invite and password-reset links: emailed to the person, still shown to whoever issued them."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app.models import User
from app.notifications.emails import absolute_url, app_path
from app.notifications.services import queue_email


def _duration(ttl: timedelta) -> str:
    if ttl >= timedelta(days=1) and ttl.total_seconds() % 86400 == 0:
        days = ttl.days
        return f"{days} day{'' if days == 1 else 's'}"
    hours = max(int(ttl.total_seconds() // 3600), 1)
    return f"{hours} hour{'' if hours == 1 else 's'}"


def send_account_link(user: User, purpose: str, raw_token: str) -> str:
    """Email the single-use link (kind account.invite or account.reset); its full URL, under
    BASE_URL, to show on screen too."""
    path = app_path("auth.set_password", token=raw_token)
    ttl: timedelta = current_app.config["INVITE_TTL" if purpose == "invite" else "RESET_TTL"]
    organisation = current_app.config["ORGANISATION_NAME"]
    title = (
        f"Your Streamlead account at {organisation}: set your password"
        if purpose == "invite"
        else "Choose a new Streamlead password"
    )
    queue_email(
        user.email,
        f"account.{purpose}",
        title=title,
        link=path,
        template="account_link",
        context={"purpose": purpose, "expires_in": _duration(ttl)},
        recipient=user,
    )
    return absolute_url(path)
