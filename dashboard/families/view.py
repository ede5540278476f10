"""The family pages' data, driven by the catalogue family id: which period types and periods
the pickers offer, and every chart of the page for an area, comparator method and period
range (see family_pages.py for what each page shows)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from dashboard.families.chart_views import ChartView, Context, chart_view, series_keys
from dashboard.families.definitions import PAGES, ChartDef, FamilyPage, Section
from dashboard.families.state import FamilyOptions, FamilyState
from queries import family, periods, series
from queries.catalogue import load_catalogue
from queries.store import DataStore


@dataclass(frozen=True)
class FamilyView:
    page: FamilyPage
    state: FamilyState
    area_name: str
    options: FamilyOptions
    peer_count: int
    sections: list[tuple[Section, list[ChartView]]]

    @property
    def periods(self) -> list[tuple[str, str]]:
        """(ISO start, label) of every period of the chosen type, for the range pickers."""
        starts = self.options.starts.get(self.state.period_type, ())
        return [(s.isoformat(), periods.label(s, self.state.period_type)) for s in starts]

    @property
    def snapshot(self) -> date | None:
        """The snapshot the rating bars show: ?at= when published, else the latest."""
        if self.state.at in self.options.snapshots:
            return self.state.at
        return self.options.snapshots[-1] if self.options.snapshots else None


def page_for(family_id: str) -> FamilyPage:
    return PAGES[family_id]


def family_options(store: DataStore, page: FamilyPage) -> FamilyOptions:
    """Period types the family's data has (the catalogue default first) and their periods:
    the same for every council, so worked out once per data version and page."""
    return store.shared(
        "family_options", {"family": page.family}, lambda: _family_options(store, page)
    )


def _family_options(store: DataStore, page: FamilyPage) -> FamilyOptions:
    availability = family.family_availability(store, page.family)
    present = availability.period_types()
    allowed = [t for t in (page.period_types or present) if t in present]
    default = _default_period_type(page, allowed)
    ordered = tuple(dict.fromkeys([default, *allowed])) if default else ()
    starts = {t: availability.period_starts(t) for t in ordered}
    snapshots = ()
    if page.snapshot_metric:
        snapshots = tuple(availability.period_starts("snapshot", [page.snapshot_metric]))
    return FamilyOptions(
        period_types=ordered or (page.period_types or ("quarter",))[:1],
        starts=starts,
        snapshots=snapshots,
    )


def _default_period_type(page: FamilyPage, allowed: list[str]) -> str | None:
    """The first chart metric's first catalogue period type that the data has."""
    for _section, chart in _charts(page):
        metric_types = load_catalogue().get(chart.metric_id).period_types
        for period_type in metric_types:
            if period_type in allowed:
                return period_type
    return allowed[0] if allowed else None


def _charts(page: FamilyPage):
    for section in page.sections:
        for chart in section.charts:
            yield section, chart


def _context(store: DataStore, state: FamilyState, area_name: str) -> Context:
    """What the page's charts share, with every council's rows of the series they show: one
    query per data version, page, period type and method, then a look-up per council."""
    context = Context(
        store=store,
        state=state,
        area_name=area_name,
        availability=family.family_availability(store, state.family),
        peer_count=series.comparator_peer_count(store, state.area, state.method),
    )
    keys = series_keys(context, (chart for _section, chart in _charts(page_for(state.family))))
    return replace(context, every_area=family.all_areas(store, keys, state.method))


def family_view(
    store: DataStore, state: FamilyState, *, area_name: str, options: FamilyOptions
) -> FamilyView:
    page = page_for(state.family)
    context = _context(store, state, area_name)
    sections = [
        (section, [chart_view(context, chart) for chart in section.charts])
        for section in page.sections
    ]
    return FamilyView(
        page=page,
        state=state,
        area_name=area_name,
        options=options,
        peer_count=context.peer_count,
        sections=sections,
    )


def find_chart(page: FamilyPage, key: str) -> ChartDef:
    for _section, chart in _charts(page):
        if chart.key == key:
            return chart
    raise KeyError(f"page {page.path} has no chart {key!r}")


def chart_csv(store: DataStore, state: FamilyState, key: str, *, area_name: str) -> str:
    """The CSV of one chart, recomputed from the state (what the download button sends)."""
    chart = find_chart(page_for(state.family), key)
    view = chart_view(_context(store, state, area_name), chart)
    return view.csv_text(state, area_name)


def chart_filename(state: FamilyState, key: str, *, area_name: str) -> str:
    """The CSV's name: page, chart, the breakdown it splits by (if any) and the area."""
    breakdown = find_chart(page_for(state.family), key).breakdown
    name = breakdown.partition(":")[0].replace("_", "-")
    by = "" if breakdown == family.HEADLINE else f"-by-{name}"
    return f"{state.family}-{key}{by}-{area_name}".lower().replace(" ", "-")


def warm(store: DataStore) -> None:
    """Build every family page's series for every council in its default period type under
    the default comparator method: what the first view of a page after a publish would wait
    for (the other methods, ~135 MB per method per worker, are built when first asked for)."""
    method = series.comparator_methods(store)["method"].iloc[0]  # the default comes first
    for page in PAGES.values():
        options = family_options(store, page)
        state = FamilyState(
            page.family, area="", method=method, period_type=options.period_types[0]
        )
        _context(store, state, area_name="")
