"""What a query may ask for: the period types and breakdowns a metric really has, matched the
way people type them, so a typo is a clear error listing the choices and never "no data".

The choices are what the data holds (the catalogue's when nothing is published yet). Breakdown
values match their code (``social_care``) or their label (``Social care``), ignoring case,
spaces, hyphens and underscores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from queries.catalogue import Metric

ALL = "all"


class ChoiceError(ValueError):
    """A period type, breakdown or breakdown value the metric does not have."""


@dataclass(frozen=True)
class Breakdown:
    """A resolved breakdown: the stored codes and the label people read."""

    name: str
    value: str
    label: str

    @property
    def is_headline(self) -> bool:
        return self.name == ALL


HEADLINE = Breakdown(ALL, ALL, ALL)


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", str(text).strip().lower())


def period_type(metric: Metric, requested: str | None, availability: pd.DataFrame) -> str:
    """The period type to show: the one asked for if the metric has data in it, else the
    first of the metric's catalogue types that has data."""
    present = list(dict.fromkeys(availability["period_type"])) if len(availability) else []
    ordered = [t for t in metric.period_types if t in present] + [
        t for t in present if t not in metric.period_types
    ]
    if requested is None:
        return ordered[0] if ordered else metric.period_types[0]
    for candidate in ordered or metric.period_types:
        if _key(candidate) == _key(requested):
            return candidate
    choices = ", ".join(ordered or metric.period_types)
    raise ChoiceError(f"{metric.id} has no period type {requested!r}; choose one of: {choices}")


def breakdown(metric: Metric, requested: str, availability: pd.DataFrame) -> Breakdown:
    """Resolve ``name=value`` (or ``all``) against the catalogue's breakdowns and the data's."""
    text = (requested or ALL).strip()
    if _key(text) == ALL:
        return HEADLINE
    name_text, separator, value_text = text.partition("=")
    options = _options(metric, availability)
    names = {_key(name): name for name in options}
    if not separator or not value_text.strip():
        raise ChoiceError(
            f"breakdown {text!r} needs a value, as name=value; "
            f"{metric.id} has: {_listing(options) or 'no breakdowns'}"
        )
    name = names.get(_key(name_text))
    if name is None:
        raise ChoiceError(
            f"{metric.id} has no breakdown {name_text.strip()!r}; "
            f"choose one of: {', '.join(options) or 'none (use all)'}"
        )
    wanted = _key(value_text.strip().strip("\"'"))
    for code, label in options[name].items():
        if wanted in (_key(code), _key(label)):
            return Breakdown(name, code, label)
    values = ", ".join(
        code if code == label else f"{code} ({label})" for code, label in options[name].items()
    )
    raise ChoiceError(
        f"{metric.id} breakdown {name} has no value {value_text.strip()!r}; choose one of: {values}"
    )


def _options(metric: Metric, availability: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Breakdown name -> {code: label} of the breakdowns the data holds (the catalogue's when
    there is no data yet), in catalogue order, labelled from the catalogue."""
    if not len(availability):
        return {name: dict(codes) for name, codes in metric.breakdowns.items()}
    rows = availability[availability["breakdown"] != ALL]
    present: dict[str, set[str]] = {}
    for name, code in zip(rows["breakdown"], rows["breakdown_value"], strict=True):
        present.setdefault(name, set()).add(code)
    options = {}
    for name in [*metric.breakdowns, *sorted(set(present) - set(metric.breakdowns))]:
        known = metric.breakdowns.get(name, {})
        codes = present.get(name, set())
        ordered = [c for c in known if c in codes] + sorted(codes - set(known))
        if ordered:
            options[name] = {code: known.get(code, code) for code in ordered}
    return options


def _listing(options: dict[str, dict[str, str]]) -> str:
    return "; ".join(f"{name}={'|'.join(codes)}" for name, codes in options.items())
