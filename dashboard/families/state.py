"""Family page state <-> URL: ?area=&method=&period=&from=&to=&show=&at=, and for the SPC
charts &rebase=&screen= (parsed by dashboard.urls, as in the explorer).

Parsing never fails: an unknown value falls back to the default with a notice, as on the
other pages (dashboard.urls). Serialising writes only what differs from "everything"
(open period ends, default display), so a bookmark keeps showing newly published periods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import quote, urlencode

import pandas as pd

from dashboard import text, urls
from queries import periods

SHOW_OPTIONS = {"rates": "Rates", "shares": "Shares (% of total)"}
DEFAULT_SHOW = "rates"
# every parameter parse_family reads (the answer cache keys a page on exactly these)
QUERY_PARAMETERS = ("area", "method", "period", "from", "to", "show", "at", "rebase", "screen")


@dataclass(frozen=True)
class FamilyState:
    family: str
    area: str
    method: str
    period_type: str
    period_from: date | None = None
    period_to: date | None = None  # inclusive bound on period starts
    show: str = DEFAULT_SHOW  # stacked charts: rates or shares
    at: date | None = None  # snapshot for the ratings bars; None = the latest
    rebase: tuple[date, ...] = ()  # SPC charts: where the limits start again
    screen: bool = False  # SPC charts: moving-range outliers screened


@dataclass(frozen=True)
class FamilyOptions:
    """What the family's data offers the pickers: period types (default first) and, per
    period type, the period starts; snapshots for ?at=."""

    period_types: tuple[str, ...]
    starts: Mapping[str, Sequence[date]]
    snapshots: tuple[date, ...] = ()


def parse_family(
    family: str,
    query: Mapping[str, object],
    *,
    choices: urls.Choices,
    options: FamilyOptions,
) -> urls.Parsed[FamilyState]:
    notices: list[str] = []
    period_type = urls.parse_choice(
        query.get("period"),
        options.period_types,
        notices,
        lambda raw: (
            f"Unknown period type “{raw}” for this page; "
            f"showing {text.period_type_name(options.period_types[0])}."
        ),
    )
    period_from = _period(query.get("from"), "from", notices)
    period_to = _period(query.get("to"), "to", notices, end=True)
    if period_from and period_to and period_from > period_to:
        notices.append("The period range ends before it starts; showing all periods.")
        period_from = period_to = None
    show = urls.parse_choice(
        query.get("show"),
        SHOW_OPTIONS,
        notices,
        lambda raw: f"Unknown display “{raw}”; showing rates.",
    )
    state = FamilyState(
        family=family,
        area=urls.parse_area(query.get("area"), choices, notices),
        method=urls.parse_method(query.get("method"), choices, notices),
        period_type=period_type,
        period_from=period_from,
        period_to=period_to,
        show=show,
        at=_snapshot(query.get("at"), options.snapshots, notices),
        rebase=urls.parse_rebase(
            query.get("rebase"),
            sorted({start.isoformat() for starts in options.starts.values() for start in starts}),
            notices,
        ),
        screen=urls.parse_screen(query.get("screen"), notices),
    )
    return urls.Parsed(state, notices)


def family_href(path: str, state: FamilyState) -> str:
    query = {"area": state.area, "method": state.method, "period": state.period_type}
    if state.period_from:
        query["from"] = urls.period_text(state.period_from, state.period_type)
    if state.period_to:
        query["to"] = urls.period_text(state.period_to, state.period_type)
    if state.show != DEFAULT_SHOW:
        query["show"] = state.show
    if state.at:
        query["at"] = state.at.isoformat()
    if state.rebase:
        query["rebase"] = urls.rebase_text(state.rebase, state.period_type)
    if state.screen:
        query["screen"] = "on"
    return f"{path}?{urlencode(query, quote_via=quote, safe='/:')}"


def from_controls(
    family: str,
    values: Mapping[str, str | None],
    changed: str | None,
    *,
    available: Sequence[str] = (),
    snapshots: Sequence[str] = (),
    previous_period_type: str | None = None,
) -> FamilyState:
    """The state the controls describe after ``changed`` moved. Another period type keeps the
    range as the periods of the new type that contain it (Monthly -> Quarterly: Jun 2016 to
    Feb 2017 becomes 2016/17 Q1 to Q4), as in the explorer, given the
    ``previous_period_type``. A range end at the first or last ``available`` period (of the
    type the range is in), or the latest snapshot, is left open so the bookmark follows new
    publications."""
    values = dict(values)
    if available and values.get("period_from") == available[0]:
        values["period_from"] = None
    if available and values.get("period_to") == available[-1]:
        values["period_to"] = None
    if changed == "period_type":
        carried = periods.carried_range(
            _iso(values.get("period_from")),
            _iso(values.get("period_to")),
            previous_period_type or "",
            values.get("period_type") or "",
        )
        values["period_from"], values["period_to"] = (d.isoformat() if d else None for d in carried)
    if snapshots and values.get("at") == snapshots[-1]:
        values["at"] = None
    return FamilyState(
        family=family,
        area=values["area"],
        method=values["method"],
        period_type=values.get("period_type") or "",
        period_from=_iso(values.get("period_from")),
        period_to=_iso(values.get("period_to")),
        show=values.get("show") or DEFAULT_SHOW,
        at=_iso(values.get("at")),
    )


def to_data(state: FamilyState) -> dict:
    """JSON-safe form for a dcc.Store (dates as ISO strings)."""
    data = asdict(state)
    for key in ("period_from", "period_to", "at"):
        data[key] = data[key].isoformat() if data[key] else None
    data["rebase"] = [start.isoformat() for start in state.rebase]
    return data


def from_data(data: Mapping) -> FamilyState:
    values = dict(data)
    for key in ("period_from", "period_to", "at"):
        values[key] = _iso(values.get(key))
    values["rebase"] = tuple(_iso(start) for start in values.get("rebase") or ())
    return FamilyState(**values)


def _period(raw_value: object, which: str, notices: list[str], *, end: bool = False):
    return urls.parse_period_bound(raw_value, which, notices, end=end)


def _snapshot(raw_value: object, snapshots: Sequence[date], notices: list[str]) -> date | None:
    raw = urls.first_value(raw_value)
    if raw is None:
        return None
    try:
        wanted = pd.Timestamp(raw).date()
    except ValueError:
        notices.append(f"Cannot read the snapshot date “{raw}”; showing the latest.")
        return None
    if wanted in snapshots:
        return wanted
    earlier = [s for s in snapshots if s <= wanted]
    if earlier:
        return earlier[-1]
    notices.append(f"No snapshot on or before {raw}; showing the latest.")
    return None


def _iso(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None
