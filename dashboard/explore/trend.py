"""The sentence above the trend chart: the latest value with its interval, how it compares
with England and the comparators (in words, with the verdict's colour), the recent trend and
how long the difference has lasted."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.series_view import ExplorerView
from queries import judgements
from queries.recent_change import TREND, RecentChange, recent_change
from queries.stats.significance import NOT_COMPARED
from queries.stats.trend import TREND_POINTS

BENCHMARKS = (
    ("england_value", "vs_england", "England"),
    ("comparator_mean", "vs_comparator", "comparators"),
)
ARROWS = {"increasing": "↑", "decreasing": "↓", "no significant change": "→"}


@dataclass(frozen=True)
class Statement:
    """One judgement in words and the verdict that colours it (better, similar, worse or
    not compared)."""

    text: str
    verdict: str


@dataclass(frozen=True)
class TrendSummary:
    latest: str  # "2017/18 Q4: 6,512 (95% CI 6,301–6,730)"
    comparisons: list[Statement]
    trend: Statement
    runs: list[str]  # "Significantly higher than England for the last 6 periods"
    note: str | None = None  # e.g. the latest period is suppressed


def comparison_text(direction: str, verdict: str, benchmark: str) -> str:
    """ "Significantly higher than England (worse)", "Similar to comparators", …"""
    if direction == NOT_COMPARED:
        return f"Not compared with {benchmark} (no confidence interval)"
    if direction == "similar":
        return f"Similar to {benchmark} (not significantly different)"
    judged = f" ({verdict})" if verdict in ("better", "worse") else ""
    return f"Significantly {direction} than {benchmark}{judged}"


def run_text(direction: str, run: int, benchmark: str) -> str | None:
    if direction == NOT_COMPARED or run < 1:
        return None
    relation = "similar to" if direction == "similar" else f"significantly {direction} than"
    when = "in the latest period" if run == 1 else f"for the last {run} periods in a row"
    return f"{relation.capitalize()} {benchmark} {when}."


def trend_statement(direction: str, polarity: str) -> Statement:
    """The Fingertips trend in words; a rise or fall reads as better or worse by polarity."""
    if direction == "not enough data":
        return Statement(
            f"No trend: needs {TREND_POINTS} periods with confidence intervals", NOT_COMPARED
        )
    arrow = ARROWS[direction]
    if direction == "no significant change":
        return Statement(
            f"{arrow} No significant change over the last {TREND_POINTS} periods", "similar"
        )
    rising = direction == "increasing"
    if polarity == "context":
        return Statement(
            f"{arrow} {direction.capitalize()} over the last {TREND_POINTS} periods", NOT_COMPARED
        )
    better = rising == (polarity == "higher_is_better")
    verdict = "better" if better else "worse"
    words = f"{direction.capitalize()} and getting {verdict}"
    return Statement(f"{arrow} {words} over the last {TREND_POINTS} periods", verdict)


def change_statement(change: RecentChange, polarity: str) -> Statement:
    """The trend statement for annual series; for others, why SPC (or nothing) stands in."""
    if change.kind == TREND and change.direction != "not enough data":
        return trend_statement(change.direction, polarity)
    if change.kind == TREND:
        return Statement(change.text.replace("Trend: ", "No trend: "), NOT_COMPARED)
    return Statement(change.text.rstrip(".") + ".", NOT_COMPARED)


def trend_summary(view: ExplorerView) -> TrendSummary | None:
    """None when the area has no value in the plotted periods."""
    frame = view.frame
    if frame.empty or "area_value" not in frame:
        return None
    with_values = frame[frame["area_value"].notna()]
    if with_values.empty:
        return None
    latest = with_values.iloc[-1]
    metric = view.metric
    interval = ""
    if pd.notna(latest.get("area_lower")) and pd.notna(latest.get("area_upper")):
        interval = (
            f" (95% CI {metric.format_value(latest['area_lower'])}"
            f"–{metric.format_value(latest['area_upper'])})"
        )
    comparisons = []
    runs = []
    for benchmark, verdict_column, name in BENCHMARKS:
        direction, run = judgements.consistency(with_values, benchmark)
        latest_direction = direction if run else NOT_COMPARED
        comparisons.append(
            Statement(
                comparison_text(
                    latest_direction, str(latest.get(verdict_column, NOT_COMPARED)), name
                ),
                str(latest.get(verdict_column, NOT_COMPARED)),
            )
        )
        sentence = run_text(direction, run, name)
        if sentence:
            runs.append(sentence)
    note = None
    if frame.iloc[-1]["period_label"] != latest["period_label"]:
        note = (
            f"No value for {view.area_name} in {frame.iloc[-1]['period_label']} "
            "(suppressed or not published); the latest value shown is earlier."
        )
    return TrendSummary(
        latest=f"{latest['period_label']}: {metric.format_value(latest['area_value'])}{interval}",
        comparisons=comparisons,
        trend=change_statement(
            recent_change(with_values, metric, view.state.period_type), metric.polarity
        ),
        runs=runs,
        note=note,
    )
