"""The shared Spec base and frame: number formats and the card frame's wrapping."""

from __future__ import annotations

import pandas as pd

from dashboard.charts.frame import SOURCE_NAME, Spec, ValueSpec, card_frame, period_axis, plot_frame
from queries import periods

WORDS = dict(title="Title", subtitle="Sub", source_note="Source: A<br>Comparators: B")


def test_value_spec_writes_numbers_as_the_catalogue_does():
    percent = ValueSpec(**WORDS, decimals=2, percent=True)
    assert percent.value_format() == "%{y:,.2f}%"
    assert percent.value_format("x") == "%{x:,.2f}%"
    assert percent.formatted(pd.Series([1234.5, None])) == ["1,234.50%", "–"]
    plain = ValueSpec(**WORDS, decimals=0)
    assert plain.suffix == "" and plain.formatted([7.4]) == ["7"]


def test_plot_frame_puts_the_note_under_the_legend_whatever_the_bottom_margin():
    layout = plot_frame(Spec(**WORDS), bottom=200, height=600)
    (note,) = layout["annotations"]
    assert note["name"] == SOURCE_NAME and note["yshift"] == -168
    assert layout["margin"] == dict(t=84, b=200) and layout["height"] == 600


def test_card_frame_wraps_a_long_title_and_makes_room_for_it():
    title = "Delayed transfers of care attributable to social care by reason and by month"
    narrow = card_frame(Spec(**(WORDS | dict(title=title))), title_chars=30)
    wide = card_frame(Spec(**(WORDS | dict(title=title))), title_chars=90)
    assert narrow["title"]["text"].count("<br>") == 2
    assert "<br>" not in wide["title"]["text"]
    assert narrow["margin"]["t"] - wide["margin"]["t"] == 2 * 21
    assert narrow["annotations"][0]["text"] == "Source: A<br>Comparators: B"


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
