"""The metric explorer's exports: exactly the rows a view plots, as CSV after the '#' lines
saying what they are and where from. The view itself (``series_view``) is shared with the data
profile."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.series_view import ExplorerView
from dashboard.ui.csv_export import provenance_csv, synthetic_text

EXPORT_COLUMNS = (
    "period_label",
    "period_start",
    "area_value",
    "area_lower",
    "area_upper",
    "area_suppressed",
    "comparator_mean",
    "comparator_min",
    "comparator_max",
    "comparator_n",
    "comparator_expected",
    "england_value",
    "england_lower",
    "england_upper",
    "is_synthetic",
)


def csv_text(view: ExplorerView) -> str:
    """Exactly the plotted rows, after '#' lines saying what they are and where from."""
    columns = [c for c in EXPORT_COLUMNS if c in view.frame.columns]
    return csv_document(view, view.frame[columns])


def csv_document(
    view: ExplorerView,
    rows: pd.DataFrame,
    *,
    title: str | None = None,
    synthetic: bool | None = None,
    vintage: str | None = None,
    extra: dict[str, str] | None = None,
) -> str:
    """``rows`` as CSV after the '#' metadata lines every explorer export carries; the other
    views pass their own title, flags and extra lines (period, baseline…)."""
    synthetic = view.synthetic if synthetic is None else synthetic
    metadata = {
        "title": title or view.title,
        "metric": f"{view.metric.id} — {view.metric.title}",
        "area": f"{view.area_name} ({view.state.area})",
        "unit": view.unit,
        "period type": view.state.period_type,
        **({"breakdown": view.breakdown_text} if view.breakdown_text else {}),
        **(extra or {}),
        "comparator method": view.state.method,
        "comparator": f"mean and min–max of {view.comparator_text}",
        "source": view.source_name,
        "vintage": vintage or view.vintage,
        "synthetic data": synthetic_text(synthetic),
        "licence": view.licence,
    }
    return provenance_csv(metadata, rows)


def snap_range(view: ExplorerView) -> tuple[date | None, date | None]:
    """The first and last plotted period starts, for the period pickers."""
    if view.frame.empty:
        return None, None
    return view.frame["period_start"].iloc[0], view.frame["period_start"].iloc[-1]
