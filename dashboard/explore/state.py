"""The explorer's URL state, read and written here only: one ``urls.ExplorerState`` (shared
with the pages that link to the explorer) holds the metric, area, method, period type,
breakdown and range, and which of its views is shown: ?view=trend|spc|ranking|reviewed, the
SPC baseline (?baseline=all|first12|first24), where the SPC limits are rebased
(?rebase=label,label), whether moving-range outliers are screened (?screen=on), the ranking's
period (?at=label or ISO date), the funnel's limits (?limits=none|multiplicative|additive;
absent: the metric's catalogue default) and whether the ranking and funnel show the reviewed
areas only (?reviewed=1, as on Select areas).

The URL is read in two steps into the one object: ``parse_explorer`` reads what the view
model needs to find the metric's periods, then ``parse_view_settings`` reads the view and its
settings, checking the ranking period and rebase points against those periods. Parsing never
fails (an unknown value falls back to the default with a notice) and only values that differ
from the default are written back (``urls.explorer_href``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import date

from dashboard import urls
from dashboard.urls import (
    ALL,
    BREAKDOWN_SEPARATOR,
    Choices,
    ExplorerState,
    MetricOptions,
    Parsed,
    first_value,
    parse_area,
    parse_choice,
    parse_method,
    parse_period_bound,
    parse_rebase,
    parse_screen,
)
from queries import periods

REVIEWED_ONLY = {"0": False, "1": True, "no": False, "yes": True, "off": False, "on": True}
DATE_FIELDS = ("period_from", "period_to", "at")


def parse_metric(text: object, metrics: Mapping[str, str], notices: list[str]) -> str:
    """A metric id from ``metrics`` (id -> name, the default first)."""
    default = next(iter(metrics))
    raw = first_value(text)
    if raw is None or raw == "none" or raw in metrics:
        return raw if raw in metrics else default
    notices.append(f"No metric “{raw}”; showing {metrics[default]} instead.")
    return default


def parse_explorer(
    metric_text: object,
    query: Mapping[str, object],
    *,
    choices: Choices,
    metrics: Mapping[str, str],
    options_for: Callable[[str], MetricOptions],
) -> Parsed[ExplorerState]:
    """State of /metric/<id>?area=&method=&period=&breakdown=&from=&to=."""
    notices: list[str] = []
    metric_id = parse_metric(metric_text, metrics, notices)
    options = options_for(metric_id)
    period_type = parse_choice(
        query.get("period"),
        options.period_types,
        notices,
        lambda raw: (
            f"Unknown period type “{raw}” for this metric; using {options.period_types[0]} instead."
        ),
    )
    breakdown, breakdown_value = _parse_breakdown(query.get("breakdown"), options, notices)
    period_from = parse_period_bound(query.get("from"), "from", notices)
    period_to = parse_period_bound(query.get("to"), "to", notices, end=True)
    if period_from and period_to and period_from > period_to:
        notices.append("The period range ends before it starts; showing all periods.")
        period_from = period_to = None
    state = ExplorerState(
        metric_id=metric_id,
        area=parse_area(query.get("area"), choices, notices),
        method=parse_method(query.get("method"), choices, notices),
        period_type=period_type,
        breakdown=breakdown,
        breakdown_value=breakdown_value,
        period_from=period_from,
        period_to=period_to,
    )
    return Parsed(state, notices)


def _parse_breakdown(text: object, options: MetricOptions, notices: list[str]) -> tuple[str, str]:
    raw = first_value(text)
    if raw is None and not options.headline and options.breakdowns:
        return options.breakdowns[0]
    if raw is None or raw == ALL:
        return ALL, ALL
    name, _, value = raw.partition(BREAKDOWN_SEPARATOR)
    if (name, value) in options.breakdowns:
        return name, value
    notices.append(f"No breakdown “{raw}” for this metric; showing all.")
    return ALL, ALL


def parse_view_settings(
    state: ExplorerState,
    query: Mapping[str, object],
    *,
    available: Sequence[str],
    notices: list[str],
) -> ExplorerState:
    """``state`` with the view and its settings read from ``query``; ``available`` is every
    period start (ISO) the view found for the metric, oldest first."""
    view = _choice(query.get("view"), urls.EXPLORER_VIEWS, "view", notices)
    baseline = _choice(query.get("baseline"), urls.SPC_BASELINES, "SPC baseline", notices)
    limits = _choice(query.get("limits"), urls.FUNNEL_LIMITS, "funnel limits", notices)
    return replace(
        state,
        view=view,
        baseline=baseline,
        at=_parse_at(query.get("at"), available, notices),
        rebase=parse_rebase(query.get("rebase"), available, notices),
        screen=parse_screen(query.get("screen"), notices),
        limits=limits,
        reviewed_only=REVIEWED_ONLY[
            parse_choice(
                query.get("reviewed"),
                REVIEWED_ONLY,
                notices,
                lambda raw: f"Cannot read “reviewed={raw}”; ranking all councils.",
                fold_case=True,
            )
        ],
    )


def at_or_latest(state: ExplorerState, available: Sequence[str]) -> date | None:
    """The ranking's period: the one in the URL or the latest available."""
    if state.at:
        return state.at
    return date.fromisoformat(available[-1]) if available else None


def _known_limits(value: object) -> str:
    """A funnel-limits value from a control or stored state; anything unknown is the default."""
    return value if isinstance(value, str) and value in urls.FUNNEL_LIMITS else urls.DEFAULT_LIMITS


def _choice(text: object, allowed: Mapping[str, str], what: str, notices: list[str]) -> str:
    default = next(iter(allowed))
    return parse_choice(
        text,
        allowed,
        notices,
        lambda raw: f"Unknown {what} “{raw}”; showing “{allowed[default]}” instead.",
    )


def _parse_at(text: object, available: Sequence[str], notices: list[str]) -> date | None:
    raw = first_value(text)
    if raw is None or raw.lower() == "latest":
        return None
    try:
        start = periods.parse(raw)
    except ValueError:
        notices.append(f"Cannot read the period “{raw}”; ranking the latest period instead.")
        return None
    if start.isoformat() not in available:
        notices.append(f"No data for the period “{raw}”; ranking the latest period instead.")
        return None
    if available and start.isoformat() == available[-1]:
        return None
    return start


def explorer_to_data(state: ExplorerState) -> dict:
    """JSON-safe form for the page's dcc.Store (dates as ISO strings)."""
    data = asdict(state)
    for key in DATE_FIELDS:
        data[key] = data[key].isoformat() if data[key] else None
    data["rebase"] = [start.isoformat() for start in state.rebase]
    return data


def explorer_from_data(data: Mapping) -> ExplorerState:
    """The state a page stored; a funnel-limits value it does not know is the default."""
    values = dict(data)
    for key in DATE_FIELDS:
        values[key] = _iso_date(values.get(key))
    values["rebase"] = tuple(date.fromisoformat(d) for d in values.get("rebase") or ())
    values["limits"] = _known_limits(values.get("limits"))
    return ExplorerState(**values)


RESETS = {  # which later choices a change makes meaningless
    "metric_id": ("period_type", "breakdown", "period_from", "period_to"),
    "period_type": ("period_from", "period_to"),
    "breakdown": ("period_from", "period_to"),
}


def explorer_from_controls(
    values: Mapping[str, object],
    changed: str | None,
    *,
    available: Sequence[str] = (),
    previous_period_type: str | None = None,
) -> ExplorerState:
    """The state the explorer's controls describe after ``changed`` moved.

    Choosing another metric drops its period type, breakdown and range (the URL parser then
    picks the new metric's defaults); another breakdown drops the range. Another period type
    keeps the range as the periods of the new type that contain it (Monthly -> Quarterly: Jun
    2019 to Feb 2020 becomes 2019/20 Q1 to Q4), given the ``previous_period_type``. A range end
    at the first or last ``available`` period (ISO starts, of the type the range is in) is left
    open, so a bookmark of "all periods" still shows newly published ones; so is a ranked
    period at the latest. Any of those changes also drops the ranked period and the rebase
    points (they may not exist there).
    """
    values = dict(values)
    latest = available[-1] if available else None
    if available and values.get("period_from") == available[0]:
        values["period_from"] = None
    if available and values.get("period_to") == latest:
        values["period_to"] = None
    if changed == "period_type" and previous_period_type:
        carried = periods.carried_range(
            _iso_date(values.get("period_from")),
            _iso_date(values.get("period_to")),
            previous_period_type,
            values.get("period_type") or "",
        )
        values["period_from"], values["period_to"] = (d.isoformat() if d else None for d in carried)
    else:
        for key in RESETS.get(changed or "", ()):
            values[key] = None
    reset = changed in RESETS
    breakdown, _, breakdown_value = (values.get("breakdown") or ALL).partition(BREAKDOWN_SEPARATOR)
    return ExplorerState(
        metric_id=values["metric_id"],
        area=values["area"],
        method=values["method"],
        period_type=values.get("period_type") or "",
        breakdown=breakdown if breakdown_value else ALL,
        breakdown_value=breakdown_value or ALL,
        period_from=_iso_date(values.get("period_from")),
        period_to=_iso_date(values.get("period_to")),
        view=values.get("view") or urls.DEFAULT_VIEW,
        baseline=values.get("baseline") or urls.DEFAULT_BASELINE,
        at=None if reset or values.get("at") == latest else _iso_date(values.get("at")),
        rebase=()
        if reset
        else tuple(sorted(date.fromisoformat(d) for d in values.get("rebase") or ())),
        screen=bool(values.get("screen")),
        limits=_known_limits(values.get("limits")),
        reviewed_only=bool(values.get("reviewed")),
    )


def _iso_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
