"""Run an emulator: bind its two ports, make its certificates and register its apps."""

from __future__ import annotations

import secrets
import ssl
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from emulator.app import create_app
from emulator.directory import App
from emulator.state import EmulatorState
from emulator.tenant import Tenant
from emulator.tls import AppCertificate, make_app_certificate, make_server_certificates
from emulator.tokens import Signer
from emulator.webhooks import stop_webhooks

PORTAL_REDIRECT_PATH = "/auth/callback"


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (the request log keeps them)."""

    def log_request(self, *args, **kwargs) -> None:
        """Skip the access log line."""


@dataclass(frozen=True)
class Registration:
    """The app registration the portal and the indexer use, with its credentials."""

    client_id: str
    client_secret: str
    certificate: AppCertificate


class Emulator:
    """A running tenant: SharePoint and the sign-in page over http, Entra ID and Graph over https.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(self, tenant: Tenant, data_dir: Path, host: str = "127.0.0.1",
                 http_port: int = 0, https_port: int = 0) -> None:
        self.tenant = tenant
        self.data_dir = Path(data_dir)
        self._host, self._ports = host, (http_port, https_port)
        self._servers: list[BaseWSGIServer] = []
        self._threads: list[threading.Thread] = []
        self.state: EmulatorState | None = None
        self.registration: Registration | None = None

    def start(self) -> Emulator:
        """Bind both ports and serve in background threads."""
        tls = make_server_certificates(self.data_dir / "tls")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls.cert_file, tls.key_file)
        http = make_server(self._host, self._ports[0], self._dispatch, threaded=True,
                           request_handler=QuietHandler)
        https = make_server(self._host, self._ports[1], self._dispatch, threaded=True,
                            ssl_context=context, request_handler=QuietHandler)
        self._servers = [http, https]
        self.state = EmulatorState(
            tenant=self.tenant, signer=Signer(),
            sharepoint_url=f"http://{self._host}:{http.server_port}",
            login_url=f"https://{self._host}:{https.server_port}", ca_file=tls.ca_file,
            editor_key=secrets.token_urlsafe(32))
        self.registration = self._register_app()
        self._write_editor_key()
        self._app = create_app(self.state)
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      daemon=True, name=f"emulator-{server.server_port}")
            thread.start()
            self._threads.append(thread)
        return self

    def _dispatch(self, environ, start_response):
        return self._app(environ, start_response)

    def _register_app(self) -> Registration:
        """Register the intranet app: certificate for SharePoint, secret for sign-in."""
        directory = self.tenant.directory
        client_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{directory.tenant_id}/intranet-portal"))
        certificate = make_app_certificate(self.data_dir / "credentials", "intranet-app")
        secret_file = self.data_dir / "credentials" / "client-secret.txt"
        if not secret_file.exists():
            secret_file.write_text(uuid.uuid4().hex)
            secret_file.chmod(0o600)
        secret = secret_file.read_text().strip()
        app = directory.apps.get(client_id) or App(client_id=client_id, name="Intranetportal")
        app.certificates[certificate.thumbprint] = certificate.cert_pem
        app.secrets.add(secret)
        app.sharepoint_access = "all"
        app.redirect_uris.append(f"http://127.0.0.1:5000{PORTAL_REDIRECT_PATH}")
        app.post_logout_redirect_uris.append("http://127.0.0.1:5000/")
        directory.apps[client_id] = app
        return Registration(client_id, secret, certificate)

    def _write_editor_key(self) -> None:
        """Write this run's editor API key where the demo and scripts can read it."""
        key_file = self.data_dir / "credentials" / "editor-key.txt"
        key_file.write_text(self.state.editor_key)
        key_file.chmod(0o600)

    def stop(self) -> None:
        """Stop serving, delivering webhook notifications, and close the ports."""
        if self.state is not None:
            stop_webhooks(self.state)
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def sharepoint_url(self) -> str:
        """Origin of SharePoint REST, e.g. ``http://127.0.0.1:8000``."""
        return self.state.sharepoint_url

    @property
    def authority(self) -> str:
        """The msal authority, ``https://127.0.0.1:<port>/<tenant id>``."""
        return self.state.authority

    @property
    def graph_url(self) -> str:
        """Origin of Graph."""
        return self.state.graph_url

    @property
    def editor_key(self) -> str:
        """The bearer key of the editor API (``/_emulator/``), new at each start."""
        return self.state.editor_key

    @property
    def ca_file(self) -> Path:
        """The CA certificate that signs the https endpoints."""
        return self.state.ca_file

    def site_url(self, name: str) -> str:
        """The absolute URL of ``/sites/<name>``."""
        return f"{self.sharepoint_url}/sites/{name}"
