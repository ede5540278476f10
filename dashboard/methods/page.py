"""Methods & sources: how every number is made, each metric's definition and the datasets.

Every section and every metric has an anchor (#metric-<id>) so tiles and tooltips elsewhere
can link "How is this calculated?" straight to it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import context, methods_and_sources
from dashboard.methods import view as methods
from dashboard.ui.page import page, page_title, unpublished

dash.register_page(
    __name__,
    path="/methods",
    name="Methods & sources",
    title=page_title("Methods & sources"),
    order=90,
    reads=(),
)


def layout(**_query: object) -> html.Div:
    if (missing := unpublished(context.store())) is not None:
        return missing
    store = context.store()
    sections = methods_and_sources.method_sections()
    families = methods.metric_definitions()
    return page(
        html.H1("Methods and sources", className="mb-2"),
        html.P(
            "How every number on this site is calculated, what each metric means and where "
            "the data come from.",
            className="lead",
        ),
        _contents(sections, families),
        *[_section(section) for section in sections],
        _comparator_methods(store),
        html.Section(
            [
                html.H2("Metric definitions", id="metrics", className="h3 mt-5"),
                *[_family(family_id, title, entries) for family_id, title, entries in families],
            ],
            **{"aria-labelledby": "metrics"},
        ),
        _datasets(store),
        _licence(),
    )


def _contents(sections, families) -> html.Nav:
    links = [html.Li(html.A(s.title, href=f"#{s.anchor}")) for s in sections]
    links.append(html.Li(html.A("Comparator methods available", href="#comparator-methods")))
    links.append(
        html.Li(
            [
                html.A("Metric definitions", href="#metrics"),
                html.Ul(
                    [
                        html.Li(html.A(title, href=f"#family-{family_id}"))
                        for family_id, title, _ in families
                    ]
                ),
            ]
        )
    )
    links.append(html.Li(html.A("Datasets", href="#datasets")))
    links.append(html.Li(html.A("Licence and attribution", href="#licence")))
    return html.Nav(
        [html.H2("Contents", className="h5"), html.Ul(links, className="lsr-methods-contents")],
        className="lsr-methods-nav mb-4",
        **{"aria-label": "Contents"},
    )


def _section(section: methods_and_sources.Section) -> html.Section:
    return html.Section(
        [
            html.H2(section.title, id=section.anchor, className="h3 mt-5"),
            *[html.P(paragraph, className="lsr-definition") for paragraph in section.paragraphs],
        ],
        **{"aria-labelledby": section.anchor},
    )


def _comparator_methods(store) -> html.Section:
    frame = methods.comparator_methods(store)
    rows = [
        html.Tr(
            [
                html.Th(method, scope="row"),
                html.Td(f"{areas:,}"),
                html.Td(description),
            ]
        )
        for method, areas, description in zip(
            frame["method"], frame["areas"], frame["description"], strict=True
        )
    ]
    return html.Section(
        [
            html.H2("Comparator methods available", id="comparator-methods", className="h3 mt-5"),
            _table(["Method", "Councils covered", "How the groups are made"], rows)
            if rows
            else html.P("No comparator groups are published."),
        ],
        **{"aria-labelledby": "comparator-methods"},
    )


def _family(family_id: str, title: str, entries: list[methods.MetricDefinition]) -> html.Section:
    anchor = f"family-{family_id}"
    return html.Section(
        [
            html.H3(title, id=anchor, className="h4 mt-4"),
            *[_metric(entry) for entry in entries],
        ],
        **{"aria-labelledby": anchor},
    )


def _metric(entry: methods.MetricDefinition) -> html.Article:
    metric = entry.metric
    facts = [item for label, value in entry.facts for item in (html.Dt(label), html.Dd(value))]
    return html.Article(
        [
            html.H4(metric.title, id=entry.anchor, className="h6 fw-bold"),
            html.P(metric.definition, className="mb-2"),
            html.Dl(facts, className="lsr-metric-facts"),
        ],
        className="lsr-metric-definition",
        **{"aria-labelledby": entry.anchor},
    )


def _datasets(store) -> html.Section:
    frame = methods_and_sources.datasets_table(store)
    rows = []
    for record in frame.to_dict("records"):
        name = html.A(record["name"], href=record["url"]) if record["url"] else record["name"]
        rows.append(
            html.Tr(
                [
                    html.Th(name, scope="row"),
                    *[
                        html.Td(record[key])
                        for key in list(methods_and_sources.DATASET_COLUMNS)[1:]
                    ],
                ]
            )
        )
    return html.Section(
        [
            html.H2("Datasets", id="datasets", className="h3 mt-5"),
            html.P(
                "What the published data holds: one row per source, with when it was published "
                "or generated and whether it is synthetic.",
                className="lsr-definition",
            ),
            _table(list(methods_and_sources.DATASET_COLUMNS.values()), rows)
            if rows
            else html.P("No datasets are published."),
        ],
        **{"aria-labelledby": "datasets"},
    )


def _licence() -> html.Section:
    sources = [
        html.Li(
            [
                html.A(name, href=url) if url else name,
                f" — {publisher}. Licence: {licence}.",
            ]
        )
        for name, publisher, licence, url in methods_and_sources.catalogue_sources()
    ]
    return html.Section(
        [
            html.H2("Licence and attribution", id="licence", className="h3 mt-5"),
            html.P(
                [
                    "Contains public sector information licensed under the ",
                    html.A(
                        "Open Government Licence v3.0",
                        href=methods_and_sources.OGL_URL,
                        rel="license",
                    ),
                    ". Contains National Statistics data © Crown copyright and database right.",
                ]
            ),
            html.P("Sources cited by the metric catalogue:"),
            html.Ul(sources),
        ],
        className="mb-5",
        **{"aria-labelledby": "licence"},
    )


def _table(headings: list[str], rows: list[html.Tr]) -> dbc.Table:
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in headings])), html.Tbody(rows)],
        bordered=False,
        striped=True,
        responsive=True,
        size="sm",
        className="lsr-methods-table bg-white",
    )
