"""What every page layout shares: the notices store, the page actions row (a Share link on
every page, plus any buttons the page adds) and the clear page each layout returns first when
no data exists."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard.ui.notice import page_notices
from dashboard.ui.share import share_button
from queries.store import DataNotPublishedError, DataStore

ACTIONS = "lsr-page-actions"
SERVICE_NAME = "LSR Explorer"


def page_title(name: str) -> str:
    """A page's browser title: its name, then the service's."""
    return f"{name} – {SERVICE_NAME}"


def page(
    *children,
    notices: list[str] | None = None,
    actions: Sequence = (),
    share: bool = True,
) -> html.Div:
    """A page body; always carries its notices (possibly none) for the shell to show and,
    unless ``share`` is off, the Share link (the URL holds the view) before ``actions``."""
    row = [share_button("page")] if share else []
    row.extend(actions)
    top = [html.Div(row, className=f"{ACTIONS} d-print-none")] if row else []
    return html.Div([page_notices(notices or []), *top, *children])


def unpublished(store: DataStore) -> html.Div | None:
    """The "No data yet" page when nothing has been published, else None. Every layout
    returns it first, so a fresh install explains itself (run ``lsr demo``) instead of
    failing; a plain call rather than a wrapper, so it is not on the stack while a page
    builds its charts."""
    try:
        store.version  # noqa: B018 - reading it is the check: CURRENT names a version
    except DataNotPublishedError as error:
        return page(html.H1("No data yet"), dbc.Alert(str(error), color="info"), share=False)
    return None
