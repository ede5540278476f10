"""Dash components made without their generated constructors' per-call work.

A Dash component's constructor inspects its arguments every time (which were given, whether
each names a prop, the package version for an error message it may never raise): ~7 µs, and
an area profile makes ~1,400 components. ``element`` makes the same component, with the same
attributes, so it serialises exactly as the constructor's does, checking only that each prop
is one the component has. The tests hold it to the constructor.
"""

from __future__ import annotations

from functools import cache

from dash import dcc
from dash.development.base_component import Component

CONSTANT_ATTRIBUTES = (  # what a generated constructor sets the same on every instance
    "_prop_names",
    "_valid_wildcard_attributes",
    "available_properties",
    "available_wildcard_properties",
)
REQUIRED = {dcc.Link: {"href": ""}}  # a sample needs them to be made


@cache
def _blueprint(kind: type[Component]) -> tuple[dict, frozenset[str], tuple[str, ...]]:
    """The constant attributes of ``kind``, its props and its wildcard prefixes (data-, …)."""
    sample = kind(**REQUIRED.get(kind, {}))
    constant = {name: getattr(sample, name) for name in CONSTANT_ATTRIBUTES}
    return constant, frozenset(sample._prop_names), tuple(sample._valid_wildcard_attributes)


def element(kind: type[Component], children: object = None, **props: object) -> Component:
    """``kind(children, **props)`` (e.g. ``element(html.Span, "text", className="x")``)."""
    constant, names, wildcards = _blueprint(kind)
    for name in props:
        if name not in names and not (wildcards and name.startswith(wildcards)):
            raise TypeError(f"{kind.__name__} has no prop {name!r}")
    component = object.__new__(kind)
    attributes = component.__dict__
    attributes.update(constant)
    attributes["children"] = children
    attributes.update(props)
    return component
