"""Webhook subscriptions of a site's lists, over the REST calls Microsoft documents.

``GET``/``POST {site}/_api/web/lists(guid'…')/subscriptions`` and ``PATCH``/``DELETE
…/subscriptions('<id>')`` with nometadata JSON, sent through the library's request pipeline
(sign-in, form digest, the retrying session). The library's own ``SubscriptionCollection.add``
cannot send a ``clientState``, and updates by MERGE rather than PATCH.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from office365.runtime.client_request_exception import ClientRequestException
from office365.runtime.http.http_method import HttpMethod
from office365.runtime.http.request_options import RequestOptions
from office365.sharepoint.client_context import ClientContext
from requests import Response

from indexer.sharepoint.errors import SharePointError, named_errors

NOMETADATA = "application/json;odata=nometadata"


class SubscriptionRefused(SharePointError):
    """SharePoint refused to create or change a subscription: the notification URL did not
    answer the validation handshake, or the expiration is out of range."""


@dataclass(frozen=True)
class Subscription:
    """One webhook subscription of a list, as SharePoint shows it to the app that made it."""

    id: str
    notification_url: str
    expiration: datetime
    client_state: str | None


def _subscription(values: dict[str, Any]) -> Subscription:
    expiration = datetime.fromisoformat(values["expirationDateTime"])
    return Subscription(
        id=values["id"], notification_url=values.get("notificationUrl", ""),
        expiration=expiration if expiration.tzinfo else expiration.replace(tzinfo=UTC),
        client_state=values.get("clientState"))


def _message(response: Response) -> str:
    """SharePoint's error message; the library reads only verbose errors, not ``odata.error``."""
    try:
        body = response.json()
        error = body.get("odata.error") or body.get("error") or {}
        return str(error["message"]["value"])
    except (ValueError, AttributeError, KeyError, TypeError):
        return ""


def _wire(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Subscriptions:
    """The webhook subscriptions of one site's lists; errors are named (see ``errors``)."""

    def __init__(self, ctx: ClientContext, site_url: str) -> None:
        self._ctx, self._site_url = ctx, site_url

    def of_list(self, list_id: str) -> list[Subscription]:
        """This app's subscriptions on a list."""
        answer = self._send(HttpMethod.Get, f"web/lists(guid'{list_id}')/subscriptions")
        return [_subscription(values) for values in answer.json().get("value", [])]

    def add(self, list_id: str, notification_url: str, expiration: datetime,
            client_state: str) -> Subscription:
        """Subscribe ``notification_url`` to the list (SharePoint validates it first)."""
        answer = self._send(HttpMethod.Post, f"web/lists(guid'{list_id}')/subscriptions", {
            "resource": f"{self._site_url}/_api/web/lists(guid'{list_id}')",
            "notificationUrl": notification_url, "expirationDateTime": _wire(expiration),
            "clientState": client_state})
        return _subscription(answer.json())

    def update(self, list_id: str, subscription_id: str, expiration: datetime,
               client_state: str) -> None:
        """Move a subscription's expiration (and set its client state)."""
        self._send(HttpMethod.Patch,
                   f"web/lists(guid'{list_id}')/subscriptions('{subscription_id}')",
                   {"expirationDateTime": _wire(expiration), "clientState": client_state})

    def remove(self, list_id: str, subscription_id: str) -> None:
        """Delete a subscription."""
        self._send(HttpMethod.Delete,
                   f"web/lists(guid'{list_id}')/subscriptions('{subscription_id}')")

    def _send(self, method: HttpMethod, path: str, body: dict | None = None) -> Response:
        request = RequestOptions(f"{self._ctx.service_root_url}/{path}", method, data=body,
                                 headers={"Accept": NOMETADATA, "Content-Type": NOMETADATA})
        with named_errors(self._site_url):
            try:
                return self._ctx.pending_request().execute_request_direct(request)
            except ClientRequestException as error:
                if getattr(error.response, "status_code", None) == 400:
                    raise SubscriptionRefused(_message(error.response) or str(error)) from error
                raise
