"""The intranet portal: a Flask app that shows each employee what SharePoint lets them see.

``create_app()`` reads the settings from the environment; tests pass a mapping instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from portal import (
    admin,
    assets,
    auth,
    documents,
    errors,
    fragments,
    home,
    i18n,
    logs,
    media,
    metrics,
    search,
    security,
    status,
    webhooks,
)
from portal.content import Content
from portal.settings import load_config
from portal.views import init_templates

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The portal app, configured from ``test_config`` or else from the environment."""
    config = load_config(test_config)
    if test_config is None:
        logs.configure(config)
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=None)
    app.config.update(config)
    app.permanent_session_lifetime = timedelta(hours=float(config["PERSONAL_IDLE_HOURS"]))
    app.extensions["portal.content"] = Content(config["INDEX_DIR"], config["INDEX_URL"])
    metrics.init_app(app)  # first: its timer covers the other hooks
    logs.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    media.init_app(app)
    assets.init_app(app, ROOT / "static")
    webhooks.init_app(app)
    fragments.init_app(app)
    init_templates(app)
    for module in (home, documents, search, status, admin):
        app.register_blueprint(module.blueprint)
    return app
