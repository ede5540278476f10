"""The metric catalogue: titles, units, polarity, methods and definitions of every metric.

``catalogue.yaml`` is the single source of truth; pages, tooltips, the Methods page, exports and
importers read it through :func:`load_catalogue`, which validates it strictly so a typo fails
at start-up with the metric and key named, not later as a blank chart.

One basis per rate: a rate that counts events in its period (admissions per 100,000 aged 65+)
is never annualised; its unit names the period instead ("… per quarter"), so a monthly, a
quarterly and a yearly figure can never pass for one another. In the YAML such a unit ends
with ``{per_period}``, and definitions and numerators may say ``{the_period}``;
:meth:`Metric.unit_for` and friends fill them in for the period type on show.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NoReturn

import yaml

from queries.schema import PERIOD_TYPES

DEFAULT_PATH = Path(__file__).with_name("catalogue.yaml")

POLARITIES = ("lower_is_better", "higher_is_better", "context")
CI_METHODS = ("wilson", "byar", "none")
POPULATION_BASES = ("all", "18+", "65+")
SPC_PERIOD_TYPES = ("month", "quarter")
SHORT_MAX_CHARS = 40
MISSING_VALUE_TEXT = "–"
# How each period type is named in units ("per quarter") and in sentences ("in the quarter").
PER_PERIOD = {
    "month": "per month",
    "quarter": "per quarter",
    "financial_year": "per year",
    "rolling_12m": "per year",
}
THE_PERIOD = {
    "month": "the month",
    "quarter": "the quarter",
    "financial_year": "the financial year",
    "rolling_12m": "the 12 months",
    "snapshot": "the snapshot",
}
ANY_PERIOD = "the period"
PLACEHOLDERS = ("per_period", "the_period")
TEMPLATED_KEYS = ("unit", "numerator", "definition")


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the metric (or position) and key."""


class UnknownMetricError(LookupError):
    """A metric id that the catalogue does not hold; carries close matches for the message."""

    def __init__(self, metric_id: str, suggestions: list[str]) -> None:
        self.metric_id = metric_id
        self.suggestions = suggestions
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "no close match"
        super().__init__(f"unknown metric {metric_id!r}; {hint}")


@dataclass(frozen=True)
class Family:
    """A group of metrics with its own page (``page`` is None for context metrics)."""

    id: str
    title: str
    page: str | None


@dataclass(frozen=True)
class Source:
    """A published dataset that metrics come from, as cited on the Methods page."""

    id: str
    name: str
    publisher: str
    licence: str
    url: str | None


@dataclass(frozen=True)
class Target:
    """A target or national expectation the metric is held to (drives the SPC assurance icon)."""

    value: float
    label: str  # e.g. "National expectation: 80 %"


@dataclass(frozen=True)
class Metric:
    """One catalogue entry; value = numerator / denominator * multiplier."""

    id: str
    title: str
    short: str
    family: str
    source: str
    unit: str
    multiplier: float
    numerator: str
    denominator: str | None
    population_base: str | None
    period_types: tuple[str, ...]
    polarity: str
    ci_method: str
    spc: bool
    interface_dashboard: bool
    breakdowns: dict[str, dict[str, str]] = field(hash=False)
    definition: str
    england_approx: float | None
    plausible_range: tuple[float, float]
    decimals: int
    disclosure_control: bool
    calibration_notes: str | None
    target: Target | None = None  # optional key: only metrics with a target carry one
    # Optional keys (issue 14): the funnel plot's default limits and its denominator axis in words
    funnel_overdispersion: str = "none"
    funnel_denominator: str | None = None
    # the YAML text of unit, numerator and definition, placeholders and all (not a YAML key)
    templates: dict[str, str] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def per_period(self) -> bool:
        """True when the value counts events in its period, so the period is part of the unit."""
        return "{per_period}" in self.templates.get("unit", "")

    def unit_for(self, period_type: str | None) -> str:
        """The unit for values of this period type: "per 100,000 population aged 65+ per
        quarter"; without a period type, one that names every basis the metric may have."""
        return self._text("unit", period_type)

    def definition_for(self, period_type: str | None) -> str:
        """The plain-English definition, worded for this period type."""
        return self._text("definition", period_type)

    def numerator_for(self, period_type: str | None) -> str:
        return self._text("numerator", period_type)

    def _text(self, key: str, period_type: str | None) -> str:
        template = self.templates.get(key, getattr(self, key))
        return fill_period(template, period_type, self.period_types)

    @property
    def is_percentage(self) -> bool:
        """True when values are percentages, so they get a "%" suffix and 0–100 axes."""
        return self.unit.startswith("%")

    @property
    def default_period_type(self) -> str:
        """The period type pages show first (the first one listed)."""
        return self.period_types[0]

    def label_for(self, breakdown: str, value: str) -> str:
        """The human label of a breakdown value code, e.g. ("reason", "Dii") -> "Nursing home"."""
        try:
            return self.breakdowns[breakdown][value]
        except KeyError:
            raise KeyError(
                f"metric {self.id!r} has no breakdown value {breakdown}={value!r}"
            ) from None

    def format_value(self, value: float | None) -> str:
        """Display text for a value: catalogue decimals, thousands separators, "%" if a share."""
        if _is_missing(value):
            return MISSING_VALUE_TEXT
        text = f"{round(value, self.decimals) + 0.0:,.{self.decimals}f}"  # + 0.0 drops "-0"
        return f"{text}%" if self.is_percentage else text


METRIC_KEYS = tuple(f.name for f in fields(Metric) if f.name != "templates")
OPTIONAL_METRIC_KEYS = ("target", "funnel_overdispersion", "funnel_denominator")
FUNNEL_OVERDISPERSION = ("none", "multiplicative", "additive")


def fill_period(
    template: str, period_type: str | None, period_types: tuple[str, ...] | list[str] = ()
) -> str:
    """``template`` with ``{per_period}`` and ``{the_period}`` worded for ``period_type``, or,
    when it is None, for whichever of ``period_types`` is on show ("per quarter, month or
    year (as labelled)"; just "per year" when every type is a year)."""
    if period_type is None:
        nouns = list(dict.fromkeys(PER_PERIOD[t][4:] for t in period_types if t in PER_PERIOD))
        if len(nouns) == 1:
            per = f"per {nouns[0]}"
        else:
            listed = ", ".join(nouns[:-1]) + f" or {nouns[-1]}" if nouns else "period"
            per = f"per {listed} (as labelled)"
        the = THE_PERIOD[period_types[0]] if len(period_types) == 1 else ANY_PERIOD
    else:
        per = PER_PERIOD.get(period_type, "per period")
        the = THE_PERIOD.get(period_type, ANY_PERIOD)
    return template.replace("{per_period}", per).replace("{the_period}", the)


FAMILY_KEYS = ("title", "page")
SOURCE_KEYS = ("name", "publisher", "licence", "url")
TOP_LEVEL_KEYS = ("families", "sources", "metrics")


@dataclass(frozen=True)
class Catalogue:
    """All metrics (in file order), families and sources, with lookups that fail helpfully."""

    metrics: dict[str, Metric]
    families: dict[str, Family]
    sources: dict[str, Source]

    def get(self, metric_id: str) -> Metric:
        """The metric with this id; an unknown id raises with close matches to fix the typo."""
        try:
            return self.metrics[metric_id]
        except KeyError:
            raise UnknownMetricError(metric_id, self.suggest(metric_id)) from None

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """Metric ids close to ``text``, by id first and then by words of titles and shorts."""
        found = difflib.get_close_matches(text, list(self.metrics), n=limit, cutoff=0.6)
        scored = [
            (_word_similarity(text, f"{metric.id} {metric.short} {metric.title}"), metric.id)
            for metric in self.metrics.values()
        ]
        by_words = [
            metric_id
            for score, metric_id in sorted(scored, key=lambda s: -s[0])
            if score >= 0.8 and metric_id not in found
        ]
        return (found + by_words)[:limit]

    def in_family(self, family_id: str) -> list[Metric]:
        """Metrics of one family, in catalogue order, for a family page."""
        if family_id not in self.families:
            raise KeyError(f"unknown family {family_id!r}; known: {', '.join(self.families)}")
        return [m for m in self.metrics.values() if m.family == family_id]

    def interface_metrics(self) -> list[Metric]:
        """The metrics of the interface dashboard used to select areas."""
        return [m for m in self.metrics.values() if m.interface_dashboard]


def _is_missing(value: Any) -> bool:
    """None, NaN (float or numpy) and pandas' NA all display as a dash."""
    if value is None or type(value).__name__ == "NAType":
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False  # not a number: formatting raises with the value in the message


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"[a-z0-9]+", text.lower()) if len(word) >= 3]


def _word_similarity(query: str, text: str) -> float:
    """Best similarity between any word of ``query`` and any word of ``text`` (0 to 1)."""
    pairs = [(q, w) for q in _words(query) for w in _words(text)]
    return max((difflib.SequenceMatcher(None, q, w).ratio() for q, w in pairs), default=0.0)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and validate a catalogue; the packaged one is parsed once per process."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default() -> Catalogue:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Catalogue:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML: {error}") from None
    try:
        return parse_catalogue(raw)
    except CatalogueError as error:
        raise CatalogueError(f"{path.name}: {error}") from None


def parse_catalogue(raw: Any) -> Catalogue:
    """Build a validated Catalogue from the YAML document (already parsed)."""
    if not isinstance(raw, dict):
        raise CatalogueError("the top level must be a mapping with families, sources, metrics")
    _check_keys(raw, TOP_LEVEL_KEYS, "top level")
    families = {
        family_id: Family(id=family_id, **_entry(spec, FAMILY_KEYS, f"family {family_id!r}"))
        for family_id, spec in _mapping(raw["families"], "families").items()
    }
    sources = {
        source_id: Source(id=source_id, **_entry(spec, SOURCE_KEYS, f"source {source_id!r}"))
        for source_id, spec in _mapping(raw["sources"], "sources").items()
    }
    if not isinstance(raw["metrics"], list):
        raise CatalogueError("metrics must be a list")
    metrics: dict[str, Metric] = {}
    for position, spec in enumerate(raw["metrics"], start=1):
        metric = _metric(spec, position, families=families, sources=sources)
        if metric.id in metrics:
            raise CatalogueError(f"metric {metric.id!r} (position {position}), key 'id': duplicate")
        metrics[metric.id] = metric
    return Catalogue(metrics=metrics, families=families, sources=sources)


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise CatalogueError(f"{where} must be a mapping")
    return value


def _check_keys(
    spec: dict, expected: tuple[str, ...], where: str, optional: tuple[str, ...] = ()
) -> None:
    unknown = [str(k) for k in spec if k not in expected]
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
    missing = [k for k in expected if k not in spec and k not in optional]
    if missing:
        raise CatalogueError(f"{where}: missing key(s) {', '.join(map(repr, missing))}")


def _entry(spec: Any, keys: tuple[str, ...], where: str) -> dict:
    _check_keys(_mapping(spec, where), keys, where)
    for key in keys:
        if spec[key] is not None and not isinstance(spec[key], str):
            raise CatalogueError(f"{where}, key {key!r}: must be text or null")
    return spec


def _metric(
    spec: Any, position: int, *, families: dict[str, Family], sources: dict[str, Source]
) -> Metric:
    """Validate one metric entry; every error names the metric id (or position) and key."""
    where = f"metric at position {position}"
    if isinstance(spec, dict) and isinstance(spec.get("id"), str):
        where = f"metric {spec['id']!r}"
    _check_keys(_mapping(spec, where), METRIC_KEYS, where, OPTIONAL_METRIC_KEYS)
    check = _Checker(spec, where)
    for key in ("id", "title", "short", "unit", "numerator", "definition"):
        check.text(key)
    for key in ("denominator", "calibration_notes"):
        check.text(key, nullable=True)
    check.one_of("family", tuple(families))
    check.one_of("source", tuple(sources))
    check.one_of("polarity", POLARITIES)
    check.one_of("ci_method", CI_METHODS)
    check.one_of("population_base", POPULATION_BASES, nullable=True)
    check.funnel()
    for key in ("spc", "interface_dashboard", "disclosure_control"):
        check.boolean(key)
    check.short_length()
    check.period_types()
    check.spc_has_series()
    check.number("multiplier", positive=True)
    check.number("england_approx", nullable=True)
    check.decimals()
    check.plausible_range()
    check.breakdowns()
    check.placeholders()
    values = dict(spec)
    values["templates"] = {key: spec[key] for key in TEMPLATED_KEYS}
    for key in TEMPLATED_KEYS:
        values[key] = fill_period(spec[key], None, spec["period_types"])
    values["period_types"] = tuple(spec["period_types"])
    values["plausible_range"] = tuple(spec["plausible_range"])
    values["breakdowns"] = {name: dict(codes) for name, codes in spec["breakdowns"].items()}
    if "target" in spec:
        values["target"] = check.target()
    return Metric(**values)


@dataclass(frozen=True)
class _Checker:
    """Per-key checks of one metric entry, so each error message has one shape."""

    spec: dict
    where: str

    def fail(self, key: str, problem: str) -> NoReturn:
        raise CatalogueError(f"{self.where}, key {key!r}: {problem}")

    def text(self, key: str, nullable: bool = False) -> None:
        value = self.spec[key]
        if value is None and nullable:
            return
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be non-empty text" + (" or null" if nullable else ""))

    def one_of(self, key: str, allowed: tuple[str, ...], nullable: bool = False) -> None:
        value = self.spec[key]
        if value is None and nullable:
            return
        if value not in allowed:
            self.fail(key, f"{value!r} is not one of {', '.join(allowed)}")

    def boolean(self, key: str) -> None:
        if not isinstance(self.spec[key], bool):
            self.fail(key, f"must be true or false, not {self.spec[key]!r}")

    def number(self, key: str, nullable: bool = False, positive: bool = False) -> None:
        value = self.spec[key]
        if value is None and nullable:
            return
        if not _is_number(value) or (positive and value <= 0):
            self.fail(key, f"must be a {'positive ' if positive else ''}number, not {value!r}")

    def funnel(self) -> None:
        """The funnel keys are optional; when given, the method must be known and only metrics
        with a count-based interval (so a funnel) may ask for an adjustment."""
        if "funnel_overdispersion" in self.spec:
            self.one_of("funnel_overdispersion", FUNNEL_OVERDISPERSION)
            if self.spec["funnel_overdispersion"] != "none" and self.spec["ci_method"] == "none":
                self.fail("funnel_overdispersion", "needs a ci_method (a metric with no funnel)")
        if "funnel_denominator" in self.spec:
            self.text("funnel_denominator", nullable=True)

    def short_length(self) -> None:
        if len(self.spec["short"]) > SHORT_MAX_CHARS:
            self.fail("short", f"is {len(self.spec['short'])} characters; at most 40")

    def period_types(self) -> None:
        value = self.spec["period_types"]
        if not isinstance(value, list) or not value:
            self.fail("period_types", "must be a non-empty list")
        bad = [v for v in value if v not in PERIOD_TYPES]
        if bad:
            self.fail("period_types", f"{bad[0]!r} is not one of {', '.join(PERIOD_TYPES)}")
        if len(set(value)) != len(value):
            self.fail("period_types", "lists a period type twice")

    def spc_has_series(self) -> None:
        if self.spec["spc"] and not set(self.spec["period_types"]) & set(SPC_PERIOD_TYPES):
            self.fail("spc", "is true but period_types has neither month nor quarter")

    def decimals(self) -> None:
        value = self.spec["decimals"]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 6:
            self.fail("decimals", f"must be a whole number from 0 to 6, not {value!r}")

    def plausible_range(self) -> None:
        value = self.spec["plausible_range"]
        if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))):
            self.fail("plausible_range", f"must be [low, high] numbers, not {value!r}")
        low, high = value
        if not low < high:
            self.fail("plausible_range", f"low {low} must be below high {high}")
        approx = self.spec["england_approx"]
        if _is_number(approx) and not low <= approx <= high:
            self.fail("plausible_range", f"excludes england_approx {approx}")

    def target(self) -> Target | None:
        """``target: {value: 80, label: ...}`` inside the plausible range, or null."""
        value = self.spec["target"]
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"value", "label"}:
            self.fail("target", "must be {value: number, label: text} or null")
        low, high = self.spec["plausible_range"]
        if not _is_number(value["value"]) or not low <= value["value"] <= high:
            self.fail("target", f"value {value['value']!r} must be a number in [{low}, {high}]")
        if not isinstance(value["label"], str) or not value["label"].strip():
            self.fail("target", "label must be non-empty text")
        return Target(value=float(value["value"]), label=value["label"])

    def placeholders(self) -> None:
        """Only the known placeholders, ``{per_period}`` only at the end of the unit, and a
        per-period unit only for metrics with no snapshot periods."""
        for key in TEMPLATED_KEYS:
            for name in re.findall(r"\{([^}]*)\}", self.spec[key]):
                if name not in PLACEHOLDERS:
                    self.fail(key, f"unknown placeholder {{{name}}}; known: {PLACEHOLDERS}")
        unit = self.spec["unit"]
        if "{per_period}" in unit and not unit.endswith(" {per_period}"):
            self.fail("unit", "{per_period} must end the unit, after a space")
        if "{per_period}" in unit and "snapshot" in self.spec["period_types"]:
            self.fail("unit", "a snapshot has no period to count events in")

    def breakdowns(self) -> None:
        value = self.spec["breakdowns"]
        if not isinstance(value, dict):
            self.fail("breakdowns", "must be a mapping of breakdown -> {code: label}")
        for name, codes in value.items():
            if not isinstance(name, str) or not isinstance(codes, dict) or not codes:
                self.fail("breakdowns", f"{name!r} must map value codes to labels")
            for code, label in codes.items():
                if not isinstance(code, str) or not isinstance(label, str):
                    self.fail("breakdowns", f"{name}: {code!r} -> {label!r} must be text -> text")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
