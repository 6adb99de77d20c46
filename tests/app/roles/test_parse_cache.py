"""One parse cache for role content: each content is parsed once, whoever asks."""

from __future__ import annotations

import copy

import pytest
from flask import Flask

from app.extensions import db
from app.models import RoleVersion
from app.models import roles as role_models
from tests.fixtures.builders import published_role


def test_a_content_is_parsed_once_and_a_new_content_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real = role_models.role_from_data

    def counting(data):  # type: ignore[no-untyped-def]
        parsed.append(data["key"])
        return real(data)

    monkeypatch.setattr(role_models, "_PARSED", {})
    monkeypatch.setattr(role_models, "role_from_data", counting)
    with app.app_context():
        version_id = published_role().id
        db.session.commit()
        db.session.expire_all()
        version = db.session.get(RoleVersion, version_id)
        first = version.role
        assert version.role is first  # remembered on the loaded version
        # The same content in another session's object: the hash cache answers.
        db.session.expunge_all()
        again = db.session.get(RoleVersion, version_id)
        assert again is not version and again.role is first
        assert len(parsed) == 1
        # A changed content (edits assign a new mapping) is parsed afresh.
        changed = copy.deepcopy(again.content)
        changed["purpose"] = "A different purpose"
        again.content = changed
        assert again.role.purpose == "A different purpose"
        assert len(parsed) == 2
        db.session.rollback()
