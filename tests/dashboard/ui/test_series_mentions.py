"""The chart card's read of a figure's texts."""


def test_plain_layout_is_the_layout_to_json_writes():
    import plotly.graph_objects as go

    from dashboard.charts.figure_dict import trusted_figure
    from dashboard.ui.series_mentions import plain_layout

    layout = {"title": {"text": "T"}, "annotations": [{"text": "a", "showarrow": False}]}
    for figure in (go.Figure(layout=layout), trusted_figure([], layout)):
        assert plain_layout(figure) == figure.to_plotly_json()["layout"]
