"""The explorer's SPC view: an XmR chart of the area's plotted periods with Making Data Count
flags, the variation and assurance icons of the latest point, the baseline the limits come
from, where they are rebased, whether moving-range outliers are screened, and a target line
where the catalogue has one."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.charts import spc
from dashboard.explore.view import csv_document
from dashboard.series_view import ExplorerView
from dashboard.spc import model as spc_model
from queries import stats
from queries.catalogue import SPC_PERIOD_TYPES

MIN_POINTS = spc_model.MIN_POINTS
EXPORT_COLUMNS = spc_model.EXPORT_COLUMNS


@dataclass(frozen=True)
class SpcView:
    explorer: ExplorerView
    chart: pd.DataFrame  # xmr rows with period_label, period_start, category, rules_text
    baseline_points: int | None  # None: the limits come from every plotted point
    message: str | None = None  # why there is no chart
    notes: tuple[str, ...] = ()
    rebased_at: tuple[str, ...] = ()  # period labels where a new segment starts
    screened: bool = False  # moving-range outliers left out of the limits

    @property
    def title(self) -> str:
        return f"{self.explorer.what} — {self.explorer.area_name}: SPC chart (XmR)"

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
            if self.rebased_at:
                parts.append(f"rebased at {', '.join(self.rebased_at)}")
            parts.append(self.screening_text)
        return " · ".join(parts)

    @property
    def screening_text(self) -> str:
        return (
            "moving-range outliers screened"
            if self.screened
            else "moving-range outliers not screened"
        )

    @property
    def variation_icon(self) -> str | None:
        """The latest point's icon key with its side, e.g. "concern_high"."""
        return spc_model.variation_icon(self.chart, self.explorer.metric)

    @property
    def assurance_icon(self) -> str | None:
        """pass / fail / hit_and_miss against the catalogue's target; None without one."""
        return spc_model.assurance_icon(self.chart, self.explorer.metric)

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
            target=view.metric.target.value if view.metric.target else None,
            target_label=view.metric.target.label if view.metric.target else "Target",
            variation_icon=self.variation_icon,
            assurance_icon=self.assurance_icon,
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
                "rebased at": ", ".join(self.rebased_at) or "not rebased",
                "moving ranges": self.screening_text,
                **(
                    {"target": self.explorer.metric.target.label}
                    if self.explorer.metric.target
                    else {}
                ),
            },
        )


def spc_view(view: ExplorerView) -> SpcView:
    """The XmR chart of the plotted periods, with ``view.state``'s baseline, rebase points and
    outlier screening."""
    state = view.state
    metric = view.metric
    period_type = state.period_type
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
    wanted = state.baseline_points
    baseline = wanted if wanted and wanted < len(present) else None
    if wanted and baseline is None:
        notes.append(
            f"Only {len(present)} periods: the limits use all of them, not the first {wanted}."
        )
    chart, labels = spc_model.spc_chart(
        present,
        metric.polarity,
        baseline=baseline,
        rebase=state.rebase,
        screen=state.screen,
        notes=notes,
    )
    return SpcView(
        view,
        chart,
        baseline,
        notes=tuple(notes),
        rebased_at=labels,
        screened=state.screen,
    )
