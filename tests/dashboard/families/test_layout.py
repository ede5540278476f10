"""The family pages' controls: what a page shows and hides."""

from __future__ import annotations

import dataclasses

from dash.development.base_component import Component

from dashboard import reference
from dashboard.families import layout
from tests.dashboard.families.test_pages import view_for
from tests.dashboard.helpers import walk


def _wrapper_of(tree: Component, control_id: str) -> Component:
    """The labelled block holding the control: the element a page hides."""
    return next(
        c
        for c in walk(tree)
        if any(getattr(child, "id", None) == control_id for child in _children(c))
    )


def _children(component: Component) -> list:
    children = getattr(component, "children", None)
    return children if isinstance(children, list) else [children]


def test_the_range_pickers_show_when_the_family_has_periods(family_store):
    view = view_for(family_store, "hospital")
    controls = layout.controls(view, choices=reference.choices())
    for control in ("family-from", "family-to"):
        assert getattr(_wrapper_of(controls, control), "style", None) != layout.HIDDEN


def test_the_range_pickers_hide_when_the_family_has_no_periods(family_store):
    view = view_for(family_store, "hospital")
    empty = dataclasses.replace(view, options=dataclasses.replace(view.options, starts={}))
    controls = layout.controls(empty, choices=reference.choices())
    for control in ("family-from", "family-to"):
        assert getattr(_wrapper_of(controls, control), "style", None) == layout.HIDDEN
