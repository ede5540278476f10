"""The family pages (hospital activity, delayed transfers, social care, continuing healthcare,
care services and ratings), each registered from its definition in families/definitions.py:
a page's path and name are written there once, and its navigation link, browser title and
cached-answer key follow from the registration."""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import html

from dashboard import context
from dashboard.families.definitions import PAGES
from dashboard.families.layout import family_layout
from dashboard.families.state import QUERY_PARAMETERS
from dashboard.families.view import warm
from dashboard.serving import warm_lookups
from dashboard.ui.page import page_title, unpublished

FIRST_ORDER = 3  # in the navigation after Select areas, Area profile and the Metric explorer


def _layout_for(family: str) -> Callable[..., html.Div]:
    def layout(**query: object) -> html.Div:
        if (missing := unpublished(context.store())) is not None:
            return missing
        return family_layout(family, query)

    return layout


for order, spec in enumerate(PAGES.values(), start=FIRST_ORDER):
    dash.register_page(
        f"{__name__}.{spec.family}",
        path=spec.path,
        name=spec.name,
        title=page_title(spec.name),
        order=order,
        layout=_layout_for(spec.family),
        reads=QUERY_PARAMETERS,
        shows_area=True,
    )

warm_lookups.register(warm)
