"""Labelled controls: searchable dropdowns for long lists, native selects for short ones.

Every control has a visible label tied to it, so the pages work with a keyboard and a screen
reader, and option labels are the words people read (names, period labels), never codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import text
from queries.catalogue import load_catalogue

METHOD_NAMES = {
    "default": "Default (15 nearest)",
    "oflog-nn": "Oflog nearest neighbours",
}
FAMILY_OPTION_PREFIX = "family:"


def labelled(control, *, label: str, control_id: str, width: str = "col-md") -> html.Div:
    """A form group: label above the control, in one grid column."""
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="form-label fw-bold"), control],
        className=f"{width} mb-3 lsr-control",
    )


def area_picker(
    control_id: str,
    *,
    value: str,
    areas: Mapping[str, str],
    label: str = "Area",
    width: str = "col-md",
) -> html.Div:
    """All councils by name, searchable."""
    options = [
        {"label": name, "value": code}
        for code, name in sorted(areas.items(), key=lambda item: item[1])
    ]
    dropdown = dcc.Dropdown(
        id=control_id,
        options=options,
        value=value,
        clearable=False,
        searchable=True,
        placeholder="Type a council name",
        maxHeight=320,
    )
    return labelled(dropdown, label=label, control_id=control_id, width=width)


def method_picker(
    control_id: str,
    *,
    value: str,
    methods: Sequence[str],
    label: str = "Comparator group",
    width: str = "col-md",
) -> html.Div:
    options = [{"label": METHOD_NAMES.get(m, m), "value": m} for m in methods]
    return labelled(
        dbc.Select(id=control_id, options=options, value=value),
        label=label,
        control_id=control_id,
        width=width,
    )


def metric_picker(control_id: str, *, value: str, width: str = "col-md-5") -> html.Div:
    """Every catalogue metric, under a (non-selectable) heading per family."""
    catalogue = load_catalogue()
    options: list[dict] = []
    for family in catalogue.families.values():
        metrics = catalogue.in_family(family.id)
        if metrics:
            options.append(
                {
                    "label": family.title.upper(),
                    "value": f"{FAMILY_OPTION_PREFIX}{family.id}",
                    "disabled": True,
                }
            )
            options += [{"label": m.short, "value": m.id} for m in metrics]
    dropdown = dcc.Dropdown(
        id=control_id, options=options, value=value, clearable=False, searchable=True, maxHeight=400
    )
    return labelled(dropdown, label="Metric", control_id=control_id, width=width)


def period_type_picker(
    control_id: str, *, value: str, period_types: Sequence[str], width: str = "col-md"
) -> html.Div:
    options = [{"label": text.period_type_name(t), "value": t} for t in period_types]
    return labelled(
        dbc.Select(id=control_id, options=options, value=value, disabled=len(options) < 2),
        label="Periods",
        control_id=control_id,
        width=width,
    )


def breakdown_picker(
    control_id: str, *, value: str, options: Sequence[tuple[str, str]], width: str = "col-md"
) -> html.Div:
    """An "All" option plus each breakdown value the data holds; ``options`` are
    (value, label) pairs."""
    choices = [{"label": label, "value": code} for code, label in options]
    return labelled(
        dbc.Select(id=control_id, options=choices, value=value),
        label="Breakdown",
        control_id=control_id,
        width=width,
    )


def period_picker(
    control_id: str,
    *,
    label: str,
    value: str | None,
    periods: Sequence[tuple[str, str]],
    width: str = "col-md",
) -> html.Div:
    """One end of the period range; ``periods`` are (ISO start date, label) in order."""
    options = [{"label": period_label, "value": start} for start, period_label in periods]
    return labelled(
        dbc.Select(id=control_id, options=options, value=value, disabled=not options),
        label=label,
        control_id=control_id,
        width=width,
    )
