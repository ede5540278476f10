"""Which recent-change marker a series gets, decided once for tiles, the explorer and the CLI.

Fingertips tests trends only on non-overlapping annual periods: a proportion with counts gets its
chi-square test for trend, any other metric the weighted regression on its intervals. Monthly and
quarterly series get an SPC chart instead (Making Data Count variation and, where the catalogue
has a target, assurance); rolling and snapshot periods overlap or do not follow one another, so
they get neither.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries import stats
from queries.catalogue import SPC_PERIOD_TYPES, Metric
from queries.series_columns import SeriesColumns, as_columns
from queries.stats.trend import PROPORTION

ANNUAL_PERIOD_TYPES = ("financial_year",)
SPC_MIN_POINTS = 10
TREND = "trend"
SPC = "spc"
NONE = "none"
PERIOD_WORDS = {"month": "Monthly", "quarter": "Quarterly"}
VARIATION_WORDS = {
    "common_cause": "common cause variation",
    "improvement_high": "special cause improvement (high)",
    "improvement_low": "special cause improvement (low)",
    "concern_high": "special cause concern (high)",
    "concern_low": "special cause concern (low)",
    "neither_high": "special cause variation, neither better nor worse (high)",
    "neither_low": "special cause variation, neither better nor worse (low)",
}
ASSURANCE_KEYS = {
    "consistently pass": "pass",
    "consistently fail": "fail",
    "hit and miss": "hit_and_miss",
}
ASSURANCE_WORDS = {
    "pass": "will consistently meet the target",
    "fail": "will consistently miss the target",
    "hit_and_miss": "will sometimes meet and sometimes miss the target",
}


@dataclass(frozen=True)
class RecentChange:
    """``kind`` is "trend" (Fingertips), "spc" (Making Data Count) or "none"; ``text`` is the
    sentence shown where the trend arrow would be."""

    kind: str
    text: str
    direction: str | None = None  # trend: increasing / decreasing / no significant change / …
    method: str | None = None  # trend: which Fingertips test
    variation: str | None = None  # spc: one of stats.VARIATION_ICON_KEYS, None if too short
    assurance: str | None = None  # spc: pass / fail / hit_and_miss, None without a target


def recent_change(
    frame: pd.DataFrame | SeriesColumns, metric: Metric, period_type: str
) -> RecentChange:
    """The marker for a judged series (area_value, area_lower/upper, area_numerator/denominator)
    of one period type, ordered oldest first (a frame, or its columns as arrays)."""
    if period_type in ANNUAL_PERIOD_TYPES:
        return _trend(as_columns(frame), metric)
    if period_type in SPC_PERIOD_TYPES:
        return _spc(as_columns(frame), metric, period_type)
    reason = (
        "rolling 12-month periods overlap"
        if period_type == "rolling_12m"
        else "snapshots are not successive periods"
    )
    return RecentChange(NONE, f"No trend test: {reason} (Fingertips tests annual periods only).")


def fingertips_trend(frame: pd.DataFrame | SeriesColumns, metric: Metric) -> stats.TrendResult:
    """The proportion test where the metric is a proportion with counts, else the regression."""
    series = as_columns(frame)
    if metric.ci_method == "wilson" and "area_numerator" in series and "area_denominator" in series:
        numerator = series.floats("area_numerator")
        denominator = series.floats("area_denominator")
        if (~np.isnan(numerator)).any() and (~np.isnan(denominator)).any():
            return stats.proportion_trend(numerator, denominator)
    if "area_lower" not in series or "area_upper" not in series:
        return stats.TrendResult("not enough data", np.nan, np.nan, np.nan, 0)
    return stats.recent_trend(
        series.floats("area_value"), series.floats("area_lower"), series.floats("area_upper")
    )


def _trend(frame: SeriesColumns, metric: Metric) -> RecentChange:
    if frame.empty:
        return RecentChange(
            TREND, "Trend: not enough data (no values)", direction="not enough data"
        )
    result = fingertips_trend(frame, metric)
    if result.direction == "not enough data":
        needs = (
            "counts for each of the last 5 years"
            if result.method == PROPORTION
            else "5 years with confidence intervals"
        )
        text = f"Trend: not enough data (needs {needs})"
    else:
        text = f"Trend: {result.direction}{_meaning(result.direction, metric.polarity)}"
    return RecentChange(TREND, text, direction=result.direction, method=result.method)


def _spc(frame: SeriesColumns, metric: Metric, period_type: str) -> RecentChange:
    """Variation of the latest point (and assurance against a target) from an XmR chart."""
    series = "monthly" if period_type == "month" else "quarterly"
    lead = f"{PERIOD_WORDS[period_type]} series: SPC instead of a trend test"
    values = frame.floats("area_value") if not frame.empty else np.empty(0)
    values = values[~np.isnan(values)]
    if len(values) < SPC_MIN_POINTS:
        return RecentChange(
            SPC, f"{lead}; too few {series} values for an SPC chart ({len(values)})."
        )
    chart = stats.xmr_latest(np.asarray(values))
    variation = stats.variation_icon_key(chart, metric.polarity)
    assurance = None
    words = f"{lead}: {VARIATION_WORDS[variation]}"
    if metric.target is not None:
        assurance = ASSURANCE_KEYS.get(
            stats.assurance_icon(chart, metric.target.value, metric.polarity)
        )
        if assurance:
            target_text = metric.format_value(metric.target.value)
            words += f"; the process {ASSURANCE_WORDS[assurance]} ({target_text})"
    return RecentChange(SPC, words + ".", variation=variation, assurance=assurance)


def _meaning(direction: str, polarity: str) -> str:
    if polarity == "context" or direction not in ("increasing", "decreasing"):
        return ""
    better = (direction == "increasing") == (polarity == "higher_is_better")
    return ", getting better" if better else ", getting worse"
