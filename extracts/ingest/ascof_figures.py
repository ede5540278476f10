"""Reconciling ASCOF figures: units, numerator ÷ denominator, overlapping files, England.

Every step either fixes something it can prove (a proportion written 0.43 is 43 %), or keeps
the published figure and says so in the summary; only impossible figures (a numerator above
its denominator, a value outside the catalogue's plausible range) stop the import.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from extracts.ingest import ascof_measures as measures
from extracts.ingest import validation as check
from extracts.ingest.ascof_layouts import Observation
from extracts.ingest.problems import IngestError, Location, Summary
from queries import schema

ROUNDING = 0.05 + 1e-9  # published values have one decimal


def normalise_units(observations: list[Observation], summary: Summary) -> None:
    """Put values in the catalogue unit and reconcile them with numerator ÷ denominator.

    A percentage published as a proportion (0.43) is multiplied by 100, decided per file and
    metric: from numerator ÷ denominator where given, else when no value exceeds 1.
    """
    groups: dict[tuple, list[Observation]] = defaultdict(list)
    for observation in observations:
        groups[(observation.location.file, observation.metric_id)].append(observation)
    for (file, metric_id), group in groups.items():
        metric = measures.metric(metric_id)
        for observation in group:
            _check_counts(observation, metric.is_percentage)
        if metric.is_percentage and _are_proportions(group, metric.multiplier):
            for observation in group:
                if observation.value is not None:
                    observation.value *= 100
            summary.warn(Location(file), f"{metric_id}: values given as proportions; × 100")
        disagreeing = [o for o in group if not _reconcile(o, metric)]
        if disagreeing:
            first = disagreeing[0]
            summary.warn(
                first.location,
                f"{metric_id}: {len(disagreeing)} published value(s) differ from numerator ÷ "
                f"denominator (e.g. {first.area_code}); kept the published value",
            )
        check.check_plausible(metric_id, [(o.value, o.location) for o in group])


def _check_counts(observation: Observation, is_percentage: bool) -> None:
    where = observation.location
    numerator = check.count(observation.numerator, check.at(where, column="Numerator"))
    denominator = check.count(observation.denominator, check.at(where, column="Denominator"))
    if is_percentage:
        check.numerator_within_denominator(numerator, denominator, where)


def _ratio(observation: Observation, multiplier: float) -> float | None:
    if observation.numerator is None or not observation.denominator:
        return None
    return observation.numerator / observation.denominator * multiplier


def _are_proportions(group: list[Observation], multiplier: float) -> bool:
    evidence = [
        (o.value, _ratio(o, multiplier))
        for o in group
        if o.value is not None and _ratio(o, multiplier) is not None
    ]
    if evidence:
        return all(
            _close(value * 100, ratio) and not _close(value, ratio) for value, ratio in evidence
        )
    values = [o.value for o in group if o.value is not None]
    return bool(values) and max(values) <= 1 and max(values) > 0


def _reconcile(observation: Observation, metric) -> bool:
    """Fill a missing value from the ratio; False when both are given and disagree."""
    if metric.ci_method == "none":  # scores: the value is the measure, counts are not
        observation.numerator = observation.denominator = None
        return True
    ratio = _ratio(observation, metric.multiplier)
    if ratio is None:
        return True
    if observation.value is None:
        observation.value = ratio
        return True
    if _close(observation.value, ratio):
        return True
    observation.numerator = observation.denominator = None
    return False


def _close(published: float, computed: float) -> bool:
    return abs(published - computed) <= max(ROUNDING, 0.005 * abs(computed))


def choose(observations: list[Observation], summary: Summary) -> list[Observation]:
    """One figure per key: the preferred layout's; the others cross-check it."""
    by_key: dict[tuple, list[Observation]] = defaultdict(list)
    for o in observations:
        by_key[(o.metric_id, o.area_code, o.year, o.breakdown, o.breakdown_value)].append(o)
    chosen, disagreements = [], defaultdict(list)
    for key, candidates in by_key.items():
        candidates.sort(key=lambda o: o.preference)
        best = candidates[0]
        chosen.append(best)
        for other in candidates[1:]:
            if best.preference == other.preference:
                raise IngestError(
                    other.location,
                    f"{key[0]} {key[1]} {measures.year_label(key[2])} given twice; "
                    f"first at {best.location}",
                )
            if best.value is not None and other.value is not None:
                if abs(best.value - other.value) > ROUNDING:
                    disagreements[(key[0], _origin(best), _origin(other))].append((best, other))
    for (metric_id, kept, other), pairs in sorted(disagreements.items()):
        best, alternative = pairs[0]
        summary.warn(
            alternative.location,
            f"{metric_id}: {len(pairs)} value(s) of the {kept} differ from the {other} "
            f"(e.g. {best.area_code} {measures.year_label(best.year)}: {best.value:g} kept, "
            f"not {alternative.value:g})",
        )
    return chosen


def _origin(observation: Observation) -> str:
    if observation.preference % 1:
        return f"{observation.layout} '65 and over' rows"
    return f"{observation.layout} file"


def with_england(frame: pd.DataFrame, councils: set[str], summary: Summary) -> pd.DataFrame:
    """Add England where the source lacks it: Σ numerators ÷ Σ denominators when every council
    has both, else leave it missing and say so (one warning per metric)."""
    group = ["metric_id", "year", "breakdown", "breakdown_value"]
    missing: dict[str, list[str]] = defaultdict(list)
    added = []
    for key, rows in frame.groupby(group, sort=True):
        if (rows["area_code"] == schema.ENGLAND_CODE).any():
            continue
        complete = rows[rows["numerator"].notna() & rows["denominator"].notna()]
        if councils and councils <= set(complete["area_code"]):
            complete = complete[complete["area_code"].isin(councils)]
            numerator, denominator = complete["numerator"].sum(), complete["denominator"].sum()
            multiplier = measures.metric(key[0]).multiplier
            added.append(
                dict(zip(group, key, strict=True))
                | {
                    "area_code": schema.ENGLAND_CODE,
                    "numerator": numerator,
                    "denominator": denominator,
                    "value": numerator / denominator * multiplier if denominator else None,
                    "vintage": rows["vintage"].iloc[0] + "; England = sum of councils",
                }
            )
        else:
            label = measures.year_label(int(key[1]))
            missing[key[0]].append(label if key[2] == "all" else f"{label} ({key[3]})")
    for metric_id, labels in sorted(missing.items()):
        summary.warn(
            Location("batch"),
            f"{metric_id}: no England figure for {', '.join(sorted(set(labels)))} and no "
            "numerators/denominators to add up; England left missing (synthetic England dropped)",
        )
    return pd.concat([frame, pd.DataFrame(added, columns=frame.columns)], ignore_index=True)
