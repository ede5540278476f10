"""The SPC settings that ride in the URL: where the limits are rebased (?rebase=2017/18 Q1,…)
and whether moving-range outliers are screened (?screen=on). Parsing never fails: a period the
metric does not have, or a value it cannot read, is left out with a notice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dashboard.urls import first_value, period_text
from queries import periods

MAX_REBASE_POINTS = 6
SCREEN_VALUES = {"on": True, "off": False}


def parse_rebase(text: object, available: Sequence[str], notices: list[str]) -> tuple[date, ...]:
    """Comma-separated period labels or ISO dates, each one the metric has; sorted, unique."""
    raw = first_value(text)
    if not raw:
        return ()
    chosen: set[date] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            start = periods.parse(part)
        except ValueError:
            notices.append(f"Cannot read the rebase period “{part}”; it is left out.")
            continue
        if start.isoformat() not in available:
            notices.append(f"No data for the rebase period “{part}”; it is left out.")
            continue
        chosen.add(start)
    if len(chosen) > MAX_REBASE_POINTS:
        notices.append(f"At most {MAX_REBASE_POINTS} rebase points; the first ones are kept.")
    return tuple(sorted(chosen)[:MAX_REBASE_POINTS])


def parse_screen(text: object, notices: list[str]) -> bool:
    raw = first_value(text)
    if raw is None:
        return False
    if raw.lower() in SCREEN_VALUES:
        return SCREEN_VALUES[raw.lower()]
    notices.append(f"Unknown outlier screening “{raw}”; showing the limits without screening.")
    return False


def rebase_text(starts: Sequence[date], period_type: str) -> str:
    """The URL value: readable period labels, comma-separated."""
    return ",".join(period_text(start, period_type) for start in starts)
