"""A "Share link" button: the URL holds the whole view, so sharing it is copying it.

The copy happens in the browser (assets/share.js): the clipboard when allowed, otherwise the
address appears in a selected text field to copy by hand. The status line says which, and is
announced to screen readers. Ids are pattern-matched, so the shell and a page may both hold one.
"""

from __future__ import annotations

from dash import MATCH, ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

BUTTON = "lsr-share-button"
STATUS = "lsr-share-status"
FIELD = "lsr-share-field"
WRAPPER = "lsr-share-wrapper"


def share_button(key: str = "page", *, label: str = "Share link") -> html.Div:
    """The button, its status line and the (hidden until needed) address field."""
    field_id = {"type": FIELD, "key": key}
    return html.Div(
        [
            html.Button(
                [html.I(className="bi bi-link-45deg me-1", **{"aria-hidden": "true"}), label],
                id={"type": BUTTON, "key": key},
                type="button",
                className="btn btn-outline-dark btn-sm lsr-share-button",
                title="Copy the address of this view, with all its choices, to the clipboard",
            ),
            html.Span(
                id={"type": STATUS, "key": key},
                className="lsr-share-status small ms-2",
                role="status",
                **{"aria-live": "polite"},
            ),
            html.Div(
                [
                    html.Label(
                        [
                            "Link to this view",
                            dcc.Input(
                                id=field_id,
                                type="text",
                                readOnly=True,
                                className="form-control form-control-sm",
                                debounce=True,
                            ),
                        ],
                        className="small w-100",
                    ),
                ],
                id={"type": WRAPPER, "key": key},
                className="lsr-share-field mt-1",
                style={"display": "none"},
                **{"data-lsr-share-field": key},
            ),
        ],
        className="lsr-share d-print-none",
    )


clientside_callback(
    ClientsideFunction(namespace="lsr", function_name="copyLink"),
    Output({"type": STATUS, "key": MATCH}, "children"),
    Output({"type": FIELD, "key": MATCH}, "value"),
    Output({"type": WRAPPER, "key": MATCH}, "style"),
    Input({"type": BUTTON, "key": MATCH}, "n_clicks"),
    State({"type": WRAPPER, "key": MATCH}, "id"),
    prevent_initial_call=True,
)
