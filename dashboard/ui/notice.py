"""The shell's notice area: why a URL parameter was ignored and what is shown instead.

Each page puts its notices in a Store; one shell callback shows them, so a bad link still
lands on a working page with a visible, dismissible explanation instead of an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

PAGE_NOTICES = "page-notices"
NOTICE_AREA = "url-notice"


def page_notices(messages: Sequence[str]) -> dcc.Store:
    """Every page includes this, even with no messages, so old notices are cleared."""
    return dcc.Store(id=PAGE_NOTICES, data=list(messages))


def notice_area() -> html.Div:
    return html.Div(id=NOTICE_AREA, role="status", **{"aria-live": "polite"})


def notice(messages: Sequence[str] | None) -> dbc.Alert | None:
    if not messages:
        return None
    body = [html.Strong("Some of the link could not be used. ")]
    body += [html.Span(message + " ") for message in messages]
    return dbc.Alert(
        body, color="warning", dismissable=True, is_open=True, className="lsr-notice mb-3"
    )


@callback(Output(NOTICE_AREA, "children"), Input(PAGE_NOTICES, "data"))
def _show(messages: list[str] | None) -> dbc.Alert | None:
    return notice(messages)
