"""The explorer's URL state, read and written here only: the metric, area, method, period
type, breakdown and range (``urls.ExplorerState``, the part other pages link to) and which
of its views is shown: ?view=trend|spc|ranking|reviewed, the SPC baseline
(?baseline=all|first12|first24), where the SPC limits are rebased (?rebase=label,label),
whether moving-range outliers are screened (?screen=on), the ranking's period (?at=label or
ISO date), the funnel's limits (?limits=none|multiplicative|additive; absent: the metric's
catalogue default) and whether the ranking and funnel show the reviewed areas only (?reviewed=1,
as on Select areas).

Parsing never fails (an unknown value falls back to the default with a notice) and only
values that differ from the default are written back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import quote, urlencode

from dashboard.urls import (
    ALL,
    BREAKDOWN_SEPARATOR,
    Choices,
    ExplorerState,
    MetricOptions,
    Parsed,
    explorer_href,
    first_value,
    parse_area,
    parse_choice,
    parse_method,
    parse_period_bound,
    parse_rebase,
    parse_screen,
    period_text,
    rebase_text,
)
from queries import periods

VIEWS = {
    "trend": "Trend",
    "spc": "SPC (XmR)",
    "ranking": "Ranking and funnel",
    "reviewed": "Reviewed areas",
}
DEFAULT_VIEW = "trend"
BASELINES = {
    "all": "All periods shown",
    "first12": "First 12 periods",
    "first24": "First 24 periods",
}
DEFAULT_BASELINE = "all"
FUNNEL_LIMITS = {
    "default": "Metric's default",
    "none": "No adjustment (binomial / Poisson)",
    "multiplicative": "Overdispersion: multiplicative",
    "additive": "Overdispersion: additive random effects",
}
DEFAULT_LIMITS = "default"
REVIEWED_ONLY = {"0": False, "1": True, "no": False, "yes": True, "off": False, "on": True}


@dataclass(frozen=True)
class ViewOptions:
    """The explorer's view and its settings; ``at`` None means the latest period."""

    view: str = DEFAULT_VIEW
    baseline: str = DEFAULT_BASELINE
    at: date | None = None
    rebase: tuple[date, ...] = ()  # where the SPC limits start again (a service change)
    screen: bool = False  # screen moving-range outliers before setting the SPC limits
    limits: str = DEFAULT_LIMITS
    reviewed_only: bool = False  # ranking and funnel: the reviewed areas (and the area) only

    @property
    def funnel_adjustment(self) -> str | None:
        """The funnel's overdispersion method, None for the metric's catalogue default."""
        return None if self.limits == DEFAULT_LIMITS else self.limits

    @property
    def baseline_points(self) -> int | None:
        """How many leading points set the SPC mean and limits (None: all of them)."""
        return None if self.baseline == "all" else int(self.baseline.removeprefix("first"))


def parse_view_options(
    query: Mapping[str, object], *, available: Sequence[str], notices: list[str]
) -> ViewOptions:
    """``available`` is every period start (ISO) the metric has, oldest first."""
    view = _choice(query.get("view"), VIEWS, "view", notices)
    baseline = _choice(query.get("baseline"), BASELINES, "SPC baseline", notices)
    limits = _choice(query.get("limits"), FUNNEL_LIMITS, "funnel limits", notices)
    return ViewOptions(
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


def at_or_latest(options: ViewOptions, available: Sequence[str]) -> date | None:
    """The ranking's period: the one in the URL or the latest available."""
    if options.at:
        return options.at
    return date.fromisoformat(available[-1]) if available else None


def view_query(options: ViewOptions, period_type: str) -> dict[str, str]:
    """The URL parameters for ``options``; defaults are left out so links stay short."""
    query = {}
    if options.view != DEFAULT_VIEW:
        query["view"] = options.view
    if options.baseline != DEFAULT_BASELINE:
        query["baseline"] = options.baseline
    if options.at:
        query["at"] = period_text(options.at, period_type)
    if options.rebase:
        query["rebase"] = rebase_text(options.rebase, period_type)
    if options.screen:
        query["screen"] = "on"
    if options.limits != DEFAULT_LIMITS:
        query["limits"] = options.limits
    if options.reviewed_only:
        query["reviewed"] = "1"
    return query


def href(state: ExplorerState, options: ViewOptions) -> str:
    """The explorer URL for a state and its view options."""
    extra = view_query(options, state.period_type)
    base = explorer_href(state)
    if not extra:
        return base
    return f"{base}&{urlencode(extra, quote_via=quote, safe='/:')}"


def options_from_controls(
    values: Mapping[str, str | None], *, reset_at: bool, latest: str | None
) -> ViewOptions:
    """View options from the control values; a new metric, period type or breakdown drops the
    chosen period (it may not exist there), and the latest period is written as none."""
    at = None if reset_at or values.get("at") in (None, latest) else values["at"]
    return ViewOptions(
        view=values.get("view") or DEFAULT_VIEW,
        baseline=values.get("baseline") or DEFAULT_BASELINE,
        at=date.fromisoformat(at) if at else None,
        rebase=()
        if reset_at
        else tuple(sorted(date.fromisoformat(d) for d in values.get("rebase") or ())),
        screen=bool(values.get("screen")),
        limits=_known_limits(values.get("limits")),
        reviewed_only=bool(values.get("reviewed")),
    )


def to_data(options: ViewOptions) -> dict:
    return {
        "view": options.view,
        "baseline": options.baseline,
        "at": options.at.isoformat() if options.at else None,
        "rebase": [d.isoformat() for d in options.rebase],
        "screen": options.screen,
        "limits": options.limits,
        "reviewed": options.reviewed_only,
    }


def from_data(data: Mapping | None) -> ViewOptions:
    data = data or {}
    at = data.get("at")
    return ViewOptions(
        view=data.get("view") or DEFAULT_VIEW,
        baseline=data.get("baseline") or DEFAULT_BASELINE,
        at=date.fromisoformat(at) if at else None,
        rebase=tuple(date.fromisoformat(d) for d in data.get("rebase") or ()),
        screen=bool(data.get("screen")),
        limits=_known_limits(data.get("limits")),
        reviewed_only=bool(data.get("reviewed")),
    )


def _known_limits(value: object) -> str:
    """A funnel-limits value from a control or stored state; anything unknown is the default."""
    return value if isinstance(value, str) and value in FUNNEL_LIMITS else DEFAULT_LIMITS


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


def explorer_to_data(state: ExplorerState) -> dict:
    """JSON-safe form for a dcc.Store (dates as ISO strings)."""
    data = asdict(state)
    for key in ("period_from", "period_to"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


def explorer_from_data(data: Mapping) -> ExplorerState:
    values = dict(data)
    for key in ("period_from", "period_to"):
        values[key] = date.fromisoformat(values[key]) if values.get(key) else None
    return ExplorerState(**values)


RESETS = {  # which later choices a change makes meaningless
    "metric_id": ("period_type", "breakdown", "period_from", "period_to"),
    "period_type": ("period_from", "period_to"),
    "breakdown": ("period_from", "period_to"),
}


def explorer_from_controls(
    values: Mapping[str, str | None],
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
    open, so a bookmark of "all periods" still shows newly published ones.
    """
    values = dict(values)
    if available and values.get("period_from") == available[0]:
        values["period_from"] = None
    if available and values.get("period_to") == available[-1]:
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
    )


def _iso_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
