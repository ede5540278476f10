from datetime import date

import pytest

from queries import periods


class TestLabel:
    @pytest.mark.parametrize(
        ("start", "period_type", "expected"),
        [
            (date(2017, 9, 1), "month", "Sep 2017"),
            (date(2017, 1, 1), "quarter", "2016/17 Q4"),
            (date(2016, 4, 1), "quarter", "2016/17 Q1"),
            (date(2016, 10, 1), "quarter", "2016/17 Q3"),
            (date(2016, 4, 1), "financial_year", "2016/17"),
            (date(1999, 4, 1), "financial_year", "1999/00"),
            (date(2016, 4, 1), "rolling_12m", "12m to Mar 2017"),
            (date(2017, 6, 30), "snapshot", "30 Jun 2017"),
        ],
    )
    def test_labels_read_as_people_write_them(self, start, period_type, expected):
        assert periods.label(start, period_type) == expected

    def test_unknown_period_type_is_an_error(self):
        with pytest.raises(periods.PeriodError):
            periods.label(date(2017, 1, 1), "fortnight")


class TestParse:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2017-09", date(2017, 9, 1)),
            ("Sep 2017", date(2017, 9, 1)),
            ("September 2017", date(2017, 9, 1)),
            ("2016/17", date(2016, 4, 1)),
            ("2016-17", date(2016, 4, 1)),
            ("2016/17 Q4", date(2017, 1, 1)),
            ("2016/17 Q2", date(2016, 7, 1)),
            ("1999/2000", date(1999, 4, 1)),
        ],
    )
    def test_reads_what_people_type(self, text, expected):
        assert periods.parse(text) == expected

    @pytest.mark.parametrize("text", ["2017-13", "2016/18", "Spt 2017x", "yesterday", ""])
    def test_rejects_nonsense_with_a_hint(self, text):
        with pytest.raises(periods.PeriodError, match="2016/17|month|financial year"):
            periods.parse(text)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2017-09", date(2017, 9, 30)),
            ("Feb 2016", date(2016, 2, 29)),
            ("2016/17", date(2017, 3, 31)),
            ("2016/17 Q3", date(2016, 12, 31)),
            ("2017-09-15", date(2017, 9, 15)),
        ],
    )
    def test_end_bounds_cover_the_whole_period(self, text, expected):
        assert periods.parse_end(text) == expected

    def test_labels_round_trip_through_parse(self):
        for start, period_type in [
            (date(2017, 1, 1), "quarter"),
            (date(2016, 4, 1), "financial_year"),
            (date(2015, 11, 1), "month"),
        ]:
            assert periods.parse(periods.label(start, period_type)) == start


class TestCarriedRange:
    @pytest.mark.parametrize(
        ("day", "period_type", "expected"),
        [
            (date(2019, 3, 31), "quarter", date(2019, 1, 1)),
            (date(2019, 4, 1), "quarter", date(2019, 4, 1)),
            (date(2019, 12, 5), "quarter", date(2019, 10, 1)),
            (date(2020, 2, 1), "financial_year", date(2019, 4, 1)),
            (date(2020, 2, 17), "month", date(2020, 2, 1)),
        ],
    )
    def test_containing_start(self, day, period_type, expected):
        assert periods.containing_start(day, period_type) == expected

    def test_monthly_range_becomes_the_quarters_containing_it(self):
        carried = periods.carried_range(date(2019, 6, 1), date(2020, 2, 1), "month", "quarter")
        assert carried == (date(2019, 4, 1), date(2020, 1, 1))

    def test_quarterly_range_becomes_every_month_it_covers(self):
        carried = periods.carried_range(date(2019, 4, 1), date(2020, 1, 1), "quarter", "month")
        assert carried == (date(2019, 4, 1), date(2020, 3, 1))

    def test_open_ends_stay_open(self):
        assert periods.carried_range(None, date(2020, 2, 1), "month", "financial_year") == (
            None,
            date(2019, 4, 1),
        )

    def test_rolling_periods_drop_the_range(self):
        carried = periods.carried_range(date(2019, 6, 1), None, "rolling_12m", "quarter")
        assert carried == (None, None)
