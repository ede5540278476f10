"""The chart registry: every kind of chart, drawn from its spec alone, framed the same way."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import FrozenInstanceError

import numpy as np
import pandas as pd
import pytest

import dashboard.charts
from dashboard.charts import registry
from dashboard.charts.frame import SOURCE_NAME, Spec
from dashboard.charts.scatter import Axis
from dashboard.charts.sparkline import SparklineSpec

WORDS = dict(
    title="Delayed days — Halton",
    subtitle="per 100,000 · Quarterly",
    source_note="Source: NHS England · Data vintage: 2020 · <b>Synthetic data</b>",
)
PERIODS = ["2019/20 Q1", "2019/20 Q2", "2019/20 Q3"]


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_label": PERIODS,
            "area_value": [10.0, 12.0, 11.0],
            "comparator_mean": [9.0, 9.5, 10.0],
            "comparator_min": [7.0, 8.0, 8.0],
            "comparator_max": [12.0, 13.0, 12.5],
            "england_value": [10.0, 10.0, 10.5],
            "peer_hover": ["", "", ""],
        }
    )


def _councils() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "position": [1.0, 2.0, 3.0],
            "name": ["Halton", "Peer", "Other"],
            "role": ["area", "peer", "other"],
            "area_value": [10.0, 12.0, 14.0],
            "area_lower": [9.0, 11.0, 13.0],
            "area_upper": [11.0, 13.0, 15.0],
            "area_numerator": [100.0, 120.0, 140.0],
            "area_denominator": [1000.0, 1000.0, 1000.0],
            "vs_england": ["similar", "similar", "worse"],
            "england_value": [12.0, 12.0, 12.0],
            "funnel_flag": ["within", "within", "above 95"],
        }
    )


def _spc() -> pd.DataFrame:
    values = [10.0, 11.0, 10.0, 9.0, 30.0]
    return pd.DataFrame(
        {
            "period_label": [f"P{i}" for i in range(5)],
            "value": values,
            "mean": 10.0,
            "upper_limit": 14.0,
            "lower_limit": 6.0,
            "upper_two_sigma": 12.7,
            "lower_two_sigma": 7.3,
            "category": ["common cause"] * 4 + ["special cause concern"],
            "rules_text": [""] * 4 + ["a point beyond the limits"],
        }
    )


def _limits() -> pd.DataFrame:
    denominator = np.linspace(500, 1500, 5)
    return pd.DataFrame(
        {
            "denominator": denominator,
            "benchmark": 12.0,
            "lower_95": 10.0,
            "upper_95": 14.0,
            "lower_99_8": 9.0,
            "upper_99_8": 15.0,
        }
    )


def _components() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_label": PERIODS[:2] * 2,
            "component": ["A", "A", "B", "B"],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )


def _shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["Care home"] * 4,
            "bar": ["Halton", "Halton", "England", "England"],
            "component": ["Good", "Inadequate"] * 2,
            "value": [70.0, 30.0, 80.0, 20.0],
        }
    )


def _spine() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Admissions"],
            "polarity": ["lower_is_better"],
            "area_value": [120.0],
            "england_value": [100.0],
            "range_min": [60.0],
            "range_q1": [90.0],
            "range_q3": [110.0],
            "range_max": [180.0],
            "vs_england": ["worse"],
            "value_text": ["120"],
        }
    )


def _tiles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "name": ["Avon", "Bath"],
            "q": [0, 1],
            "r": [0, 0],
            "value_text": ["1.0", "2.0"],
            "quartile": [1, 4],
            "shortlisted": [False, True],
            "reviewed": [True, False],
            "x": [1.0, 2.0],
            "y": [3.0, 4.0],
        }
    )


def _reviewed() -> pd.DataFrame:
    frame = pd.concat([_series().assign(name=name) for name in ("Halton", "Sefton")])
    return frame.assign(period_start=frame["period_label"])


# kind -> (frame, the kind's extra data, the spec's own fields)
SAMPLES = {
    "time_series": (_series, {}, dict(area_name="Halton")),
    "panels": (_series, {}, dict(area_name="Halton")),
    "stacked": (_components, {}, {}),
    "share_bars": (_shares, {}, {}),
    "spc": (_spc, {}, {}),
    "ranking": (_councils, {}, dict(area_name="Halton")),
    "funnel": (
        _councils,
        {"limits": _limits()},
        dict(area_name="Halton", polarity="lower_is_better", denominator_title="Population"),
    ),
    "small_multiples": (_reviewed, {}, {}),
    "spine": (_spine, {}, dict(area_name="Halton")),
    "hexmap": (_tiles, {}, dict(metric_name="Delayed days")),
    "scatter": (_tiles, {}, dict(x=Axis("X"), y=Axis("Y"))),
}


def _draw(name: str, **words):
    make, data, own = SAMPLES[name]
    spec = registry.KINDS[name].spec(**(WORDS | words), **own)
    return registry.draw(make(), spec, **data), spec


def _spec_classes() -> set[type]:
    """Every Spec subclass defined in a dashboard.charts module."""
    found = set()
    for info in pkgutil.iter_modules(dashboard.charts.__path__):
        module = importlib.import_module(f"dashboard.charts.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Spec)
                and value.__module__ == (module.__name__)
            ):
                found.add(value)
    return found - {Spec} - {cls for cls in found if cls.__name__ == "ValueSpec"}


def test_every_spec_class_is_one_registered_kind():
    """Every Plotly chart; the sparkline is an SVG image (not a figure ``draw`` returns), on
    the same Spec base but drawn by ``sparkline.svg``."""
    registered = [kind.spec for kind in registry.KINDS.values()]
    assert len(registered) == len(set(registered))
    assert set(registered) == _spec_classes() - {SparklineSpec}
    assert set(SAMPLES) == set(registry.KINDS)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_kind_is_titled_subtitled_and_sourced_the_same_way(name):
    figure, _ = _draw(name)
    assert not (figure.layout.meta or {}).get("empty")
    assert figure.layout.title.text == f"<b>{WORDS['title']}</b>"
    assert figure.layout.title.subtitle.text == WORDS["subtitle"]
    notes = [a for a in figure.layout.annotations if a.name == SOURCE_NAME]
    assert [note.text for note in notes] == [WORDS["source_note"]]
    assert notes[0].yref == "paper" and notes[0].yanchor == "top" and notes[0].yshift < 0


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_kind_says_why_when_there_is_nothing_to_plot(name):
    make, data, own = SAMPLES[name]
    spec = registry.KINDS[name].spec(**WORDS, **own, empty_message="Nothing published.")
    figure = registry.draw(make().iloc[0:0], spec, **data)
    assert figure.layout.meta["message"] == "Nothing published."
    assert figure.layout.title.text == f"<b>{WORDS['title']}</b>"
    assert figure.layout.height == spec.height


def test_draw_picks_the_builder_from_the_spec():
    bars, _ = _draw("share_bars")
    stacked, _ = _draw("stacked")
    assert {trace.orientation for trace in bars.data} == {"h"}
    assert {trace.orientation for trace in stacked.data} == {None}


def test_a_spec_of_no_registered_kind_is_refused():
    with pytest.raises(TypeError, match="no chart kind"):
        registry.draw(_series(), Spec(**WORDS))


def test_specs_are_frozen_and_keyword_only():
    _, spec = _draw("time_series")
    with pytest.raises(FrozenInstanceError):
        spec.title = "other"
    with pytest.raises(TypeError):
        registry.KINDS["spine"].spec("t", "s", "n", "Halton")
