"""The shared period axis: quarterly axes tick at financial year starts, others every n-th."""

from dashboard.charts._common import period_axis
from queries import periods


def quarters(first_year: int, count: int, first_quarter: int = 1) -> list[str]:
    starts = [periods.parse(f"{first_year}/{(first_year + 1) % 100:02d} Q{first_quarter}")]
    for _ in range(count - 1):
        month = starts[-1].month + 3
        starts.append(
            starts[-1].replace(year=starts[-1].year + (month > 12), month=(month - 1) % 12 + 1)
        )
    return periods.labels(starts, "quarter")


class TestPeriodAxis:
    def test_quarters_tick_at_each_financial_year_start(self):
        labels = quarters(2016, 10, first_quarter=3)  # 2016/17 Q3 .. 2018/19 Q4
        axis = period_axis(labels)
        assert axis["tickvals"] == ["2017/18 Q1", "2018/19 Q1"]
        assert axis["ticktext"] == ["2017/18", "2018/19"]
        assert axis["categoryarray"] == labels

    def test_long_quarterly_runs_tick_every_nth_year(self):
        axis = period_axis(quarters(2000, 80), max_ticks=5)
        assert axis["ticktext"] == ["2000/01", "2004/05", "2008/09", "2012/13", "2016/17"]

    def test_a_single_financial_year_keeps_its_quarter_labels(self):
        axis = period_axis(quarters(2016, 4))
        assert axis["tickmode"] == "linear" and "tickvals" not in axis

    def test_other_periods_label_every_nth(self):
        labels = [f"{m} 2017" for m in periods.MONTHS] * 2
        axis = period_axis(labels)
        assert (axis["tickmode"], axis["dtick"]) == ("linear", 2)
