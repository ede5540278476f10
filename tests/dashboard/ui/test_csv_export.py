"""The one CSV writer every download goes through: '#' provenance lines, then the rows."""

import io

import pandas as pd

from dashboard.ui.csv_export import provenance_csv, synthetic_text


def test_metadata_lines_then_rows_without_index_or_float_noise():
    rows = pd.DataFrame({"area_code": ["E06000001"], "value": [0.1 + 0.2]})
    text = provenance_csv({"title": "Rate", "synthetic data": synthetic_text(True)}, rows)
    lines = text.splitlines()
    assert lines[:2] == ["# title: Rate", "# synthetic data: yes (demo values, not real figures)"]
    assert lines[2:] == ["area_code,value", "E06000001,0.3"]
    assert pd.read_csv(io.StringIO(text), comment="#")["value"].tolist() == [0.3]


def test_pairs_keep_their_order_and_repeats_and_floats_can_be_left_as_is():
    rows = pd.DataFrame({"x": [1 / 3]})
    text = provenance_csv([("b", 1), ("a", 2), ("b", 3)], rows, float_format=None)
    assert text.splitlines()[:3] == ["# b: 1", "# a: 2", "# b: 3"]
    assert text.splitlines()[-1] == repr(1 / 3)


def test_synthetic_text():
    assert synthetic_text(False) == "no"
    assert synthetic_text(True, qualifier=" for some metrics").endswith("for some metrics")
