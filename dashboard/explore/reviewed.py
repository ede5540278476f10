"""The explorer's reviewed-areas view: the reviewed councils side by side, each against its own
comparator mean and England, in the chosen period type and range; each panel's title carries
the area's latest value and its verdict against England."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import text
from dashboard.charts import small_multiples
from dashboard.explore.view import csv_document
from dashboard.series_view import ExplorerView
from dashboard.text import vintage_summary
from queries import explorer as explorer_queries
from queries.store import DataStore

EXPORT_COLUMNS = (
    "area_code",
    "name",
    "period_label",
    "period_start",
    "area_value",
    "area_lower",
    "area_upper",
    "area_suppressed",
    "comparator_mean",
    "comparator_n",
    "england_value",
    "vs_england",
    "vs_comparator",
    "is_synthetic",
)
VERDICT_WORDS = {  # vs_england -> the panel's words
    "better": "better than England",
    "worse": "worse than England",
    "similar": "similar to England",
}
NOT_COMPARED = "not compared with England"


@dataclass(frozen=True)
class ReviewedView:
    explorer: ExplorerView
    frame: pd.DataFrame  # one row per reviewed council and period

    @property
    def names(self) -> list[str]:
        return [] if self.frame.empty else list(dict.fromkeys(self.frame["name"]))

    @property
    def area_count(self) -> int:
        return 0 if self.frame.empty else int(self.frame["area_code"].nunique())

    @property
    def title(self) -> str:
        return (
            f"{self.explorer.what} — the {self.area_count} reviewed areas "
            "vs their comparators vs England"
        )

    @property
    def subtitle(self) -> str:
        parts = [self.explorer.unit, text.period_type_name(self.explorer.state.period_type)]
        if not self.frame.empty:
            labels = self.frame.sort_values("period_start")["period_label"]
            parts.append(f"{labels.iloc[0]} to {labels.iloc[-1]}")
        parts.append("same scale in every panel; under each name its latest value and verdict")
        return " · ".join(parts)

    @property
    def synthetic(self) -> bool:
        return bool(not self.frame.empty and self.frame["is_synthetic"].any())

    @property
    def vintage(self) -> str:
        return vintage_summary(self.frame["vintage"] if not self.frame.empty else [])

    @property
    def comparators(self) -> str:
        return f"mean of each area's own comparator group, method “{self.explorer.state.method}”"

    @property
    def latest(self) -> pd.DataFrame:
        """Each area's latest period with a value (one row per area, panel order)."""
        if self.frame.empty:
            return self.frame
        valued = self.frame[self.frame["area_value"].notna()]
        return valued.sort_values("period_start").groupby("name", sort=False).tail(1)

    def panel_notes(self) -> dict[str, str]:
        """Per area: "64.2 · worse than England", naming the period when it is not the latest
        the panels share."""
        latest = self.latest
        if latest.empty:
            return {}
        newest = latest["period_start"].max()
        metric = self.explorer.metric
        notes = {}
        for row in latest.itertuples(index=False):
            value = metric.format_value(row.area_value)
            if row.period_start != newest:
                value += f" in {row.period_label}"
            notes[row.name] = f"{value} · {VERDICT_WORDS.get(row.vs_england, NOT_COMPARED)}"
        return notes

    def description(self) -> str:
        """What screen readers get: every panel's latest value and verdict."""
        notes = self.panel_notes()
        listed = "; ".join(f"{name}: {notes[name]}" for name in self.names if name in notes)
        return (
            "Small multiples, one panel per reviewed area, each against its comparator mean "
            f"and England. Latest values: {listed}. Download the CSV for every value."
        )

    def empty_message(self) -> str | None:
        if self.frame.empty:
            return "No reviewed area has data for this metric and selection."
        if self.frame["area_value"].isna().all():
            return "No reviewed area has a value in the chosen period range."
        return None

    def figure(self) -> go.Figure:
        view = self.explorer
        spec = small_multiples.SmallMultiplesSpec(
            title=self.title,
            subtitle=self.subtitle,
            source_note=view.source_note(
                synthetic=self.synthetic, vintage=self.vintage, comparators=self.comparators
            ),
            highlight=view.area_name,
            notes=self.panel_notes(),
            decimals=view.metric.decimals,
            percent=view.metric.is_percentage,
            empty_message=self.empty_message() or "",
        )
        return small_multiples.build(self.frame, spec=spec)

    def csv_text(self) -> str:
        columns = [c for c in EXPORT_COLUMNS if c in self.frame.columns]
        return csv_document(
            self.explorer,
            self.frame[columns],
            title=self.title,
            synthetic=self.synthetic,
            vintage=self.vintage,
            extra={"areas": "reviewed areas (areas.reviewed = true)"},
        )


def reviewed_view(store: DataStore, view: ExplorerView) -> ReviewedView:
    state = view.state
    selection = explorer_queries.Selection(
        metric_id=state.metric_id,
        period_type=state.period_type,
        method=state.method,
        breakdown=state.breakdown,
        breakdown_value=state.breakdown_value,
    )
    frame = explorer_queries.reviewed_series(
        store, selection, period_from=state.period_from, period_to=state.period_to
    )
    return ReviewedView(view, frame)
