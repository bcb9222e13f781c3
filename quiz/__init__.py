"""The study app: question banks in YAML, quizzes and flashcards."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import ROOT, Config


def create_app(config: Config | None = None) -> Flask:
    """Build the app: extensions, blueprints, CLI, error pages and headers."""
    config = config or Config()
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(Path(config.INSTANCE_PATH).resolve()))
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from . import cli, database
    from .web import account, auth, catalog, errors, progress, quiz as quiz_web, security, study, styleguide

    database.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    catalog.init_app(app)
    account.init_app(app)
    quiz_web.init_app(app)
    study.init_app(app)
    progress.init_app(app)
    styleguide.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
