"""The explorer's ranking view: every council in one period, ranked with intervals, and the same
councils on a funnel plot around England, the area, its comparator peers and the reviewed areas
marked; ?reviewed=1 shows the reviewed areas (and the area) only, ranked among all councils."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import funnel, ranking
from dashboard.explore.state import at_or_latest
from dashboard.explore.view import csv_document
from dashboard.series_view import ExplorerView
from dashboard.text import vintage_summary
from queries import explorer as explorer_queries
from queries.stats.overdispersion import Dispersion
from queries.store import DataStore

EXPORT_COLUMNS = (
    "position",
    "area_code",
    "name",
    "role",
    "reviewed",
    "period_label",
    "area_numerator",
    "area_denominator",
    "area_value",
    "area_lower",
    "area_upper",
    "vs_england",
    "funnel_flag",
    "england_value",
    "funnel_benchmark",
    "area_is_synthetic",
)
MAX_NAMED = 8
DENOMINATOR_HINT = "larger areas to the right, where the limits are narrower"
LIMIT_NAMES = {
    "none": "binomial / Poisson limits",
    "multiplicative": "limits widened for overdispersion (multiplicative)",
    "additive": "limits widened for overdispersion (additive random effects)",
}


@dataclass(frozen=True)
class RankingView:
    """One period's ranking and funnel. Its row selections (ranked, shown…) are worked out
    once per view: the summary, both charts, their cards and CSVs each read them."""

    explorer: ExplorerView
    period_start: date | None
    frame: pd.DataFrame  # one row per council (queries.explorer.ranking)
    limits: pd.DataFrame  # funnel limits across the denominators
    dispersion: Dispersion | None = None  # what the funnel's limits allow for
    reviewed_only: bool = False  # show the reviewed areas and the chosen area only

    @property
    def period_label(self) -> str:
        return "" if self.frame.empty else str(self.frame["period_label"].iloc[0])

    @cached_property
    def ranked(self) -> pd.DataFrame:
        """Every council with a rank (all of them, whatever is shown)."""
        return self.frame[self.frame["position"].notna()] if not self.frame.empty else self.frame

    @cached_property
    def shown(self) -> pd.DataFrame:
        """The councils on the charts and in their CSVs: all, or the reviewed areas and the
        chosen area."""
        if not self.reviewed_only or self.frame.empty:
            return self.frame
        keep = self.frame["reviewed"].fillna(False).astype(bool) | (self.frame["role"] == "area")
        return self.frame[keep]

    @cached_property
    def ranked_shown(self) -> pd.DataFrame:
        shown = self.shown
        return shown[shown["position"].notna()] if not shown.empty else shown

    @cached_property
    def funnel_rows(self) -> pd.DataFrame:
        shown = self.shown
        if shown.empty:
            return shown
        return shown[shown["funnel_flag"].isin(funnel.FLAGS)]

    @cached_property
    def synthetic(self) -> bool:
        rows = self.ranked
        return bool(not rows.empty and rows["area_is_synthetic"].fillna(False).astype(bool).any())

    @cached_property
    def vintage(self) -> str:
        return vintage_summary(self.frame["vintage"] if not self.frame.empty else [])

    def title(self, chart: str) -> str:
        what = self.explorer.what
        where = f"{self.period_label} ({self.explorer.area_name} marked)"
        if self.reviewed_only:  # ranks are still among all councils (the subtitle says)
            plot = (
                "reviewed areas ranked" if chart == "ranking" else "funnel plot of reviewed areas"
            )
            return f"{what} — {plot}, {where}"
        if chart == "ranking":
            return f"{what} — all councils ranked, {where}"
        return f"{what} — funnel plot against England, {where}"

    def subtitle(self, chart: str) -> str:
        unit = self.explorer.unit
        only = " · reviewed areas only" if self.reviewed_only else ""
        if chart == "ranking":
            among = f", ranked among all {len(self.ranked)}" if self.reviewed_only else ""
            return f"{unit} · {self.period_label} · bars are 95% confidence intervals{only}{among}"
        limits = f"95% and 99.8% {self.limits_name} around England"
        return f"{unit} · {self.period_label} · {limits}{only}"

    @property
    def limits_name(self) -> str:
        """Which limits the funnel shows, in a few words (unadjusted when the data show no
        overdispersion even if an adjustment was asked for)."""
        dispersion = self.dispersion
        if dispersion is None or not dispersion.adjusts:
            return LIMIT_NAMES["none"]
        return LIMIT_NAMES[dispersion.method]

    def limits_note(self) -> str | None:
        """The funnel's limits in a sentence: the model, the estimate and whose default it is."""
        if self.dispersion is None or self.funnel_message():
            return None
        metric = self.explorer.metric
        chosen = self.dispersion.method
        whose = (
            "the default for this metric"
            if chosen == metric.funnel_overdispersion
            else (f"chosen here; this metric's default is {metric.funnel_overdispersion}")
        )
        return f"Funnel: {self.dispersion.describe()} ({whose})."

    @property
    def denominator_title(self) -> str:
        """The x axis in words: what the denominator counts (e.g. person-days aged 18+)."""
        metric = self.explorer.metric
        words = metric.funnel_denominator or metric.denominator or "Denominator"
        return f"{words[0].upper()}{words[1:]} — {DENOMINATOR_HINT}"

    @property
    def comparators(self) -> str:
        return f"peers marked: {self.explorer.comparator_text}"

    def missing_note(self) -> str | None:
        """Which councils are not plotted (suppressed or not published)."""
        if self.frame.empty:
            return None
        missing = self.frame[self.frame["position"].isna()]
        if missing.empty:
            return None
        names = missing["name"].tolist()
        listed = ", ".join(names[:MAX_NAMED]) + (
            f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
        )
        return f"{len(names)} council(s) not plotted (suppressed or not published): {listed}."

    def summary(self) -> str | None:
        """Where the area sits: its rank, its verdict against England and its funnel flag."""
        area = self.frame[self.frame["role"] == "area"] if not self.frame.empty else self.frame
        name = self.explorer.area_name
        if area.empty or pd.isna(area["position"].iloc[0]):
            return f"{name} has no value for {self.period_label}." if self.period_label else None
        row = area.iloc[0]
        total = len(self.ranked)
        metric = self.explorer.metric
        sentence = (
            f"{name}: {metric.format_value(row['area_value'])} in {self.period_label}, "
            f"{_ordinal(int(row['position']))} lowest of {total} councils"
        )
        if row["funnel_flag"] in funnel.FLAGS:
            flag = funnel.flag_name(row["funnel_flag"], metric.polarity).lower()
            sentence += f"; on the funnel plot: {flag}"
        return sentence + "."

    def funnel_message(self) -> str | None:
        metric = self.explorer.metric
        if metric.ci_method not in explorer_queries.FUNNEL_METHODS:
            return (
                f"A funnel plot needs counts with a confidence-interval method; {metric.short} "
                "is not a proportion or a rate of counts, so it has none. See the ranking above."
            )
        if self.funnel_rows.empty or self.limits.empty:
            period = self.period_label or "this period"
            return f"No council has numerator and denominator counts for {period}."
        return None

    def ranking_figure(self) -> go.Figure:
        view = self.explorer
        spec = ranking.RankingSpec(
            title=self.title("ranking"),
            subtitle=self.subtitle("ranking"),
            source_note=view.source_note(
                synthetic=self.synthetic, vintage=self.vintage, comparators=self.comparators
            ),
            area_name=view.area_name,
            decimals=view.metric.decimals,
            percent=view.metric.is_percentage,
            total=len(self.ranked),
            reviewed_only=self.reviewed_only,
        )
        return ranking.build(self.shown, spec=spec)

    def funnel_figure(self) -> go.Figure:
        view = self.explorer
        spec = funnel.FunnelSpec(
            title=self.title("funnel"),
            subtitle=self.subtitle("funnel"),
            source_note=view.source_note(
                synthetic=self.synthetic, vintage=self.vintage, comparators=self.comparators
            ),
            area_name=view.area_name,
            polarity=view.metric.polarity,
            denominator_title=self.denominator_title,
            limits_adjusted=self.limits_name != LIMIT_NAMES["none"],
            decimals=view.metric.decimals,
            percent=view.metric.is_percentage,
            empty_message=self.funnel_message() or "",
        )
        return funnel.build(self.shown, limits=self.limits, spec=spec)

    def csv_text(self, chart: str) -> str:
        rows = self.ranked_shown if chart == "ranking" else self.funnel_rows
        columns = [c for c in EXPORT_COLUMNS if c in rows.columns]
        return csv_document(
            self.explorer,
            rows[columns],
            title=self.title(chart),
            synthetic=self.synthetic,
            vintage=self.vintage,
            extra=self._csv_extra(chart),
        )

    def _csv_extra(self, chart: str) -> dict[str, str]:
        extra = {"period": self.period_label, "benchmark": "England"}
        if self.reviewed_only:
            extra["councils"] = "reviewed areas and the chosen area only (ranks among all)"
        note = self.limits_note() if chart == "funnel" else None
        if note:
            extra["limits"] = note.removeprefix("Funnel: ").removesuffix(".")
        return extra


def ranking_view(store: DataStore, view: ExplorerView) -> RankingView:
    """The ranking and funnel of ``view.state``'s period (?at=, else the latest)."""
    state = view.state
    available = [start for start, _ in view.periods]
    period_start = at_or_latest(state, available)
    if period_start is None:
        return RankingView(view, None, pd.DataFrame(), pd.DataFrame(), None, state.reviewed_only)
    selection = explorer_queries.Selection(
        metric_id=state.metric_id,
        period_type=state.period_type,
        method=state.method,
        breakdown=state.breakdown,
        breakdown_value=state.breakdown_value,
    )
    adjustment = state.funnel_adjustment
    frame = explorer_queries.ranking(
        store,
        selection,
        area_code=state.area,
        period_start=period_start,
        funnel_adjustment=adjustment,
    )
    dispersion = explorer_queries.funnel_dispersion(frame, view.metric, adjustment)
    limits = explorer_queries.funnel_curve(frame, view.metric, dispersion)
    return RankingView(view, period_start, frame, limits, dispersion, state.reviewed_only)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
