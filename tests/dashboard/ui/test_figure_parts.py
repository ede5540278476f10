"""A figure's traces and layout read as dicts, the same from a trusted figure (without
building it) as from a validated one."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.charts.frame import trusted_figure
from dashboard.ui.figure_parts import figure_parts
from tests.dashboard.charts.test_frame_trusted_figure import trend_dicts


def test_trusted_and_built_figures_read_the_same():
    data, layout = trend_dicts()
    trusted = trusted_figure(data, layout)
    traces, trusted_layout = figure_parts(trusted)
    assert [t["name"] for t in traces] == ["Area", "Counts"]
    assert trusted_layout["meta"] == {"message": "m"}
    assert trusted.trusted_parts is not None  # read without building it
    built_traces, built_layout = figure_parts(go.Figure(data=data, layout=layout))
    assert [t["name"] for t in built_traces] == ["Area", "Counts"]
    assert built_layout["title"]["subtitle"]["text"] == "s"
    assert built_layout["annotations"][0]["text"] == "note"
    trusted.update_layout(height=300)  # built: its plotly state is read from here on
    assert figure_parts(trusted)[1]["height"] == 300


def test_the_layout_read_is_the_layout_to_json_writes():
    layout = {"title": {"text": "T"}, "annotations": [{"text": "a", "showarrow": False}]}
    for figure in (go.Figure(layout=layout), trusted_figure([], layout)):
        assert figure_parts(figure)[1] == figure.to_plotly_json()["layout"]
