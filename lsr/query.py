"""`lsr query`: one metric for an area vs its comparators vs England, per period or pooled over
a window, as a table, CSV or strict JSON (missing numbers are null, never NaN).

Every choice is checked against what the data holds before anything is queried, so a typo in
a period type, breakdown or breakdown value is one line listing the valid choices.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import pandas as pd

from queries import findings, periods, query_choices, window
from queries.areas import AreaDirectory
from queries.catalogue import Metric, load_catalogue
from queries.recent_change import recent_change
from queries.series import SeriesRequest, metric_availability, metric_series, peer_values
from queries.store import DataStore


def run(args: argparse.Namespace, usage_error: type[Exception]) -> int:
    store = DataStore(args.data_dir)
    metric = load_catalogue().get(args.metric)
    directory = AreaDirectory.load(store)
    area_code = directory.resolve(args.area)
    methods = store.query("comparator_methods")["method"].tolist()
    if args.comparators not in methods:
        raise usage_error(
            f"unknown comparator method {args.comparators!r}; known: {', '.join(methods)}"
        )
    availability = metric_availability(store, metric.id)
    period_type = query_choices.period_type(metric, args.period_type, availability)
    breakdown = query_choices.breakdown(metric, args.breakdown, availability)
    request = SeriesRequest(
        metric_id=metric.id,
        area_code=area_code,
        method=args.comparators,
        period_type=period_type,
        breakdown=breakdown.name,
        breakdown_value=breakdown.value,
        period_from=periods.parse(args.period_from) if args.period_from else None,
        period_to=periods.parse_end(args.period_to) if args.period_to else None,
    )
    frame = metric_series(store, request)
    place = directory.name(area_code)
    if frame.empty:
        raise usage_error(_no_periods(metric, place, request, availability))
    header = {
        "title": _title(metric, place, args.comparators, breakdown),
        "unit": metric.unit_for(period_type),
        "period_type": period_type,
        "breakdown": f"{breakdown.name}={breakdown.value}" if not breakdown.is_headline else "all",
    }
    if args.aggregate:
        table = _aggregate_table(metric, frame, peer_values(store, request))
        summary: dict[str, str] = {}
    else:
        table = _query_table(frame, metric)
        finding = findings.metric_finding(frame, metric, area_name=place)
        summary = {f"finding_{index}": text for index, text in enumerate(finding.sentences)}
        change = recent_change(frame, metric, period_type)  # the tiles' marker, in words
        summary["recent_change"] = change.text[0].lower() + change.text[1:]
    _write(args.format, header, table, summary, metric=metric.id, area=area_code)
    return 0


def _title(metric: Metric, place: str, method: str, breakdown: query_choices.Breakdown) -> str:
    part = "" if breakdown.is_headline else f" ({breakdown.label})"
    return f"{metric.title}{part} — {place} vs comparators ({method}) vs England"


def _no_periods(metric, place, request, availability) -> str:
    rows = availability[
        (availability["period_type"] == request.period_type)
        & (availability["breakdown"] == request.breakdown)
        & (availability["breakdown_value"] == request.breakdown_value)
    ]
    if rows.empty:
        return f"no {metric.id} data for {place} in {request.period_type} periods"
    first = periods.label(rows["first_period"].min(), request.period_type)
    last = periods.label(rows["last_period"].max(), request.period_type)
    return (
        f"no {metric.id} data for {place} in that window; "
        f"its {request.period_type} data run from {first} to {last}"
    )


def _write(fmt: str, header: dict, table: pd.DataFrame, summary: dict, **ids) -> None:
    if fmt == "csv":
        print(f"# {header['title']}\n# unit: {header['unit']}")
        table.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        document = {
            **ids,
            "unit": header["unit"],
            "period_type": header["period_type"],
            "breakdown": header["breakdown"],
            "rows": [_strict(row) for row in table.to_dict(orient="records")],
        }
        print(json.dumps(document, default=str, indent=2, allow_nan=False))
    else:
        print(header["title"])
        print(f"unit: {header['unit']}")
        print(table.to_string(index=False))
        if summary:
            print("\n".join(summary.values()))


def _strict(row: dict) -> dict:
    """JSON has no NaN: missing numbers become null; numpy scalars become plain numbers."""
    clean = {}
    for key, value in row.items():
        if hasattr(value, "item"):
            value = value.item()
        if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
            value = None
        clean[key] = value
    return clean


def _query_table(frame: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": frame["period_label"],
            "area": frame["area_value"].round(metric.decimals),
            "area_lower": frame["area_lower"].round(metric.decimals),
            "area_upper": frame["area_upper"].round(metric.decimals),
            "comparator_mean": frame["comparator_mean"].round(metric.decimals),
            "comparator_min": frame["comparator_min"].round(metric.decimals),
            "comparator_max": frame["comparator_max"].round(metric.decimals),
            "comparator_n": frame["comparator_n"].astype(str)
            + "/"
            + frame["comparator_expected"].astype(str),
            "england": frame["england_value"].round(metric.decimals),
            "vs_england": frame["vs_england"],
            "vs_comparator": frame["vs_comparator"],
            "synthetic": frame["area_is_synthetic"].fillna(False),
        }
    )


def _aggregate_table(metric: Metric, frame: pd.DataFrame, peers: pd.DataFrame) -> pd.DataFrame:
    """One row: the window's pooled figures, labelled by its first and last period."""
    figure = window.aggregate(metric, frame, peers)
    labels = frame["period_label"].tolist()
    expected = int(frame["comparator_expected"].max())
    row = {
        "period": labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}",
        "periods": figure["periods"],
        "weighted_by": figure["weighted_by"],
        **{
            key: _rounded(figure[key], metric.decimals)
            for key in (
                "area",
                "area_lower",
                "area_upper",
                "comparator_mean",
                "comparator_min",
                "comparator_max",
            )
        },
        "comparator_n": f"{figure['comparator_n']}/{expected}",
        "england": _rounded(figure["england"], metric.decimals),
        "vs_england": figure["vs_england"],
        "vs_comparator": figure["vs_comparator"],
        "synthetic": figure["synthetic"],
    }
    return pd.DataFrame([row])


def _rounded(value: float, decimals: int) -> float:
    return round(value, decimals) if math.isfinite(value) else math.nan
