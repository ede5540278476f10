"""The explorer's SPC view: an XmR chart of the area's plotted periods with Making Data Count
flags, the variation category of the latest point and the baseline the limits come from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.charts import spc
from dashboard.views.explorer import ExplorerView, csv_document
from dashboard.views.explorer_state import ViewOptions
from queries import stats
from queries.catalogue import SPC_PERIOD_TYPES

MIN_POINTS = 10
RULE_WORDS = {
    "beyond_limits": "a point beyond a process limit",
    "shift": "a run of 7 or more on one side of the mean",
    "trend": "7 or more consecutive rises or falls",
    "two_in_three": "2 of 3 points beyond the same 2σ line",
}
EXPORT_COLUMNS = (
    "period_label",
    "period_start",
    "value",
    "mean",
    "lower_limit",
    "upper_limit",
    "lower_two_sigma",
    "upper_two_sigma",
    "special_cause",
    "category",
    "rules",
    "is_synthetic",
)


@dataclass(frozen=True)
class SpcView:
    explorer: ExplorerView
    chart: pd.DataFrame  # xmr rows with period_label, period_start, category, rules_text
    baseline_points: int | None  # None: the limits come from every plotted point
    message: str | None = None  # why there is no chart
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.explorer.metric.short} — {self.explorer.area_name}: SPC chart (XmR)"

    @property
    def subtitle(self) -> str:
        parts = [self.explorer.unit, text.period_type_name(self.explorer.state.period_type)]
        if not self.chart.empty:
            labels = self.chart["period_label"]
            parts.append(f"{labels.iloc[0]} to {labels.iloc[-1]}")
            points = self.baseline_points or len(self.chart)
            parts.append(
                f"limits from the first {points} periods"
                if self.baseline_points
                else "limits from all periods"
            )
        return " · ".join(parts)

    @property
    def synthetic(self) -> bool:
        return bool(not self.chart.empty and self.chart["is_synthetic"].any())

    @property
    def latest_category(self) -> str | None:
        """Making Data Count's variation icon for the latest point, read with the polarity."""
        if self.chart.empty:
            return None
        return stats.variation_icon(self.chart, self.explorer.metric.polarity)

    def summary(self) -> str | None:
        """Why the latest point has its variation category, and the process it belongs to."""
        if self.chart.empty:
            return None
        latest = self.chart.iloc[-1]
        metric = self.explorer.metric
        lower, upper = (metric.format_value(latest[c]) for c in ("lower_limit", "upper_limit"))
        limits = f"Process mean {metric.format_value(latest['mean'])}, limits {lower} to {upper}"
        if self.latest_category == spc.COMMON:
            what = "nothing unusual: the latest point is within the process's usual variation"
        else:
            side = "high" if latest["direction"] == "high" else "low"
            what = (
                f"the latest point is part of an unusually {side} pattern: {latest['rules_text']}"
            )
        return f"{latest['period_label']}, {what}. {limits}."

    def figure(self) -> go.Figure:
        view = self.explorer
        spec = spc.SpcSpec(
            title=self.title,
            subtitle=self.subtitle,
            source_note=view.source_note(
                synthetic=self.synthetic, comparators="not used in SPC charts"
            ),
            decimals=view.metric.decimals,
            percent=view.metric.is_percentage,
            context=view.metric.polarity == "context",
            baseline_points=self.baseline_points,
            empty_message=self.message or "",
        )
        return spc.build(self.chart, spec=spec)

    def csv_text(self) -> str:
        columns = [c for c in EXPORT_COLUMNS if c in self.chart.columns]
        baseline = (
            f"first {self.baseline_points} periods" if self.baseline_points else "all periods"
        )
        return csv_document(
            self.explorer,
            self.chart[columns],
            title=self.title,
            synthetic=self.synthetic,
            extra={
                "chart": "XmR (individuals) chart, limits = mean ± 2.66 × mean moving range",
                "baseline": baseline,
            },
        )


def spc_view(view: ExplorerView, options: ViewOptions) -> SpcView:
    metric = view.metric
    period_type = view.state.period_type
    if not metric.spc or period_type not in SPC_PERIOD_TYPES:
        available = "monthly or quarterly" if metric.spc else "no monthly or quarterly"
        hint = (
            " Choose Monthly or Quarterly under Periods." if metric.spc else " Try the Trend view."
        )
        return SpcView(
            view,
            pd.DataFrame(),
            None,
            message=(
                "SPC charts need a monthly or quarterly series; this shows "
                f"{text.period_type_name(period_type).lower()} and {metric.short} has "
                f"{available} data.{hint}"
            ),
        )
    frame = view.frame
    present = frame[frame["area_value"].notna()] if not frame.empty else frame
    if len(present) < MIN_POINTS:
        return SpcView(
            view,
            pd.DataFrame(),
            None,
            message=(
                f"An SPC chart needs at least {MIN_POINTS} periods with a value for "
                f"{view.area_name}; the chosen range has {len(present)}."
            ),
        )
    notes = []
    dropped = frame.loc[frame["area_value"].isna(), "period_label"].tolist()
    if dropped:
        notes.append(f"Left out (suppressed or missing): {', '.join(dropped)}.")
    wanted = options.baseline_points
    baseline = wanted if wanted and wanted < len(present) else None
    if wanted and baseline is None:
        notes.append(
            f"Only {len(present)} periods: the limits use all of them, not the first {wanted}."
        )
    chart = stats.xmr(present["area_value"].astype(float).to_numpy(), baseline)
    chart.index = present.index
    chart["period_label"] = present["period_label"]
    chart["period_start"] = present["period_start"]
    chart["is_synthetic"] = present["is_synthetic"]
    chart["category"] = _categories(chart, metric.polarity)
    chart["rules_text"] = [
        "; ".join(RULE_WORDS[r] for r in rules.split(",") if r) for rules in chart["rules"]
    ]
    return SpcView(view, chart.reset_index(drop=True), baseline, notes=tuple(notes))


def _categories(chart: pd.DataFrame, polarity: str) -> np.ndarray:
    """Each point's variation category, read with the metric's polarity."""
    special = chart["special_cause"].to_numpy(dtype=bool)
    high = (chart["direction"] == "high").to_numpy()
    if polarity == "context":
        return np.where(special, spc.NEITHER, spc.COMMON)
    improving = high == (polarity == "higher_is_better")
    return np.select([~special, improving], [spc.COMMON, spc.IMPROVEMENT], default=spc.CONCERN)
