"""The shared Spec base and frame: number formats and the card frame's wrapping."""

from __future__ import annotations

import pandas as pd

from dashboard.charts.frame import SOURCE_NAME, Spec, ValueSpec, card_frame, plot_frame

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
