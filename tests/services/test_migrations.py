"""The committed migrations build exactly the schema the models describe (SQLite and PostgreSQL)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from quiz.extensions import db


def test_migrations_match_the_models(app: Flask) -> None:
    with app.app_context():
        db.drop_all()
        upgrade()
        try:
            with db.engine.connect() as connection:
                diffs = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert diffs == []
            assert {"bank", "question", "question_tag", "user", "card"} <= set(inspect(db.engine).get_table_names())
        finally:
            downgrade(revision="base")
        assert "question" not in inspect(db.engine).get_table_names()
