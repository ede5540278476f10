"""Written findings: the plain-English sentences a reviewer pastes into a report, generated
from the judged series so that every number in them is one `lsr query` prints.

Rules the sentences keep: "higher"/"lower" only where the area's 95 % interval excludes the
benchmark, otherwise "similar to"; a run ("as it has been in each of the last 6 quarters") or
a trend only when the statistics say so; and any sentence built on synthetic values says
"synthetic" in its first words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries import judgements, recent_change
from queries.catalogue import Metric
from queries.series_columns import SeriesColumns, as_columns

MIN_RUN = 3  # a run shorter than this is not worth a clause
SECTION_SENTENCES = (2, 5)  # a tally and at least one finding (each has one to three)
SYNTHETIC_PREFIX = "Synthetic demo data: "
PERIOD_NOUNS = {
    "month": "months",
    "quarter": "quarters",
    "financial_year": "years",
    "rolling_12m": "rolling 12-month periods",
    "snapshot": "snapshots",
}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "financial_year": 12}
BENCHMARKS = (("comparator_mean", "the comparator average"), ("england_value", "England"))
SYNTHETIC_COLUMNS = ("area_is_synthetic", "comparator_is_synthetic", "england_is_synthetic")


@dataclass(frozen=True)
class Finding:
    """One metric's sentences and how notable they are (which ones a section opens with)."""

    metric_id: str
    sentences: tuple[str, ...]
    significant: int  # benchmarks the area differs from significantly (0, 1 or 2); -1 no value
    side: str  # "higher" | "lower" | "similar" | "not compared" against the comparator average
    is_synthetic: bool

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def number(metric: Metric, value: float) -> str:
    """A value as `lsr query` rounds it (numpy rounding, the catalogue's decimals), with
    thousands separators and "%" for shares."""
    rounded = float(np.round(float(value), metric.decimals)) + 0.0  # + 0.0 drops "-0"
    text = f"{rounded:,.{metric.decimals}f}"
    return f"{text}%" if metric.is_percentage else text


def quantity(metric: Metric, value: float, period_type: str | None = None) -> str:
    """A value with its unit for the period type, as a sentence states it ("9,277 per
    100,000 population aged 65+ per quarter")."""
    if metric.is_percentage:
        return number(metric, value)
    unit = metric.unit_for(period_type or metric.default_period_type)
    return f"{number(metric, value)} {unit}".strip()


def metric_finding(
    frame: pd.DataFrame | SeriesColumns,
    metric: Metric,
    *,
    area_name: str,
    change: recent_change.RecentChange | None = None,
) -> Finding:
    """The finding for one judged series (a ``metric_series`` frame, or its columns as
    arrays, oldest period first); ``change`` is the series' recent change when the caller has
    already worked it out (used when the finding's history is the whole series)."""
    series = as_columns(frame).oldest_first()
    suppressed = series.flags("area_suppressed")
    has_value = ~np.isnan(series.floats("area_value")) & ~suppressed
    marked = np.flatnonzero(has_value | suppressed)
    if not marked.size:
        return Finding(
            metric.id,
            (f"No {metric.short} figures are available for {area_name}.",),
            -1,
            "not compared",
            False,
        )
    latest_index = int(marked[-1])
    labels = series.values("period_label")
    if suppressed[latest_index]:
        sentence = (
            f"{metric.short} in {area_name} for {labels[latest_index]} is suppressed "
            "because the count is too small to publish."
        )
        return Finding(metric.id, (sentence,), -1, "not compared", False)
    synthetic = _synthetic(series, latest_index)
    history = _same_kind(series.head(latest_index + 1), synthetic)
    latest = {
        column: series.floats(column)[latest_index]
        for column in ("area_value", *(column for column, _ in BENCHMARKS))
    }
    sides = {
        column: judgements.consistency(history, column)
        if not np.isnan(latest[column])
        else ("absent", 0)
        for column, _ in BENCHMARKS
    }
    period_type = _period_type(history, metric)
    value = quantity(metric, latest["area_value"], period_type)
    opening = (
        f"{metric.short} in {area_name} stood at {value} "
        f"{_when(period_type)} {labels[latest_index]}, {_comparison(metric, latest, sides)}"
    )
    run = _run_clause(history, sides, period_type)
    sentences = [opening + (f", {run}" if run else "") + "."]
    sentences += [
        (SYNTHETIC_PREFIX + sentence[0].lower() + sentence[1:]) if synthetic else sentence
        for sentence in _trend_sentence(
            history, metric, period_type, change if len(history) == len(series) else None
        )
    ]
    if latest_index < len(series) - 1:
        sentences.append(f"There is no figure for {area_name} for {labels[-1]}.")
    if synthetic:
        sentences[0] = SYNTHETIC_PREFIX + sentences[0]
    significant = sum(side in ("higher", "lower") for side, _ in sides.values())
    return Finding(metric.id, tuple(sentences), significant, sides["comparator_mean"][0], synthetic)


def _when(period_type: str) -> str:
    return "on" if period_type == "snapshot" else "in"


def _comparison(metric: Metric, latest: Mapping[str, float], sides: dict) -> str:
    """ "significantly higher than X and England (y)" / "similar to …" / plain values."""
    named = {
        column: f"{name} ({number(metric, latest[column])})"
        for column, name in BENCHMARKS
        if sides[column][0] != "absent"
    }
    if not named:
        return "with no comparator or England figure for that period"
    groups: dict[str, list[str]] = {}
    for column, text in named.items():
        groups.setdefault(sides[column][0], []).append(text)
    parts = []
    for side in ("higher", "lower", "similar"):
        if side in groups:
            prefix = "similar to" if side == "similar" else f"significantly {side} than"
            parts.append(f"{prefix} {' and '.join(groups[side])}")
    if "not compared" in groups:
        parts.append(
            f"against {' and '.join(groups['not compared'])} "
            "(no interval, so not tested for significance)"
        )
    return " but ".join(parts)


def _run_clause(history: SeriesColumns, sides: dict, period_type: str) -> str:
    """ "as it has been in each of the last N quarters" when a significant side has lasted."""
    runs = {
        column: run
        for column, (side, run) in sides.items()
        if side in ("higher", "lower") and run >= MIN_RUN
    }
    if not runs:
        return ""
    both = len(runs) == len(BENCHMARKS) and len({sides[c][0] for c in runs}) == 1
    length = min(runs.values()) if both else max(runs.values())
    noun = PERIOD_NOUNS.get(period_type, "periods")
    if not _consecutive(history.tail(length), period_type):
        noun += " with data"
    if both:
        return f"as it has been in each of the last {length} {noun}"
    column = next(c for c, run in runs.items() if run == length)
    name = dict(BENCHMARKS)[column]
    return (
        f"and it has been significantly {sides[column][0]} than {name} "
        f"in each of the last {length} {noun}"
    )


def _trend_sentence(
    history: SeriesColumns,
    metric: Metric,
    period_type: str,
    change: recent_change.RecentChange | None = None,
) -> list[str]:
    """A sentence only when the series' recent-change test finds something: the Fingertips
    trend for annual series, the latest point's SPC variation for monthly and quarterly ones
    (the marker the tiles and the explorer show, from ``queries.recent_change``; ``change``
    when already worked out for this history)."""
    if change is None:
        change = recent_change.recent_change(history, metric, period_type)
    noun = PERIOD_NOUNS.get(period_type, "periods")
    if change.kind == recent_change.TREND and change.direction in ("increasing", "decreasing"):
        points = recent_change.fingertips_trend(history, metric).points_used
        movement = "risen" if change.direction == "increasing" else "fallen"
        sentence = f"It has {movement} significantly over the last {points} {noun}"
        if metric.polarity != "context":
            better = (change.direction == "increasing") == (metric.polarity == "higher_is_better")
            sentence += f" ({'an improvement' if better else 'a deterioration'})"
        return [sentence + "."]
    if change.kind == recent_change.SPC and change.variation not in (None, "common_cause"):
        words = recent_change.VARIATION_WORDS[change.variation]
        count = int((~np.isnan(history.floats("area_value"))).sum())
        return [f"On an SPC chart of its last {count} {noun} the latest point shows {words}."]
    return []


def _period_type(series: SeriesColumns, metric: Metric) -> str:
    if "period_type" in series and len(series):
        return str(series.values("period_type")[-1])
    return metric.default_period_type


def _consecutive(rows: SeriesColumns, period_type: str) -> bool:
    """True when the rows are back-to-back periods (no gap hidden inside a run)."""
    step = PERIOD_MONTHS.get(period_type)
    if step is None or len(rows) < 2:
        return step is not None
    months = rows.dates("period_start").astype("datetime64[M]")
    return bool((np.diff(months.astype(np.int64)) == step).all())


def oldest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame by period, numbered from 0 (sorted and renumbered only when it is not
    already: the profile's series arrive in order, and sorting ~47 of them twice per page was
    a tenth of its work). Read it, do not change it: it may be the frame given."""
    if frame["period_start"].is_monotonic_increasing:
        numbered = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
        return frame if numbered and frame.index.step == 1 else frame.reset_index(drop=True)
    return frame.sort_values("period_start").reset_index(drop=True)


def comparable_history(frame: pd.DataFrame) -> pd.DataFrame:
    """The periods up to the area's latest value that a run or trend may use: the latest
    block that is all real or all synthetic, like the latest value (empty without one)."""
    frame = oldest_first(frame)
    series = SeriesColumns.of(frame)
    shown = ~np.isnan(series.floats("area_value")) & ~series.flags("area_suppressed")
    if not shown.any():
        return frame.iloc[:0]
    latest_index = int(np.flatnonzero(shown)[-1])
    history = _same_kind(series.head(latest_index + 1), _synthetic(series, latest_index))
    return frame.iloc[history.rows.start : history.rows.stop]


def _same_kind(history: SeriesColumns, synthetic: bool) -> SeriesColumns:
    """The latest periods that are all real or all synthetic, like the latest one: runs and
    trends are never computed across real and synthetic values."""
    kinds = np.zeros(len(history), dtype=bool)
    for column in (*SYNTHETIC_COLUMNS, "is_synthetic"):
        kinds |= history.flags(column)  # absent columns flag nothing
    differs = np.flatnonzero(kinds != synthetic)
    return history.take(slice(differs[-1] + 1, len(history))) if differs.size else history


def _synthetic(series: SeriesColumns, row: int) -> bool:
    """Whether any of the row's synthetic flags is set (a missing flag is not)."""
    return any(bool(series.flags(c)[row]) for c in (*SYNTHETIC_COLUMNS, "is_synthetic"))


def section_findings(findings: Iterable[Finding], *, title: str) -> list[str]:
    """Two to five sentences opening a section: a count of the verdicts against the comparator
    average, then the most notable metrics' findings (significant ones first)."""
    findings = list(findings)
    high = SECTION_SENTENCES[1]
    if not findings:
        return [
            f"No metric in {title.lower()} has figures in this build.",
            "The section lists what would be shown once the data are imported.",
        ]
    sentences = [_tally(findings)]
    ranked = sorted(findings, key=lambda f: -f.significant)  # stable: catalogue order kept
    for finding in ranked:
        if len(sentences) + len(finding.sentences) > high:
            continue
        sentences.extend(finding.sentences)
    return sentences


def _tally(findings: list[Finding]) -> str:
    """How the section's measures compare with the comparator average, naming only the
    verdicts that occur."""
    counts = {
        side: sum(f.side == side for f in findings if f.significant >= 0)
        for side in ("higher", "similar", "lower", "not compared")
    }
    absent = sum(f.significant < 0 for f in findings)
    words = {
        "higher": "significantly higher than the comparator average",
        "similar": "similar to it" if counts["higher"] else "similar to the comparator average",
        "lower": "significantly lower",
        "not compared": "not tested for significance (no interval)",
    }
    parts = [f"{counts[side]} {words[side]}" for side in words if counts[side]]
    if absent:
        parts.append(f"{absent} without a published figure")
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Of {len(findings)} measures here, {listed}."
