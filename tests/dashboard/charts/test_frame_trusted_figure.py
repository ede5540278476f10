"""Figures from dicts without validation serialise as the validated figure does."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.frame import trusted_figure


def as_json(figure: go.Figure) -> object:
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


def test_the_template_named_is_expanded_as_validation_expands_it():
    # Given a trace and a layout naming the app's template by string
    data = [dict(type="scatter", x=np.array([1.0, 2.0]), y=[3, 4], name="a")]
    layout = dict(template=theme.TEMPLATE_NAME, height=300, annotations=[dict(text="n")])
    # When wrapped without validation
    figure = trusted_figure(data, layout)
    # Then it is what go.Figure makes of the same dicts, template included
    assert as_json(figure) == as_json(go.Figure(data=data, layout=layout))
    assert figure.layout.template.layout.font.family == theme.FONT_FAMILY
    assert figure.data[0].name == "a"


def trend_dicts() -> tuple[list[dict], dict]:
    data = [
        dict(
            type="scatter",
            x=["2016/17", "2017/18"],
            y=pd.Series([1.5, np.nan]),
            name="Area",
            line=dict(color="#000", width=2),
            error_y=dict(type="data", array=np.array([0.1, 0.2]), arrayminus=[0.1, 0.2]),
        ),
        dict(type="bar", x=np.array([1, 2]), y=np.array([3, 300]), name="Counts"),
    ]
    layout = dict(
        template=theme.TEMPLATE_NAME,
        title=dict(text="<b>T</b>", subtitle=dict(text="s")),
        xaxis=dict(range=np.array([0.0, 1.0])),
        annotations=[dict(text="note")],
        meta={"message": "m"},
    )
    return data, layout


def test_a_trusted_figure_serialises_before_it_is_built_as_after():
    # Given a trusted figure of series, arrays (floats, ints, in nested dicts) and a range
    data, layout = trend_dicts()
    figure = trusted_figure(data, layout)
    # When it is serialised from its dicts, then built (by reading it) and serialised again
    unbuilt = json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
    assert figure.data[1].name == "Counts"
    built = json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)
    # Then both are the same, and the same as the validated figure's
    assert unbuilt == built
    validated = go.Figure(data=data, layout=layout)
    assert json.loads(unbuilt) == json.loads(
        json.dumps(validated, cls=plotly.utils.PlotlyJSONEncoder)
    )
    assert '"bdata"' in unbuilt  # arrays go as base64, as plotly sends them


def test_a_trusted_figure_builds_when_changed_and_copies():
    figure = trusted_figure(*trend_dicts())
    figure.update_layout(height=321)
    assert figure.layout.height == 321
    assert figure.to_plotly_json()["layout"]["height"] == 321
    copied = copy.deepcopy(trusted_figure(*trend_dicts()))
    assert copied.data[0].name == "Area"
    assert copied.layout.title.subtitle.text == "s"


def test_the_dicts_are_kept_until_the_figure_is_built():
    data, layout = trend_dicts()
    figure = trusted_figure(data, layout)
    assert figure.trusted_parts[0][0] is data[0]  # the dicts themselves, not built
    assert figure.layout.meta == {"message": "m"}  # reading an attribute builds it
    assert figure.trusted_parts is None


def test_the_keys_left_as_they_are_include_every_key_plotly_leaves():
    from _plotly_utils.utils import is_skipped_key

    from dashboard.charts.frame import AS_IS

    assert all(is_skipped_key(key) for key in AS_IS - {"template"})
    assert not is_skipped_key("x") and "x" not in AS_IS
    # a range given as an array stays a list, as plotly leaves it
    figure = trusted_figure(
        [dict(type="scatter", y=[1.0])], dict(xaxis=dict(range=np.array([0.0, 1.0])))
    )
    assert as_json(figure)["layout"]["xaxis"]["range"] == [0.0, 1.0]


def test_traces_sharing_a_list_serialise_it_in_each():
    labels = ["a", "b"]
    data = [dict(type="scatter", x=labels, y=np.array([1.0, 2.0])) for _ in range(3)]
    layout = dict(template=theme.TEMPLATE_NAME, xaxis=dict(categoryarray=labels))
    found = as_json(trusted_figure(data, layout))
    assert [trace["x"] for trace in found["data"]] == [labels] * 3
    assert found == as_json(go.Figure(data=data, layout=layout))
