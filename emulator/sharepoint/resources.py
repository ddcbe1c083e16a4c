"""The resource tree: nodes reached by path segments, entities rendered with ``$select`` and
``$expand``, and collections filtered, sorted and paged by the query options."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from flask import Response

from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import (
    lookup_not_expanded,
    method_not_allowed,
    no_such_property,
    not_found,
    resource_not_found,
)
from emulator.sharepoint.odata import (
    Coll,
    Deferred,
    Entity,
    collection_body,
    entity_body,
    json_response,
    value_body,
)
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.query import Tree
from emulator.tenant import SPList

Nav = Callable[[], Any]


def list_path(lst: SPList) -> str:
    """The canonical path of a list after ``_api/``."""
    return f"Web/Lists(guid'{lst.id}')"


class Node:
    """Something a path can reach: it answers GET (or POST) and leads on to child segments."""

    def child(self, seg: Segment, ctx: Ctx) -> Node:
        """The node a further segment leads to."""
        raise resource_not_found(seg.name)

    def get(self, ctx: Ctx) -> Response:
        """Answer a GET of this node."""
        raise method_not_allowed("GET", type(self).__name__)

    def post(self, ctx: Ctx) -> Response:
        """Answer a POST to this node (reads are allowed by POST as well)."""
        return self.get(ctx)

    def patch(self, ctx: Ctx) -> Response:
        """Answer a PATCH or MERGE of this node (most of SharePoint is read-only here)."""
        raise method_not_allowed(ctx.verb, type(self).__name__)

    def delete(self, ctx: Ctx) -> Response:
        """Answer a DELETE of this node."""
        raise method_not_allowed(ctx.verb, type(self).__name__)


class Resource(Node, ABC):
    """An entity: default properties, properties only given when selected, and navigations."""

    type_name = ""
    quiet: frozenset[str] = frozenset()  # lookups: left out unless expanded or selected

    @abstractmethod
    def path(self, ctx: Ctx) -> str:
        """This entity's canonical path after ``_api/``."""

    def uri(self, ctx: Ctx) -> str | None:
        """The ``__metadata`` uri: the absolute URL of :meth:`path`."""
        return ctx.api(self.path(ctx))

    def entity_id(self, ctx: Ctx) -> str | None:
        """The ``__metadata`` id when it differs from the uri."""
        return None

    def etag(self) -> str | None:
        """The entity tag, for entities that have one."""
        return None

    def properties(self, ctx: Ctx) -> dict:
        """The properties returned when nothing is selected, in SharePoint's order."""
        return {}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        """Properties returned only when selected by name."""
        return {}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        """Navigation properties: deferred unless expanded."""
        return {}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        """Path segments (lower-cased) leading from this entity to other nodes."""
        return {}

    def unknown(self, name: str) -> Exception | None:
        """The error for selecting a property this entity does not have; None leaves it out,
        as SharePoint does for entity types (the library itself selects ``Id`` on SP.File)."""
        return None

    def child(self, seg: Segment, ctx: Ctx) -> Node:
        route = self.routes(ctx).get(seg.key)
        if route is not None:
            return route(seg)
        navigation = _find(self.navigations(ctx), seg.key)
        if navigation is not None and not seg.called:
            return _as_node(navigation[1]())
        for table in (self.properties(ctx), self.hidden(ctx)):
            found = _find(table, seg.key)
            if found is not None and not seg.called:
                value = found[1]() if callable(found[1]) else found[1]
                return Value(found[0], value)
        raise resource_not_found(seg.name)

    def get(self, ctx: Ctx) -> Response:
        entity = render(self, ctx, ctx.options.select, ctx.options.expand)
        return json_response(entity_body(entity, ctx.fmt, ctx.metadata_url), ctx.fmt)


class Value(Node):
    """A single property read such as ``/_api/web/Title``."""

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value

    def get(self, ctx: Ctx) -> Response:
        return json_response(value_body(self.name, self.value, ctx.fmt, ctx.metadata_url),
                             ctx.fmt)


class Collection(Node, ABC):
    """A collection of entities, filtered, sorted and sliced by the query options."""

    @abstractmethod
    def members(self, ctx: Ctx) -> list[Resource]:
        """Every entity of the collection."""

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        """The member addressed as ``collection(<value>)`` or ``GetById(<value>)``."""
        raise resource_not_found(str(value))

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        """Operations on the collection, such as ``getbytitle``."""
        return {"getbyid": lambda seg: self.by_id(seg.arg("id"), ctx)}

    def child(self, seg: Segment, ctx: Ctx) -> Node:
        route = self.routes(ctx).get(seg.key)
        if route is not None:
            return route(seg)
        raise resource_not_found(seg.name)

    def get(self, ctx: Ctx) -> Response:
        members = self.members(ctx)
        options = ctx.options
        if options.filter is not None:
            members = [m for m in members if options.filter.matches(_getter(m, ctx))]
        for order in reversed(options.orderby):
            members.sort(key=lambda m, o=order: _sort_key(_getter(m, ctx)(o.field)),
                         reverse=order.descending)
        members = members[options.skip:]
        if options.top is not None:
            members = members[:options.top]
        entities = [render(m, ctx, options.select, options.expand) for m in members]
        body = collection_body(entities, ctx.fmt, None, ctx.metadata_url)
        return json_response(body, ctx.fmt)


def _as_node(value: Any) -> Node:
    if isinstance(value, Node):
        return value
    if isinstance(value, list):
        return Listed(value)
    raise not_found()


class Listed(Collection):
    """A navigation property holding a fixed list of entities."""

    def __init__(self, members: list[Resource]) -> None:
        self._members = members

    def members(self, ctx: Ctx) -> list[Resource]:
        return list(self._members)


def _find(table: dict, key: str) -> tuple[str, Any] | None:
    for name, value in table.items():
        if name.lower() == key:
            return name, value
    return None


def _getter(resource: Resource, ctx: Ctx) -> Callable[[str], Any]:
    properties = resource.properties(ctx)
    hidden = resource.hidden(ctx)

    def get(name: str) -> Any:
        for table in (properties, hidden):
            found = _find(table, name.lower())
            if found is not None:
                return found[1]() if callable(found[1]) else found[1]
        raise resource.unknown(name) or no_such_property(name, resource.type_name)

    return get


def _sort_key(value: Any) -> tuple:
    return (value is not None, value.lower() if isinstance(value, str) else value)


def render(resource: Resource, ctx: Ctx, select: Tree, expand: Tree) -> Entity:
    """The entity for ``resource`` with the properties ``select`` and ``expand`` ask for."""
    defaults = resource.properties(ctx)
    hidden = resource.hidden(ctx)
    navigations = resource.navigations(ctx)
    chosen = _chosen(resource, select, [*defaults, *hidden, *navigations])
    props: dict[str, Any] = {}
    for name, value in defaults.items():
        if select.all or name in chosen:
            props[name] = value
    for name, getter in hidden.items():
        if name in chosen:
            props[name] = getter()
    for name, navigation in navigations.items():
        sub, expanded = chosen.get(name), expand.child(name)
        if sub is None and (not select.all or (name in resource.quiet and expanded is None)):
            continue
        props[name] = _navigation(resource, ctx, name, navigation, sub, expanded)
    return Entity(resource.type_name, resource.uri(ctx), props, resource.etag(),
                  resource.entity_id(ctx))


def _chosen(resource: Resource, select: Tree, names: list[str]) -> dict[str, Tree]:
    """The selected property names (exact case first, then any case) and their subtrees."""
    exact = set(names)
    chosen = {}
    for key, (name, sub) in select.children.items():
        canonical = name if name in exact else next((n for n in names if n.lower() == key), None)
        if canonical is not None:
            chosen[canonical] = sub
            continue
        error = resource.unknown(name)
        if error is not None:
            raise error
    return chosen


def _navigation(resource: Resource, ctx: Ctx, name: str, navigation: Nav, chosen: Tree | None,
                expanded: Tree | None) -> Any:
    if expanded is None:
        if chosen is not None and chosen.children:
            first = next(iter(chosen.children.values()))[0]
            raise lookup_not_expanded(f"{name}/{first}", name)
        return Deferred(f"{ctx.api(resource.path(ctx))}/{name}")
    inner = chosen if chosen is not None and chosen.children and not chosen.all else Tree(all=True)
    if chosen is not None and chosen.all and chosen.children:
        inner = chosen
    target = navigation()
    if target is None:
        return None
    if isinstance(target, list):
        return Coll([render(t, ctx, inner, expanded) for t in target])
    return render(target, ctx, inner, expanded)
