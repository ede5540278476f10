"""The shapes callback inputs may take: what a browser sends passes, anything else is named."""

import pytest

from dashboard.serving import callback_rules as rules


class TestRuleFor:
    @pytest.mark.parametrize(
        "prop, good, bad",
        [
            ("n_clicks", 3, -1),
            ("n_clicks", None, True),
            ("value", "E06000001", "x" * 201),
            ("value", ["a", "b"], [["nested"]]),
            ("value", 1.5, float("inf")),
            ("pathname", "/area/E06000001", "area/E06000001"),
            ("search", "?period=2016/17", "x" * 3000),
            ("data", {"area": "E06000001", "period_from": None}, {"deep": {"er": 1}}),
            ("data", ["E06000001", "default", "england"], [{"a": 1}]),
            ("data", {"weights": [["ea65_rate", 2.0]]}, {"weights": [[["deeper"]]]}),
            ("selectedRows", {"ids": ["E06000001"]}, {"ids": "E06000001"}),
            ("rowData", [{"area_code": "E06000001", "value": 1.0}], [{"a": {"b": 1}}]),
            ("options", [{"label": "Halton", "value": "E06000001"}], "not a list"),
            (
                "columnState",
                [{"colId": "name_link", "width": 210, "sort": "desc", "sortIndex": 0}],
                [{"colId": {"forged": 1}}],
            ),
        ],
    )
    def test_what_a_page_sends_passes_and_a_forgery_is_named(self, prop, good, bad):
        rule = rules.rule_for("some-control", prop)
        assert rule(good) is None
        assert isinstance(rule(bad), str) and len(rule(bad)) < 100

    def test_notices_are_a_short_list_of_short_texts(self):
        rule = rules.rule_for("page-notices", "data")
        assert rule(["No council matches area “x”."]) is None
        assert rule("n" * 1_000_000)  # a string became one notice per character
        assert rule(["n"] * 31)

    def test_a_property_no_page_declares_has_no_rule(self):
        assert rules.rule_for("x", "dangerouslySetInnerHTML") is None

    def test_control_characters_and_huge_numbers_are_not_short_values(self):
        assert not rules.is_scalar("a\x00b")
        assert not rules.is_scalar(10**30)
        assert rules.is_scalar("Yorkshire and The Humber")
