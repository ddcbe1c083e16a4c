"""The emulator's WSGI application: one Flask app with a blueprint per service."""

from __future__ import annotations

from flask import Flask, Response, request

from emulator import editor_api, entra, faults, graph, sharepoint
from emulator.state import EmulatorState, LoggedRequest


def create_app(state: EmulatorState) -> Flask:
    """Build the app that serves SharePoint REST, Entra ID, Graph and the editor API."""
    app = Flask(__name__)
    app.extensions["emulator"] = state
    app.config["JSON_SORT_KEYS"] = False
    faults.install(app)
    app.register_blueprint(entra.blueprint)
    app.register_blueprint(graph.blueprint)
    app.register_blueprint(sharepoint.blueprint)
    app.register_blueprint(editor_api.blueprint)

    @app.after_request
    def record(response: Response) -> Response:
        path = request.full_path.rstrip("?")
        state.requests.add(LoggedRequest(request.method, path, response.status_code))
        return response

    return app
