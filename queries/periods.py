"""Period labels and parsing: people read "2016/17 Q4" and "Sep 2017", never decimals.

Quarters are financial quarters (Q1 Apr–Jun … Q4 Jan–Mar); a financial year starts 1 April.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import pandas as pd

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class PeriodError(ValueError):
    """A period the user typed cannot be understood."""


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_quarter(day: date) -> int:
    return (day.month - 4) % 12 // 3 + 1


def label(period_start: date, period_type: str) -> str:
    """Human label for a period: "Sep 2017", "2016/17 Q4", "2016/17", "12m to Mar 2017"."""
    return _label(period_start, period_type)


@lru_cache(maxsize=8192)
def _label(period_start: date, period_type: str) -> str:
    """``label``, remembered: a page labels a few thousand periods, nearly all the same few
    hundred months, and each label costs a Timestamp conversion."""
    day = pd.Timestamp(period_start).date()
    if period_type == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    if period_type == "quarter":
        return f"{financial_year_label(financial_year_start(day))} Q{financial_quarter(day)}"
    if period_type == "financial_year":
        return financial_year_label(financial_year_start(day))
    if period_type == "rolling_12m":
        end = (pd.Timestamp(day) + pd.DateOffset(months=11)).date()
        return f"12m to {MONTHS[end.month - 1]} {end.year}"
    if period_type == "snapshot":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    raise PeriodError(f"unknown period type {period_type!r}")


def labels(period_starts, period_type: str) -> list[str]:
    return [label(start, period_type) for start in period_starts]


_FY = re.compile(r"^(\d{4})[/-](\d{2}|\d{4})(?:\s*Q([1-4]))?$", re.IGNORECASE)


def _financial_year_match(raw: str) -> re.Match | None:
    """A "2016/17" or "2016-17" match; "2017-09" is a month, "2016/18" is an error."""
    match = _FY.match(raw)
    if not match:
        return None
    start_year, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else (start_year + 1) // 100 * 100 + int(end)
    if end_year == start_year + 1:
        return match
    if "/" in raw or match.group(3):
        raise PeriodError(f"{raw!r} is not a financial year (expected e.g. 2016/17)")
    return None


_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_NAMED_MONTH = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def parse(text: str) -> date:
    """The first day of the period a user typed: "2017-09", "Sep 2017", "2016/17", "2016/17 Q4"."""
    raw = str(text).strip()
    if match := _financial_year_match(raw):
        start_year = int(match.group(1))
        quarter = int(match.group(3) or 1)
        month = 4 + 3 * (quarter - 1)
        return date(start_year + (month > 12), (month - 1) % 12 + 1, 1)
    if match := _ISO_MONTH.match(raw):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"{raw!r}: month must be 1–12")
        return date(year, month, int(match.group(3) or 1))
    if match := _NAMED_MONTH.match(raw):
        name = match.group(1).lower()
        for index, full in enumerate(FULL_MONTHS):
            if len(name) >= 3 and full.startswith(name):
                return date(int(match.group(2)), index + 1, 1)
    raise PeriodError(
        f"cannot read period {raw!r}; use e.g. 2017-09, Sep 2017, 2016/17 or 2016/17 Q4"
    )


def parse_end(text: str) -> date:
    """The last day a "to" bound covers, so "--to 2017-09" includes all of September."""
    start = parse(text)
    raw = str(text).strip()
    if match := _financial_year_match(raw):
        months = 3 if match.group(3) else 12
    elif _ISO_MONTH.match(raw) and raw.count("-") == 2:
        return start
    else:
        months = 1
    return (pd.Timestamp(start) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()


CALENDAR_MONTHS = {"month": 1, "quarter": 3, "financial_year": 12}  # types that tile the calendar


def containing_start(day: date, period_type: str) -> date:
    """The first day of the ``period_type`` period (month, financial quarter or financial year)
    that contains ``day``."""
    day = pd.Timestamp(day).date()
    if period_type == "month":
        return date(day.year, day.month, 1)
    if period_type == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)  # Apr, Jul, Oct, Jan
    if period_type == "financial_year":
        return date(financial_year_start(day), 4, 1)
    raise PeriodError(f"{period_type!r} periods do not tile the calendar")


def carried_range(
    period_from: date | None, period_to: date | None, old_type: str, new_type: str
) -> tuple[date | None, date | None]:
    """A From/To range of ``old_type`` periods (their start dates) as the ``new_type`` periods
    that contain them: Jun 2019 to Feb 2020 becomes 2019/20 Q1 to 2019/20 Q4. Open ends stay
    open; None, None when either type does not tile the calendar (rolling, snapshots)."""
    if old_type not in CALENDAR_MONTHS or new_type not in CALENDAR_MONTHS:
        return None, None
    start = containing_start(period_from, new_type) if period_from else None
    end = None
    if period_to:
        old_start = containing_start(period_to, old_type)
        last_day = pd.Timestamp(old_start) + pd.DateOffset(months=CALENDAR_MONTHS[old_type])
        end = containing_start((last_day - pd.Timedelta(days=1)).date(), new_type)
    return start, end
