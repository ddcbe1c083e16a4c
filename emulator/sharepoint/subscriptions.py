"""A list's webhook subscriptions: ``lists(…)/subscriptions`` and ``subscriptions('<id>')``.

GET lists the calling app's subscriptions (another app's are invisible, as in SharePoint).
POST creates one after the validation handshake (see :mod:`emulator.webhooks`) and answers
201 with it; PATCH renews or moves one and DELETE removes it, both answering 204.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response

from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import SharePointError, invalid_query
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.resources import Collection, Node, Resource, list_path
from emulator.tenant import Site, SPList
from emulator.webhooks import MAX_DAYS, Subscription, SubscriptionError, Webhooks, webhooks_store

TYPE_NAME = "Microsoft.SharePoint.Webhooks.Subscription"
INVALID_OPERATION = "-1, System.InvalidOperationException"
ARGUMENT = "-2147024809, System.ArgumentException"
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _refused(error: SubscriptionError) -> SharePointError:
    return SharePointError(400, INVALID_OPERATION, str(error))


def _not_found() -> SharePointError:
    return SharePointError(404, ARGUMENT, "The subscription was not found.")


def _store(ctx: Ctx) -> Webhooks:
    return webhooks_store(ctx.state)


def _expiration(body: dict, ctx: Ctx) -> datetime:
    """``expirationDateTime`` of a request body (absent: SharePoint's default, 180 days)."""
    raw = body.get("expirationDateTime")
    if raw is None:
        return ctx.tenant.clock.now() + timedelta(days=MAX_DAYS)
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        raise invalid_query(f"Cannot convert '{raw}' to a date.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid_query(f"The property '{name}' must be a string.")
    return value


class SubscriptionRes(Resource):
    """``Microsoft.SharePoint.Webhooks.Subscription``."""

    type_name = TYPE_NAME

    def __init__(self, site: Site, lst: SPList, subscription: Subscription) -> None:
        self.site, self.lst, self.subscription = site, lst, subscription

    def path(self, ctx: Ctx) -> str:
        return f"{list_path(self.lst)}/subscriptions('{self.subscription.id}')"

    def properties(self, ctx: Ctx) -> dict:
        sub = self.subscription
        return {"clientState": sub.client_state, "expirationDateTime": sub.expiration,
                "id": sub.id, "notificationUrl": sub.notification_url,
                "resource": sub.list_id, "resourceData": None}

    def patch(self, ctx: Ctx) -> Response:
        """Renew (``expirationDateTime``), move (``notificationUrl``) or re-tag it."""
        body = ctx.body()
        expiration = _expiration(body, ctx) if "expirationDateTime" in body else None
        try:
            _store(ctx).update(self.subscription, notification_url=_text(body, "notificationUrl"),
                               expiration=expiration, client_state=_text(body, "clientState"))
        except SubscriptionError as error:
            raise _refused(error) from error
        return Response(status=204)

    def delete(self, ctx: Ctx) -> Response:
        """Remove it."""
        _store(ctx).remove(self.subscription.id)
        return Response(status=204)


class Subscriptions(Collection):
    """``/_api/web/lists(guid'…')/subscriptions``: the calling app's subscriptions."""

    def __init__(self, site: Site, lst: SPList) -> None:
        self.site, self.lst = site, lst

    def members(self, ctx: Ctx) -> list[Resource]:
        return [SubscriptionRes(self.site, self.lst, sub)
                for sub in _store(ctx).of_list(self.lst.id, ctx.app_id)]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        for member in self.members(ctx):
            if member.subscription.id == str(value).strip("{}").lower():
                return member
        raise _not_found()

    def post(self, ctx: Ctx) -> Response:
        """Create a subscription: validate its URL, then answer 201 with it."""
        body = ctx.body()
        url = _text(body, "notificationUrl")
        if not url:
            raise invalid_query("The property 'notificationUrl' is required.")
        resource = _text(body, "resource")
        if resource is not None and self.lst.id not in {g.lower() for g in _GUID.findall(resource)}:
            raise invalid_query(f"The resource '{resource}' is not this list.")
        try:
            sub = _store(ctx).add(self.site, self.lst, ctx.app_id, url, _expiration(body, ctx),
                                  _text(body, "clientState"))
        except SubscriptionError as error:
            raise _refused(error) from error
        response = SubscriptionRes(self.site, self.lst, sub).get(ctx)
        response.status_code = 201
        return response


def subscriptions(site: Site, lst: SPList, seg: Segment, ctx: Ctx) -> Node:
    """The node ``subscriptions`` or ``subscriptions('<id>')`` leads to."""
    collection = Subscriptions(site, lst)
    return collection.by_id(seg.arg("id"), ctx) if seg.called else collection
