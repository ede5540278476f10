"""Choices a query may make: period types and breakdowns the data holds, matched loosely."""

import pandas as pd
import pytest

from queries import query_choices
from queries.catalogue import load_catalogue

DTOC = load_catalogue().get("dtoc_rate")
AVAILABLE = pd.DataFrame(
    {
        "period_type": ["month", "month", "month", "quarter"],
        "breakdown": ["all", "responsible_org", "responsible_org", "all"],
        "breakdown_value": ["all", "social_care", "NHS", "all"],
    }
)


class TestBreakdown:
    @pytest.mark.parametrize("text", ["responsible_org=Social care", "RESPONSIBLE-ORG=social_care"])
    def test_code_or_label(self, text) -> None:
        found = query_choices.breakdown(DTOC, text, AVAILABLE)
        assert (found.name, found.value, found.label) == (
            "responsible_org",
            "social_care",
            "Social care",
        )

    def test_all_is_the_headline(self) -> None:
        assert query_choices.breakdown(DTOC, "ALL", AVAILABLE).is_headline

    def test_only_values_in_the_data_are_offered(self) -> None:
        with pytest.raises(query_choices.ChoiceError, match=r"choose one of: NHS, social_care \("):
            query_choices.breakdown(DTOC, "responsible_org=both", AVAILABLE)


class TestPeriodType:
    def test_default_is_the_first_catalogue_type_with_data(self) -> None:
        assert query_choices.period_type(DTOC, None, AVAILABLE) == "month"

    def test_unknown_lists_those_with_data(self) -> None:
        with pytest.raises(query_choices.ChoiceError, match="choose one of: month, quarter$"):
            query_choices.period_type(DTOC, "financial_year", AVAILABLE)
