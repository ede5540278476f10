"""The Methods & sources page's own content: the catalogue's metric definitions grouped by
family and the comparator methods in the data. The methods' prose and the datasets, which the
data profile prints too, are in ``dashboard.methods_and_sources``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import text
from queries import series
from queries.catalogue import Metric, load_catalogue
from queries.store import DataStore

POLARITY_TEXT = {
    "lower_is_better": "Lower is better",
    "higher_is_better": "Higher is better",
    "context": "Context (never judged better or worse)",
}
CI_TEXT = {
    "wilson": "Wilson score interval (a proportion)",
    "byar": "Byar's approximation; exact Poisson below 10 events (a rate from a count)",
    "none": "No interval (not compared for significance)",
}
FUNNEL_TEXT = {
    "none": "Unadjusted (binomial / Poisson)",
    "multiplicative": "Widened for overdispersion: multiplicative (Spiegelhalter)",
    "additive": "Widened for overdispersion: additive random effects (Spiegelhalter)",
}
POPULATION_TEXT = {"all": "All ages", "18+": "Aged 18 and over", "65+": "Aged 65 and over"}
COMPARATOR_METHOD_TEXT = {
    "default": (
        "The project's own method, from open data: each council is described by five features "
        "(size: log of population; age structure: % aged 65+ and, at half weight, % aged 85+; "
        "deprivation: IMD average rank; urban or rural: log of population density). Features "
        "are standardised to z-scores across the 152 councils; the 15 councils at the smallest "
        "weighted Euclidean distance form the group, ranked 1 to 15 (ties broken by area code)."
    ),
    "oflog-nn": (
        "The Office for Local Government's published nearest-neighbour lists for councils with "
        "adult social care responsibilities, as downloaded (Local Authority Data Explorer)."
    ),
}


def metric_anchor(metric_id: str) -> str:
    """The fragment other pages link to: /methods#metric-<id>."""
    return f"metric-{metric_id}"


@dataclass(frozen=True)
class MetricDefinition:
    """One metric's entry on the page, as words."""

    metric: Metric
    anchor: str
    facts: tuple[tuple[str, str], ...]


def metric_definitions() -> list[tuple[str, str, list[MetricDefinition]]]:
    """(family id, family title, definitions) for every family with metrics, catalogue order."""
    catalogue = load_catalogue()
    groups = []
    for family in catalogue.families.values():
        metrics = catalogue.in_family(family.id)
        if metrics:
            groups.append((family.id, family.title, [_definition(m) for m in metrics]))
    return groups


def _definition(metric: Metric) -> MetricDefinition:
    source = load_catalogue().sources.get(metric.source)
    facts = [
        ("Unit", metric.unit),
        ("Numerator", metric.numerator),
        ("Denominator", metric.denominator or "None (the value is not a ratio)"),
        ("Population base", POPULATION_TEXT.get(metric.population_base or "", "Not applicable")),
        ("Periods", ", ".join(text.period_type_name(t) for t in metric.period_types)),
        ("Polarity", POLARITY_TEXT.get(metric.polarity, metric.polarity)),
        ("Confidence interval", CI_TEXT.get(metric.ci_method, metric.ci_method)),
        ("Source", f"{source.name} ({source.publisher})" if source else metric.source),
    ]
    if metric.disclosure_control:
        facts.append(("Disclosure control", "HES rules: 1–7 suppressed, others rounded to 5"))
    if metric.target is not None:
        facts.append(("Target", f"{metric.target.label} (drives the SPC assurance icon)"))
    if metric.ci_method != "none":
        facts.append(("Funnel limits (default)", FUNNEL_TEXT[metric.funnel_overdispersion]))
    return MetricDefinition(metric=metric, anchor=metric_anchor(metric.id), facts=tuple(facts))


def comparator_methods(store: DataStore) -> pd.DataFrame:
    """The methods in the data with how many councils each covers and a description."""
    frame = series.comparator_methods(store)
    frame["description"] = [
        COMPARATOR_METHOD_TEXT.get(method, "Imported comparator groups (lsr ingest comparators).")
        for method in frame["method"]
    ]
    return frame
