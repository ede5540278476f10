"""One basis per rate, over the whole catalogue × every period type a metric can be shown in:
a rate counting events in its period names that period in its unit, and every description is
worded for the period type on show (never "per quarter" on a monthly view)."""

import pytest

from extracts import hes_build
from queries.catalogue import PER_PERIOD, load_catalogue

CATALOGUE = load_catalogue()
# words that would put a figure on the wrong basis, by the period type on show
WRONG_WORDS = {
    "month": ("quarter", "per year", "a year", "12 months"),
    "quarter": ("per month", "in the month", "per year", "a year", "12 months"),
    "financial_year": ("per month", "in the month", "quarter"),
    "rolling_12m": ("per month", "in the month", "quarter"),
    "snapshot": ("per month", "per quarter", "per year"),
}


def shown_period_types(metric) -> list[str]:
    """The catalogue's types plus every type the HES build derives for the metric."""
    built = hes_build.METRICS[metric.id].periods if metric.id in hes_build.METRICS else ()
    return list(dict.fromkeys([*metric.period_types, *built]))


CASES = [(m, t) for m in CATALOGUE.metrics.values() for t in shown_period_types(m)]


@pytest.mark.parametrize(("metric", "period_type"), CASES, ids=[f"{m.id}-{t}" for m, t in CASES])
class TestEveryMetricAndPeriodType:
    def test_texts_are_filled_in(self, metric, period_type) -> None:
        for text in (
            metric.unit_for(period_type),
            metric.definition_for(period_type),
            metric.numerator_for(period_type),
        ):
            assert "{" not in text and "}" not in text

    def test_unit_names_the_period_of_a_per_period_rate(self, metric, period_type) -> None:
        unit = metric.unit_for(period_type)
        if metric.per_period:
            assert unit.endswith(f" {PER_PERIOD[period_type]}")
            others = set(PER_PERIOD.values()) - {PER_PERIOD[period_type]}
            assert not any(other in unit for other in others)
        else:
            assert unit == metric.unit

    def test_descriptions_follow_the_period_type(self, metric, period_type) -> None:
        for text in (metric.definition_for(period_type), metric.numerator_for(period_type)):
            wrong = [word for word in WRONG_WORDS[period_type] if word in text.lower()]
            assert not wrong, f"{metric.id} ({period_type}) says {wrong}: {text}"


class TestCatalogue:
    def test_per_period_rates_list_every_period_type_the_hes_build_makes(self) -> None:
        """So the unit shown without a period type names every basis the data has."""
        for metric_id, spec in hes_build.METRICS.items():
            metric = CATALOGUE.get(metric_id)
            if metric.per_period:
                assert set(spec.periods) <= set(metric.period_types), metric_id

    def test_counted_rates_are_per_period(self) -> None:
        per_period = {m.id for m in CATALOGUE.metrics.values() if m.per_period}
        assert {"ea65_rate", "ae65_rate", "ea65_carehome_rate", "ascof_2a2"} <= per_period
        assert not {"dtoc_rate", "chc_eligible_per50k", "readmit30_65"} & per_period

    def test_the_issue_example_reads_three_ways(self) -> None:
        metric = CATALOGUE.get("ea65_rate")
        assert metric.unit_for("month") == "per 100,000 population aged 65+ per month"
        assert metric.unit_for("quarter") == "per 100,000 population aged 65+ per quarter"
        assert metric.unit_for("financial_year") == "per 100,000 population aged 65+ per year"
        assert "the month" in metric.definition_for("month")
        assert "quarter" not in metric.definition_for("month")
        assert (
            metric.unit
            == "per 100,000 population aged 65+ per quarter, month or year (as labelled)"
        )
