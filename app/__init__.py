"""Streamlead: the web application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import BASE_DIR, DEFAULT_SECRET_KEY, Config, config_from_env


def create_app(config: type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """Build the application from a config class, a mapping of overrides, or the environment."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    if config is None or isinstance(config, Mapping):
        app.config.from_object(config_from_env())
        if isinstance(config, Mapping):
            app.config.update(config)
    else:
        app.config.from_object(config)
    if app.config.get("PRODUCTION") and app.config["SECRET_KEY"] in ("", DEFAULT_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production")
    if int(app.config.get("STAKEHOLDER_MIN_RESPONSES", 3)) < 2:
        # With 1, a competency rated by one stakeholder would show that person's answer.
        raise RuntimeError("STAKEHOLDER_MIN_RESPONSES must be at least 2 (3 is recommended)")
    trust_proxies(app)

    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_tasks(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address and scheme from their headers."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the request hooks that depend on them."""
    from app import data_version, page_cache, passwords, pool_ping, score_snapshots, security
    from app.auth import session
    from app.extensions import csrf, db, limiter, login_manager, mail, migrate
    from app.reports import repeats

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            pool_ping.install(engine)
            data_version.install(engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    passwords.init_app(app)
    session.init_app(app)
    security.init_app(app)
    page_cache.init_app(app)  # after the session checks, which must run first
    repeats.init_app(app)
    score_snapshots.init_app()


def register_converters(app: Flask) -> None:
    """`<int:...>` accepts only ids that can exist (ASCII digits up to a database integer)."""
    from app.params import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.candidates import bp as candidates_bp
    from app.coaching import bp as coaching_bp
    from app.induction import bp as induction_bp
    from app.interviews import bp as interviews_bp
    from app.main import bp as main_bp
    from app.notifications import bp as notifications_bp
    from app.reports import bp as reports_bp
    from app.roles import bp as roles_bp
    from app.selection import bp as selection_bp
    from app.stakeholders import bp as stakeholders_bp

    for bp in (
        auth_bp,
        main_bp,
        admin_bp,
        roles_bp,
        candidates_bp,
        interviews_bp,
        selection_bp,
        induction_bp,
        coaching_bp,
        reports_bp,
        notifications_bp,
        stakeholders_bp,
    ):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    """Friendly pages for every error a user can meet."""
    from app.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """The `flask` command groups."""
    from app.cli import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Globals and filters the templates share."""
    from app.templating import init_app

    init_app(app)


# Areas whose `tasks.py` declares background tasks; the worker imports them all at start.
TASK_AREAS = ("reports", "notifications")


def register_tasks(app: Flask) -> None:
    """Point the task queue at this app and import every area's tasks so the worker knows them."""
    import importlib
    import importlib.util

    from app import queue

    queue.configure(app)
    importlib.import_module("app.task_runs")  # records each run's state from the signals
    importlib.import_module("app.tasks")
    for area in TASK_AREAS:
        if importlib.util.find_spec(f"app.{area}.tasks") is not None:
            importlib.import_module(f"app.{area}.tasks")
