"""OData v3 JSON as SharePoint Online writes it: verbose, minimal metadata and no metadata.

Handlers build a neutral tree (:class:`Entity`, :class:`Complex`, :class:`Coll`,
:class:`Deferred`, :class:`Int64`, datetimes) and :func:`dump` writes it in the format the
request's ``Accept`` header asked for.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from flask import Response


class Format(Enum):
    """The JSON flavour a request asked for."""

    verbose = "verbose"
    minimal = "minimalmetadata"
    none = "nometadata"

    @property
    def light(self) -> bool:
        """Whether this is JSON light (``value``/``odata.*``) rather than verbose (``d``)."""
        return self is not Format.verbose


def negotiate(accept: str | None) -> Format:
    """The format for an ``Accept`` header; plain ``application/json`` means minimal metadata."""
    text = (accept or "").lower().replace(" ", "")
    if "odata=verbose" in text:
        return Format.verbose
    if "odata=nometadata" in text:
        return Format.none
    return Format.minimal


class Int64(int):
    """An ``Edm.Int64`` value, which OData v3 JSON writes as a string."""


@dataclass
class Complex:
    """A complex type value such as ``SP.ChangeToken`` or ``SP.FieldUrlValue``."""

    type_name: str
    props: dict


@dataclass
class Coll:
    """A collection value (``results`` in verbose JSON); ``type_name`` like ``Collection(…)``."""

    items: list
    type_name: str | None = None


@dataclass
class Deferred:
    """A navigation property that was not expanded (verbose JSON only)."""

    uri: str


@dataclass
class Entity:
    """An entity with its metadata: absolute ``uri``, ``type_name`` and optional ``etag``."""

    type_name: str
    uri: str | None
    props: dict = field(default_factory=dict)
    etag: str | None = None
    id: str | None = None


def iso(moment: datetime | None) -> str | None:
    """A DateTime as SharePoint Online writes it: UTC, whole seconds, ``Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dump(value: Any, fmt: Format) -> Any:
    """Convert a neutral value to the JSON-ready value of ``fmt``."""
    if isinstance(value, Entity):
        return _entity(value, fmt)
    if isinstance(value, Complex):
        body = _props(value.props, fmt)
        return {"__metadata": {"type": value.type_name}} | body if not fmt.light else body
    if isinstance(value, Coll):
        items = [dump(v, fmt) for v in value.items]
        if fmt.light:
            return items
        meta = {"__metadata": {"type": value.type_name}} if value.type_name else {}
        return meta | {"results": items}
    if isinstance(value, Deferred):
        return {"__deferred": {"uri": value.uri}}
    if isinstance(value, bool):
        return value
    if isinstance(value, Int64):
        return str(int(value))
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return _props(value, fmt)
    if isinstance(value, list):
        return [dump(v, fmt) for v in value]
    return value


def _props(props: dict, fmt: Format) -> dict:
    return {k: dump(v, fmt) for k, v in props.items()
            if not (fmt.light and isinstance(v, Deferred))}


def _entity(entity: Entity, fmt: Format) -> dict:
    body = _props(entity.props, fmt)
    if fmt is Format.none:
        return body
    if fmt is Format.minimal:
        meta = {"odata.type": entity.type_name, "odata.id": entity.id or entity.uri}
        if entity.etag:
            meta["odata.etag"] = entity.etag
        if entity.uri:
            meta["odata.editLink"] = entity.uri.split("/_api/", 1)[-1]
        return meta | body
    meta = {"id": entity.id or entity.uri}
    if entity.uri:
        meta["uri"] = entity.uri
    if entity.etag:
        meta["etag"] = entity.etag
    meta["type"] = entity.type_name
    return {"__metadata": meta} | body


def json_response(body: Any, fmt: Format, status: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """A JSON response with SharePoint's content type for ``fmt``."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, headers=headers or {},
                    content_type=f"application/json;odata={fmt.value};charset=utf-8")


def entity_body(entity: Entity, fmt: Format, metadata_url: str) -> dict:
    """The body answering a request for one entity."""
    if fmt.light:
        body = dump(entity, fmt)
        return {"odata.metadata": metadata_url} | body if fmt is Format.minimal else body
    return {"d": dump(entity, fmt)}


def collection_body(entities: list, fmt: Format, next_url: str | None,
                    metadata_url: str) -> dict:
    """The body answering a request for a collection, with its next-page link if any."""
    items = [dump(e, fmt) for e in entities]
    if fmt.light:
        body = {"odata.metadata": metadata_url} if fmt is Format.minimal else {}
        body["value"] = items
        if next_url:
            body["odata.nextLink"] = next_url
        return body
    inner: dict = {"results": items}
    if next_url:
        inner["__next"] = next_url
    return {"d": inner}


def value_body(name: str, value: Any, fmt: Format, metadata_url: str) -> dict:
    """The body answering a property read or a function call that returns ``value``."""
    dumped = dump(value, fmt)
    if not fmt.light:
        return {"d": {name: dumped}}
    if isinstance(value, Complex | Entity):
        return {"odata.metadata": metadata_url} | dumped if fmt is Format.minimal else dumped
    body = {"odata.metadata": metadata_url} if fmt is Format.minimal else {}
    return body | {"value": dumped}
