"""Configuration classes, read from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - refused in production, see ProductionConfig


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'streamlead.sqlite'}"
    )
    # Connections are pinged before use only after sitting unused for a while (app/pool_ping.py),
    # not on every checkout as pool_pre_ping does: that costs a round trip every request.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Example Organisation")
    # Times are stored in UTC and shown in this zone, with its abbreviation (GMT, BST); an IANA
    # name, checked at start-up.
    TIMEZONE = os.environ.get("TIMEZONE", "Europe/London")

    # Personnel data: short sessions, no remember-me cookie (see docs/security.md).
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "12")))
    # Session records (address and browser) are deleted this many days after the session ended.
    SESSION_RECORD_KEEP_DAYS = float(os.environ.get("SESSION_RECORD_KEEP_DAYS", "30"))
    # The cookie outlives idle expiry so the server, which enforces the idle limit, still
    # knows who posted a form after it and can keep their input (app/saved_input.py).
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_TIMEOUT
    SESSION_COOKIE_NAME = "streamlead_session"
    # The cookie is resent only when its contents change (sign-in, `seen_at` once a minute):
    # re-signing it on every request costs each page for nothing; the server enforces the limits.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Request bodies: anything larger is refused with 413 before it is read (README, Configuration).
    # No upload in the web app needs more: the ratings CSV import is a command (`flask ratings
    # import`), which reads the file from disk.
    MAX_CONTENT_LENGTH = int(float(os.environ.get("MAX_CONTENT_MB", "5")) * 1024 * 1024)
    # One text field may hold at most this much, and a form at most this many fields and files.
    MAX_FORM_MEMORY_SIZE = int(float(os.environ.get("MAX_FORM_MEMORY_KB", "512")) * 1024)
    MAX_FORM_PARTS = int(os.environ.get("MAX_FORM_PARTS", "1000"))

    # Unsent input of long forms kept when a session ends (app/saved_input.py): how long it is
    # given back, and the most kept for one page.
    SAVED_INPUT_KEEP_DAYS = float(os.environ.get("SAVED_INPUT_KEEP_DAYS", "3"))
    SAVED_INPUT_MAX_BYTES = int(os.environ.get("SAVED_INPUT_MAX_BYTES", str(256 * 1024)))

    WTF_CSRF_ENABLED = True
    # The CSRF token lives as long as the session; an expired one is handled without losing input.
    WTF_CSRF_TIME_LIMIT = None

    # Rate-limit counters: "memory://" for one process, "redis://host:6379" to share across workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Wrong passwords for one email, from any address, before it is refused (429) for a while.
    ACCOUNT_PASSWORD_LIMIT = os.environ.get("ACCOUNT_PASSWORD_LIMIT", "10 per 15 minutes")
    # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto. Leave 0
    # unless there is one: with 0 the headers are ignored, so nobody can fake their address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Strict-Transport-Security on every response, not only on requests seen as HTTPS.
    HSTS = _bool("HSTS", False)
    # Lowest zxcvbn score (0-4) a new password may have.
    PASSWORD_MIN_SCORE = int(os.environ.get("PASSWORD_MIN_SCORE", "3"))

    # argon2id parameters (OWASP: m=19 MiB, t=2, p=1 at least).
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", str(64 * 1024)))
    ARGON2_PARALLELISM = int(os.environ.get("ARGON2_PARALLELISM", "2"))

    INVITE_TTL = timedelta(days=int(os.environ.get("INVITE_TTL_DAYS", "7")))
    RESET_TTL = timedelta(hours=int(os.environ.get("RESET_TTL_HOURS", "24")))

    # Email through SMTP (Flask-Mailman). With no MAIL_SERVER nothing is sent: messages are kept
    # in the outbox for admins to read (Administration, Outbox). The worker sends them.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Streamlead <streamlead@localhost>")
    # Seconds to wait for the mail server before the attempt counts as failed (and is retried).
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))

    # PDF rendering and the download centre (see README, Production).
    PDF_RENDER_TIMEOUT = float(os.environ.get("PDF_RENDER_TIMEOUT", "20"))
    # The worker renders each document after the change that affects it (see README, Production).
    PDF_PRERENDER = _bool("PDF_PRERENDER", True)
    PDF_EXPORT_INLINE_MAX = int(os.environ.get("PDF_EXPORT_INLINE_MAX", "10"))
    # Stakeholder feedback is shown per competency only once this many stakeholders rated it,
    # and comments only once this many submitted, so nobody can tell who said what.
    STAKEHOLDER_MIN_RESPONSES = int(os.environ.get("STAKEHOLDER_MIN_RESPONSES", "3"))
    COACHING_CHECKPOINT_DAYS = tuple(
        int(day) for day in os.environ.get("COACHING_CHECKPOINT_DAYS", "30,90,180").split(",")
    )

    # Background tasks: the embedded queue file by default; redis://host:6379/0 to share one
    # queue between several web and worker hosts (see README, "Production").
    TASK_QUEUE_URL = os.environ.get("TASK_QUEUE_URL", f"sqlite:///{INSTANCE_DIR / 'tasks.db'}")
    TASK_QUEUE_IMMEDIATE = _bool("TASK_QUEUE_IMMEDIATE", False)
    TASK_WORKERS = int(os.environ.get("TASK_WORKERS", "2"))
    # Records of finished background tasks shown to admins are deleted after this many days.
    TASK_RECORD_KEEP_DAYS = float(os.environ.get("TASK_RECORD_KEEP_DAYS", "14"))

    # Pages served again from memory while the data they show is unchanged (app/page_cache.py):
    # how much HTML per process, in MB (0 turns it off), and for how long at most, which bounds
    # how late a change made by the clock alone (a link expiring) shows.
    PAGE_CACHE_MB = float(os.environ.get("PAGE_CACHE_MB", "32"))
    PAGE_CACHE_SECONDS = float(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    TESTING = False
    PRODUCTION = False


class DevelopmentConfig(Config):
    """Local development with `make run`."""


class TestConfig(Config):
    """The test suite: cheap hashing, CSRF off except in the tests that check it."""

    TESTING = True
    TASK_QUEUE_IMMEDIATE = True  # tasks run at once, in process; one test runs a real worker
    PDF_PRERENDER = False  # a render costs a second: only the tests of rendering ahead turn it on
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = "1000 per minute"


class ProductionConfig(Config):
    """Production: a real secret key is mandatory and cookies are Secure."""

    PRODUCTION = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    # Production is served over HTTPS (often by a proxy that terminates TLS), so always send it.
    HSTS = _bool("HSTS", True)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by STREAMLEAD_ENV (default: development)."""
    name = os.environ.get("STREAMLEAD_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"STREAMLEAD_ENV={name!r} is not one of {', '.join(sorted(CONFIGS))}")
    return CONFIGS[name]
