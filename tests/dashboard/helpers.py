"""Read Dash component trees in tests without a browser."""

from __future__ import annotations

from collections.abc import Iterator

from dash.development.base_component import Component


def walk(node) -> Iterator[Component]:
    """Every component in the tree, depth first."""
    if isinstance(node, Component):
        yield node
        yield from walk(getattr(node, "children", None))
    elif isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)


def text_of(node) -> str:
    """All text in the tree, joined by spaces."""
    parts: list[str] = []

    def collect(value) -> None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            parts.append(str(value))
        elif isinstance(value, Component):
            collect(getattr(value, "children", None))
        elif isinstance(value, list | tuple):
            for child in value:
                collect(child)

    collect(node)
    return " ".join(parts)


def find(node, component_id: str) -> Component:
    return next(c for c in walk(node) if getattr(c, "id", None) == component_id)
