"""Figures from dicts without validation serialise as the validated figure does."""

from __future__ import annotations

import json

import numpy as np
import plotly
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.figure_dict import trusted_figure


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
