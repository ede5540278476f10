"""Select areas: URL state both ways, the view over the fixture, grid rows, CSV and layout."""

from __future__ import annotations

import importlib
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard import reference, text
from dashboard.select import grid as selection_grid
from dashboard.select import view as views
from dashboard.select.url_state import (
    DEFAULT_SORT,
    SelectionChoices,
    SelectionState,
    parse_selection,
    selection_href,
    sort_from_columns,
    with_weights,
)
from dashboard.ui.notice import PAGE_NOTICES
from tests.dashboard.helpers import find, text_of
from tests.fixtures import COUNCILS

HALTON, COVENTRY = COUNCILS[0], COUNCILS[1]
CHOICES = SelectionChoices(
    years=[2016, 2017],
    default_year=2017,
    metrics={"ea65_rate": "Emergency admissions 65+", "dtoc_rate": "Delayed transfers"},
    regions=["North West", "London"],
    la_types=["unitary", "london"],
    areas={HALTON: "Halton", COVENTRY: "Coventry", "E08000012": "Liverpool"},
    default_x="dtoc_rate",
    default_y="ea65_rate",
    default_map="dtoc_rate",
    resolve_area=lambda text: {"halton": HALTON}[text.lower()],
)


def source_of(figure) -> str:
    """A figure's source note, its lines (wrapped to fit the card) joined again."""
    note = next(note.text for note in figure.layout.annotations if note.name == "lsr-source")
    return note.replace("<br>", " ")


def parse(**query):
    return parse_selection(query, CHOICES)


class TestParseSelection:
    def test_no_parameters_give_the_defaults_silently(self):
        parsed = parse()
        assert parsed.state == SelectionState(
            year=2017, x="dtoc_rate", y="ea65_rate", map_metric="dtoc_rate"
        )
        assert parsed.notices == []

    def test_every_parameter_is_read(self):
        parsed = parse(
            period="2016/17",
            region="london",
            type="unitary",
            reviewed="1",
            weights="ea65_rate:2,dtoc_rate:0",
            shortlist=f"{COVENTRY},Halton",
            x="ea65_rate",
            y="dtoc_rate",
            map="ea65_rate",
        )
        state = parsed.state
        assert (state.year, state.region, state.la_type, state.reviewed_only) == (
            2016,
            "London",
            "unitary",
            True,
        )
        assert state.weight_map(["ea65_rate", "dtoc_rate"]) == {"ea65_rate": 2.0, "dtoc_rate": 0.0}
        assert state.shortlist == (COVENTRY, HALTON)
        assert (state.x, state.y, state.map_metric) == ("ea65_rate", "dtoc_rate", "ea65_rate")
        assert parsed.notices == []

    def test_each_bad_value_falls_back_with_its_own_notice(self):
        parsed = parse(
            period="1999/00",
            region="Atlantis",
            type="parish",
            reviewed="maybe",
            weights="ea65_rate:9,nonsense:1,dtoc_rate:x",
            shortlist="E06000002,Nowhere,E99999999",
            x="tea",
            map="coffee",
        )
        assert parsed.state.year == 2017 and parsed.state.region == "all"
        assert parsed.state.weights == ()
        assert parsed.state.shortlist == (COVENTRY,)
        assert parsed.state.x == "dtoc_rate" and parsed.state.map_metric == "dtoc_rate"
        text = " ".join(parsed.notices)
        for fragment in ("1999/00", "Atlantis", "parish", "maybe", "ea65_rate:9", "Nowhere"):
            assert fragment in text
        assert len(parsed.notices) == 10

    def test_duplicate_shortlist_entries_are_kept_once(self):
        assert parse(shortlist=f"{HALTON},halton,{HALTON}").state.shortlist == (HALTON,)


class TestGridSort:
    def test_default_is_composite_rank_and_is_not_written(self):
        state = parse().state
        assert state.sort == DEFAULT_SORT and "sort" not in selection_href(state, CHOICES)

    def test_sort_round_trips_through_readable_names(self):
        state = replace(parse().state, sort=(("ea65_rate", "desc"), ("name_link", "asc")))
        href = selection_href(state, CHOICES)
        assert href == "/?sort=-ea65_rate,council"
        assert parse_selection(_query(href), CHOICES).state == state

    def test_no_sort_is_written_as_none(self):
        state = replace(parse().state, sort=())
        assert selection_href(state, CHOICES) == "/?sort=none"
        assert parse(sort="none").state.sort == ()

    def test_unknown_column_falls_back_with_a_notice(self):
        parsed = parse(sort="-shoe_size")
        assert parsed.state.sort == DEFAULT_SORT
        assert parsed.notices == [
            "Cannot sort the table by “-shoe_size”; sorting by composite rank."
        ]

    def test_sort_from_the_grid_column_state_in_sort_index_order(self):
        column_state = [
            {"colId": "name_link", "sort": "asc", "sortIndex": 1},
            {"colId": "composite_rank", "sort": None, "sortIndex": None},
            {"colId": "rank_ea65_rate", "sort": "desc", "sortIndex": 0},
        ]
        assert sort_from_columns(column_state) == (("rank_ea65_rate", "desc"), ("name_link", "asc"))
        assert sort_from_columns([]) == ()

    def test_grid_columns_carry_the_url_sort(self):
        columns = [{"field": "name_link"}, {"children": [{"field": "ea65_rate"}]}]
        sorted_columns = selection_grid.with_sort(columns, (("ea65_rate", "desc"),))
        assert sorted_columns[1]["children"][0] == {
            "field": "ea65_rate",
            "sort": "desc",
            "sortIndex": 0,
        }
        assert "sort" not in sorted_columns[0]


class TestSelectionHref:
    def test_defaults_give_the_bare_path(self):
        assert selection_href(parse().state, CHOICES) == "/"

    def test_round_trip_keeps_every_choice(self):
        state = SelectionState(
            year=2016,
            x="ea65_rate",
            y="dtoc_rate",
            map_metric="ea65_rate",
            region="North West",
            la_type="london",
            reviewed_only=True,
            weights=(("ea65_rate", 2.5),),
            shortlist=(COVENTRY, HALTON),
        )
        href = selection_href(state, CHOICES)
        query = dict(parse_qsl(urlsplit(href).query))
        assert query["shortlist"] == f"{COVENTRY},{HALTON}"
        assert query["weights"] == "ea65_rate:2.5"
        assert parse_selection(query, CHOICES).state == state

    def test_shortlist_is_readable_in_the_address(self):
        state = SelectionState(
            year=2017, x="dtoc_rate", y="ea65_rate", map_metric="dtoc_rate", shortlist=(HALTON,)
        )
        assert selection_href(state, CHOICES) == f"/?shortlist={HALTON}"

    def test_with_weights_drops_defaults_and_clamps(self):
        state = with_weights(parse().state, {"ea65_rate": 1, "dtoc_rate": 7, "x": None})
        assert state.weights == (("dtoc_rate", 3.0),)


@pytest.fixture()
def view(store):
    choices = views.selection_choices(store, areas=reference.directory())
    state = parse_selection({"shortlist": HALTON}, choices).state
    return views.selection_view(store, state, areas=reference.directory())


class TestView:
    def test_choices_come_from_the_data(self, store):
        choices = views.selection_choices(store, areas=reference.directory())
        assert choices.default_year == 2017
        assert list(choices.metrics)[:2] == ["ea65_rate", "los_p90_ea65"]
        assert (choices.default_x, choices.default_y, choices.default_map) == (
            "dtoc_rate",
            "ascof_2b1",
            "dtoc_rate",
        )

    def test_every_council_is_ranked_and_england_is_kept_apart(self, view):
        assert len(view.table) == 20
        assert view.table["composite_rank"].notna().all()
        assert view.england("dtoc_rate") is not None
        assert not view.has_data("ascof_2b2")

    def test_filters_keep_only_matching_rows(self, store):
        choices = views.selection_choices(store, areas=reference.directory())
        state = parse_selection({"reviewed": "1"}, choices).state
        reviewed = views.selection_view(store, state, areas=reference.directory())
        assert set(reviewed.rows["area_code"]) == {HALTON, COVENTRY}

    def test_grid_rows_carry_text_quartiles_and_words(self, view):
        rows = selection_grid.grid_rows(view)
        first = rows[0]
        assert first["composite_rank"] == 1
        assert first["name_link"].startswith("[") and "/area/" in first["name_link"]
        assert first["tip_dtoc_rate"].startswith("Quartile")
        assert first["text_ascof_2b2"] == "–" and first["tip_ascof_2b2"].startswith("Not ranked")

    def test_footnotes_say_how_each_year_value_was_found(self, view):
        notes = " ".join(views.footnotes(view))
        assert "Σ numerators ÷ Σ denominators of the year's 12 months" in notes
        assert "published financial-year figure" in notes
        assert "no data for 2017/18" in notes

    def test_csv_is_the_rows_shown_after_metadata(self, view):
        codes = [COVENTRY, HALTON]
        lines = views.csv_text(view, codes).splitlines()
        metadata = [line for line in lines if line.startswith("#")]
        rows = [line for line in lines if not line.startswith("#")]
        assert metadata[0] == "# title: Councils ranked on the interface metrics, 2017/18"
        assert any(line.startswith("# filters: region = all") for line in metadata)
        assert any(line.startswith("# weights: ea65_rate 1") for line in metadata)
        assert "# synthetic data: yes (demo values, not real figures) for some metrics" in metadata
        assert rows[0].startswith("area_code,name,region,la_type,reviewed,shortlisted")
        assert [row.split(",")[0] for row in rows[1:]] == codes
        assert rows[2].split(",")[5] == "True"  # Halton is shortlisted

    def test_figure_source_notes_are_worded_as_every_chart_s(self, view):
        """One writer (``text.source_note``): each source once on one line, the vintage and
        the synthetic flag; no comparators line (the page ranks every council)."""
        scatter_note = source_of(views.scatter_figure(view))
        x, y = view.metric(view.state.x), view.metric(view.state.y)
        sources = f"Source: {view.source_name(x)}; {view.source_name(y)} · Data vintage: fixture"
        assert scatter_note == f"{sources} · {text.SYNTHETIC_NOTE}"
        map_metric = view.metric(view.state.map_metric)
        assert not view.synthetic(map_metric.id)
        map_note = source_of(views.map_figure(view))
        assert map_note == f"Source: {view.source_name(map_metric)} · Data vintage: fixture"

    def test_figures_and_descriptions(self, view):
        assert views.scatter_figure(view).layout.meta["chart"] == "scatter"
        assert views.map_figure(view).layout.meta["chart"] == "hexmap"
        assert "Shortlisted councils" in views.scatter_description(view)
        assert "20 English councils" in views.map_description(view)
        assert views.scatter_csv(view).count("\n") > 20
        assert "quartile" in views.map_csv(view).splitlines()[-21]


@pytest.fixture()
def select_page(app, store):
    """The page module, imported as the router does once the app exists."""
    return importlib.import_module("dashboard.select.page")


class TestShortlistMerge:
    def test_ticks_decide_for_visible_rows_and_hidden_councils_stay(self, select_page):
        page = select_page
        merged = page.merged_shortlist(["A", "B", "H"], ["B", "C"], visible={"A", "B", "C"})
        assert merged == ["B", "H", "C"]

    def test_grid_selection_forms(self, select_page):
        page = select_page
        assert page.selected_codes({"ids": ["A"]}) == ["A"]
        assert page.selected_codes([{"area_code": "B", "name": "x"}]) == ["B"]
        assert page.selected_codes(None) == []


class TestLayout:
    def test_renders_with_no_notices_and_the_url_shortlist_ticked(self, select_page):
        layout = select_page.layout(shortlist=f"{HALTON},{COVENTRY}")
        assert find(layout, PAGE_NOTICES).data == []
        assert find(layout, "select-grid").selectedRows == {"ids": [HALTON, COVENTRY]}
        assert "Halton" in text_of(find(layout, "select-shortlist-chips"))

    def test_bad_parameters_still_render_with_notices(self, select_page):
        layout = select_page.layout(period="1066", x="nope", weights="bad")
        assert len(find(layout, PAGE_NOTICES).data) == 3
        assert find(layout, "select-period").value == "2017"

    def test_every_control_has_a_label(self, select_page):
        layout = select_page.layout()
        labels = {getattr(c, "htmlFor", None) for c in _walk(layout) if type(c).__name__ == "Label"}
        for control_id in (
            "select-period",
            "select-region",
            "select-type",
            "select-x",
            "select-y",
            "select-map-metric",
            "select-weight-dtoc_rate",
        ):
            assert control_id in labels
        assert find(layout, "select-reviewed").label == "Reviewed areas only"


def _walk(layout):
    from tests.dashboard.helpers import walk

    return walk(layout)


def _query(href: str) -> dict:
    return dict(parse_qsl(urlsplit(href).query))
