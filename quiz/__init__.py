"""The study app: question banks in YAML, quizzes and flashcards."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import ROOT, Config

APP_NAME = "Cairn"  # the product's name, in every page title and the header


def create_app(config: Config | None = None) -> Flask:
    """Build the app: extensions, blueprints, CLI, error pages and headers."""
    config = config or Config()
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(Path(config.INSTANCE_PATH).resolve()))
    app.config.from_object(config)
    app.jinja_env.globals["app_name"] = APP_NAME
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:  # the client address (rate limits, guests) as the trusted proxies saw it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from . import cli, database
    from .web import (account, assets, auth, authoring, catalog, classes, errors, explore, game, inputs, insights, progress,
                      quiz as quiz_web, security, study, styleguide)
    from .web.authoring import check_routes as authoring_check

    database.init_app(app)
    inputs.init_app(app)  # before the blueprints: their <int:…> use its converter
    security.init_app(app)
    assets.init_app(app)
    auth.init_app(app)
    catalog.init_app(app)
    account.init_app(app)
    quiz_web.init_app(app)
    study.init_app(app)
    progress.init_app(app)
    classes.init_app(app)
    authoring.init_app(app)
    authoring_check.init_app(app)  # the source editor's live check (JSON)
    insights.init_app(app)
    explore.init_app(app)
    game.init_app(app)
    styleguide.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
