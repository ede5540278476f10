"""The ranking grid: every shown council × the interface metrics in dash-ag-grid.

Values are numbers (so sorting and number filters work) shown with the catalogue's format;
each value cell is coloured by its quartile and its tooltip says the quartile and rank in
words, so colour is never the only signal. The council column stays first beside the shortlist
checkboxes (any column can be pinned from its menu; pinning by default would leave an empty
ARIA header row in the pinned section, which axe reports as critical); England is pinned above
the councils for reference.
"""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import html

from dashboard import text
from dashboard.charts.hexmap import QUARTILE_COLOURS, QUARTILE_NAMES
from dashboard.select.view import QUARTILE_WORDS, SelectionView, json_value, rounded
from dashboard.urls import AREA_PROFILE_PATH
from queries.schema import ENGLAND_CODE

GRID = "select-grid"
GRID_HEIGHT = "560px"
QUARTILE_CLASS = "lsr-q{}"


def quartile_text(quartile: object, rank: object, count: int) -> str:
    if json_value(quartile) is None:
        return "Not ranked (no value)"
    return f"{QUARTILE_WORDS[int(quartile)].capitalize()} · rank {int(rank)} of {count}"


def grid_rows(view: SelectionView, rows: pd.DataFrame | None = None) -> list[dict]:
    """One dict per shown council: values, display text, ranks, quartiles and tooltips."""
    rows = view.rows if rows is None else rows
    counts = {m.id: view.ranked_count(m.id) for m in view.metrics}
    records = []
    for row in rows.to_dict("records"):
        record = {
            "area_code": row["area_code"],
            "name": row["name"],
            "name_link": f"[{_markdown(row['name'])}]({AREA_PROFILE_PATH}{row['area_code']})",
            "region": row["region"],
            "la_type": text.LA_TYPE_NAMES.get(row["la_type"], row["la_type"]),
            "reviewed": "Yes" if row["reviewed"] else "",
            "composite_score": rounded(row.get("composite_score"), 1),
            "composite_rank": json_value(row.get("composite_rank")),
            "metrics_used": json_value(row.get("metrics_used")),
        }
        for metric in view.metrics:
            value = json_value(row.get(metric.id))
            suppressed = bool(json_value(row.get(f"suppressed_{metric.id}")))
            quartile = json_value(row.get(f"quartile_{metric.id}"))
            rank = json_value(row.get(f"rank_{metric.id}"))
            record[metric.id] = value
            record[f"text_{metric.id}"] = "suppressed" if suppressed else metric.format_value(value)
            record[f"rank_{metric.id}"] = rank
            record[f"quartile_{metric.id}"] = quartile
            record[f"tip_{metric.id}"] = (
                "Suppressed (small numbers)"
                if suppressed
                else quartile_text(quartile, rank, counts[metric.id])
            )
        records.append(record)
    return records


def england_row(view: SelectionView) -> dict:
    """England's values, pinned above the councils for reference."""
    record: dict = {
        "area_code": ENGLAND_CODE,
        "name": "England",
        "name_link": "**England** (for reference)",
        "region": "",
        "la_type": "",
    }
    for metric in view.metrics:
        value = view.england(metric.id)
        record[metric.id] = value
        record[f"text_{metric.id}"] = metric.format_value(value)
        record[f"tip_{metric.id}"] = "England value, for reference (not ranked)"
    return record


def _markdown(name: str) -> str:
    return name.replace("[", "\\[").replace("]", "\\]")


def column_defs(view: SelectionView) -> list[dict]:
    """Council, composite, one group per metric (value + rank), then region, type, reviewed."""
    columns: list[dict] = [
        {
            "field": "name_link",
            "headerName": "Council",
            "lockPosition": "left",
            "cellRenderer": "markdown",
            "filter": "agTextColumnFilter",
            "minWidth": 190,
            "width": 210,
            "tooltipField": "name",
        },
        {
            "headerName": "Composite",
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "headerTooltip": "Weighted mean of percentile scores (0 worst – 100 best)",
            "children": [
                {
                    "field": "composite_rank",
                    "headerName": "Rank",
                    "filter": "agNumberColumnFilter",
                    "width": 112,
                },
                {
                    "field": "composite_score",
                    "headerName": "Score",
                    "filter": "agNumberColumnFilter",
                    "width": 92,
                },
            ],
        },
    ]
    for metric in view.metrics:
        columns.append(
            {
                "headerName": metric.short,
                "wrapHeaderText": True,
                "autoHeaderHeight": True,
                "headerTooltip": f"{metric.title} ({view.unit(metric)})",
                "headerClass": "lsr-metric-header",
                "children": [
                    {
                        "field": metric.id,
                        "headerName": "Value",
                        "headerTooltip": f"{metric.short}: {view.unit(metric)}",
                        "type": "rightAligned",
                        "filter": "agNumberColumnFilter",
                        "valueFormatter": {
                            "function": f"params.data ? params.data['text_{metric.id}'] : ''"
                        },
                        "tooltipField": f"tip_{metric.id}",
                        "cellClassRules": {
                            QUARTILE_CLASS.format(q): (
                                f"params.data && params.data['quartile_{metric.id}'] === {q}"
                            )
                            for q in QUARTILE_WORDS
                        },
                        "width": 108,
                    },
                    {
                        "field": f"rank_{metric.id}",
                        "headerName": "Rank",
                        "headerTooltip": f"{metric.short}: rank (1 = best)",
                        "type": "rightAligned",
                        "filter": "agNumberColumnFilter",
                        "tooltipField": f"tip_{metric.id}",
                        "width": 84,
                    },
                ],
            }
        )
    columns += [
        {"field": "region", "headerName": "Region", "width": 170},
        {"field": "la_type", "headerName": "Type", "width": 170},
        {"field": "reviewed", "headerName": "Reviewed", "width": 110},
    ]
    return with_sort(columns, view.state.sort)


def with_sort(columns: list[dict], sort: tuple[tuple[str, str], ...]) -> list[dict]:
    """The column definitions sorted as the URL says (primary first)."""
    order = {column: (index, direction) for index, (column, direction) in enumerate(sort)}
    for column in columns:
        with_sort(column.get("children", []), sort)
        if column.get("field") in order:
            index, direction = order[column["field"]]
            column.update(sort=direction, sortIndex=index)
    return columns


def ranking_grid(view: SelectionView) -> dag.AgGrid:
    """The grid with the URL's shortlist ticked; ticking a row puts it in the URL."""
    rows = grid_rows(view)
    shown = {row["area_code"] for row in rows}
    return dag.AgGrid(
        id=GRID,
        rowData=rows,
        columnDefs=column_defs(view),
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        getRowId="params.data.area_code",
        selectedRows={"ids": [code for code in view.state.shortlist if code in shown]},
        dashGridOptions={
            "rowSelection": {
                "mode": "multiRow",
                "checkboxes": True,
                "headerCheckbox": False,
                "enableClickSelection": False,
            },
            "selectionColumnDef": {
                "lockPosition": "left",
                "width": 64,
                "headerName": "Pick",
                "headerTooltip": "Tick to add the council to the shortlist",
            },
            "pinnedTopRowData": [england_row(view)],
            "tooltipShowDelay": 200,
            "rowHeight": 34,
            "ensureDomOrder": True,
            "suppressColumnVirtualisation": True,
            "animateRows": False,
            "enableCellTextSelection": True,
            # Tab and Shift+Tab leave the grid (the browser's tab order) instead of walking
            # every header and cell; the arrow keys still move between cells and headers.
            "tabToNextCell": {"function": "false"},
            "tabToNextHeader": {"function": "false"},
        },
        style={"height": GRID_HEIGHT, "width": "100%"},
        className="lsr-select-grid",
    )


def skip_past(target_id: str) -> html.A:
    """A link, shown when it has keyboard focus, that jumps past the grid to ``target_id``."""
    return html.A("Skip the table", href=f"#{target_id}", className="lsr-skip-past")


def quartile_key() -> html.Ul:
    """The colour key of the value cells, in words."""
    return html.Ul(
        [
            html.Li(name, style={"--lsr-key-colour": QUARTILE_COLOURS[q]})
            for q, name in QUARTILE_NAMES.items()
        ],
        className="lsr-quartile-key",
        **{"aria-label": "Cell colours"},
    )
