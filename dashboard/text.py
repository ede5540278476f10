"""Words the pages share: period type names, council types, breakdowns and context figures
as text."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from queries.catalogue import Metric, load_catalogue

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


def breakdown_text(breakdown: str, labels: Iterable[str]) -> str:
    """A breakdown and the values on show, as chart titles and CSV headers name them:
    ("responsible_org", ["Social care"]) -> "Responsible org: Social care"."""
    name = breakdown.partition(":")[0].replace("_", " ").capitalize()
    return f"{name}: {', '.join(labels)}"


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


_DATE_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
NOT_PUBLISHED = "not published"


def vintage_summary(vintages: Iterable[object]) -> str:
    """One short vintage line for a chart footer: the vintages themselves when there are one or
    two, else how many releases and the latest (by the last date each names), so a series built
    from 100 monthly releases doesn't bury the chart under its footnote."""
    distinct = sorted(
        {str(v) for v in vintages if v is not None and not (isinstance(v, float) and math.isnan(v))}
    )
    if not distinct:
        return NOT_PUBLISHED
    if len(distinct) <= 2:
        return "; ".join(reversed(distinct))

    def latest_date(text: str) -> str:
        dates = _DATE_IN_TEXT.findall(text)
        return max(dates) if dates else ""

    latest = max(distinct, key=lambda text: (latest_date(text), text))
    return f"{len(distinct)} releases, latest: {latest}"


def source_name(metric) -> str:
    """ "Name (Publisher)" of the metric's source, as every chart footer and export says it."""
    from queries.catalogue import load_catalogue

    source = load_catalogue().sources.get(metric.source)
    return f"{source.name} ({source.publisher})" if source else metric.source


def source_licence(metric: Metric) -> str:
    source = load_catalogue().sources.get(metric.source)
    return source.licence if source else "not stated"


class PlottedProvenance:
    """What a chart footer and its CSV header say of a view's plotted rows (``frame``) and its
    ``metric``: synthetic or real, the vintages, the source and its licence. Mixed into the
    explorer's and the family pages' view models so both word it the same way."""

    frame: object  # a pandas DataFrame of the plotted rows
    metric: Metric

    @property
    def synthetic(self) -> bool:
        return bool("is_synthetic" in self.frame and self.frame["is_synthetic"].any())

    @property
    def vintage(self) -> str:
        """Every vintage plotted (published and synthetic rows can differ), newest first."""
        return vintage_summary(self.frame["vintage"].unique() if "vintage" in self.frame else [])

    @property
    def source_name(self) -> str:
        return source_name(self.metric)

    @property
    def licence(self) -> str:
        return source_licence(self.metric)


SYNTHETIC_NOTE = "<b>Synthetic data</b> (demo values, not real figures)"


def source_note(source: str, vintage: str, *, synthetic: bool, comparators: str | None) -> str:
    """The source line under a chart, written the same way for every chart and export: its
    source and data vintage, the synthetic flag when any plotted value is synthetic, then
    its comparators on a second line (none when ``comparators`` is None)."""
    note = f"Source: {source} · Data vintage: {vintage}"
    if synthetic:
        note += f" · {SYNTHETIC_NOTE}"
    return note if comparators is None else f"{note}<br>Comparators: {comparators}"
