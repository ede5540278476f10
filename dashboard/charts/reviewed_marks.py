"""The mark of a reviewed area (one of the 20) on a chart of every council: an open square
around its point, with one legend entry, so the ranking and the funnel mark them alike."""

from __future__ import annotations

import pandas as pd

from dashboard import theme

REVIEWED_NAME = "Reviewed areas"


def reviewed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of reviewed areas (none when the frame does not say)."""
    if frame.empty or "reviewed" not in frame:
        return frame.iloc[0:0]
    return frame[frame["reviewed"].fillna(False).astype(bool)]


def reviewed_trace(x, y, *, size: int) -> dict:
    """Open squares at (x, y), a little larger than the points they surround; hover stays
    with the point underneath (a trace dict: ``frame.trusted_figure`` takes it as it
    is, ``go.Figure.add_trace`` validates it)."""
    return dict(
        type="scatter",
        x=list(x),
        y=list(y),
        mode="markers",
        name=REVIEWED_NAME,
        marker=dict(symbol="square-open", size=size, color=theme.REVIEWED, line=dict(width=2)),
        hoverinfo="skip",
    )
