"""People who use Streamlead and their account links."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

ROLES: tuple[str, ...] = ("admin", "cpo", "interviewer", "exec", "hr")
ROLE_LABELS: dict[str, str] = {
    "admin": "Administrator",
    "cpo": "Chief Product Officer",
    "interviewer": "Panel interviewer",
    "exec": "Candidate executive",
    "hr": "HR",
}


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A person with one role."""

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint("role IN ('admin','cpo','interviewer','exec','hr')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or deactivation so other sessions of this user end.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tokens: Mapped[list[AccountToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Session identifier: id plus epoch, so bumping the epoch signs out old sessions."""
        return f"{self.id}:{self.session_epoch}"

    @property
    def role_label(self) -> str:
        """Human name of the role."""
        return ROLE_LABELS[self.role]

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class AccountToken(db.Model):  # type: ignore[name-defined,misc]
    """A single-use, expiring link to set a password (invite or reset); only its hash is kept."""

    __tablename__ = "account_token"
    __table_args__ = (CheckConstraint("purpose IN ('invite','reset')", name="purpose_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in: checked on every request, ended by signing out; only the id's hash is kept."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Why it ended: "signed out", "timed out", "signed out elsewhere", "ended by admin", ...
    ended_reason: Mapped[str] = mapped_column(String(40), default="")


def lower_email(value: str) -> str:
    """Emails are compared case-insensitively; store them trimmed and lower-cased."""
    return value.strip().lower()
