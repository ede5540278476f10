"""Words the pages share: period type names, council types and context figures as text."""

from __future__ import annotations

import math

PERIOD_TYPE_NAMES = {
    "month": "Monthly",
    "quarter": "Quarterly (financial quarters)",
    "financial_year": "Financial years",
    "rolling_12m": "Rolling 12 months",
    "snapshot": "Snapshots",
}

LA_TYPE_NAMES = {
    "county": "County council",
    "unitary": "Unitary authority",
    "metropolitan": "Metropolitan district",
    "london": "London borough",
    "country": "Country",
}

MISSING = "–"


def period_type_name(period_type: str) -> str:
    return PERIOD_TYPE_NAMES.get(period_type, period_type.replace("_", " ").capitalize())


def whole_number(value: object) -> str:
    """A count with thousands separators ("1,234,500"), or a dash when unknown."""
    if _missing(value):
        return MISSING
    return f"{round(float(value)):,}"


def percent(value: object, decimals: int = 1) -> str:
    return MISSING if _missing(value) else f"{float(value):.{decimals}f}%"


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True
