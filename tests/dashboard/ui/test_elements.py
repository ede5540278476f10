"""``element`` makes the component its Dash constructor makes, and serialises it the same."""

from __future__ import annotations

import json

import pytest
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard.ui.elements import element

CASES = [
    (html.Span, "text", {"className": "lsr-tile-value"}),
    (html.Span, None, {"className": "x", "aria-hidden": "true", "data-kind": "y"}),
    (html.P, ["a", html.Br(), "b"], {"className": "small mb-1", "title": None}),
    (html.Div, html.P("inner"), {"className": "card", "role": "figure"}),
    (html.H3, "Heading", {"className": "h6", "title": "Full title"}),
    (html.Img, None, {"src": "data:,", "alt": "words", "width": 28, "height": 28}),
    (html.Ul, [html.Li("one")], {"className": "lsr-tile-links"}),
    (html.Li, "item", {}),
    (html.Br, None, {}),
    (html.A, ["How?", html.Span(" (x)")], {"href": "/methods#m", "className": "link"}),
    (dcc.Link, ["Explore", html.Span(": x")], {"href": "/metric/x", "className": "link"}),
]


@pytest.mark.parametrize(("kind", "children", "props"), CASES)
def test_the_same_component_as_the_constructor_makes(kind, children, props):
    made = element(kind, children, **props)
    expected = kind(children, **props)
    assert type(made) is kind
    assert vars(made) == vars(expected)
    assert made.to_plotly_json() == expected.to_plotly_json()
    # parsed: the constructor orders data-/aria- props as a set does (varies by process)
    assert json.loads(to_json_plotly(made)) == json.loads(to_json_plotly(expected))


def test_a_prop_the_component_lacks_is_refused():
    with pytest.raises(TypeError, match="classname"):
        element(html.Span, "text", classname="x")
    with pytest.raises(TypeError, match="aria-label"):
        element(dcc.Link, "text", href="/x", **{"aria-label": "no wildcards on links"})
