"""`lsr ingest … [--replace]`: imports add, a splice of real and synthetic is a one-line
error (exit 2) naming --replace, and each import prints what it did per metric."""

from __future__ import annotations

import csv

from lsr.cli import main
from tests.fixtures import COUNCILS, NAMES, publish_fixture

HEADER = ["ONS_Code", "Geographical_Description", "Geographical_Level", "ASCOF_Measure_Code",
          "Disaggregation_Level", "Measure_Type", "Measure_Value"]  # fmt: skip


def ascof_file(path, councils):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for code in councils:
            for kind, value in (("Numerator", 80), ("Denominator", 100), ("Outcome", 80)):
                writer.writerow([code, NAMES[code], "Council", "2B(1)", "Total", kind, value])
    return path


def test_replace_is_needed_to_turn_a_synthetic_metric_real(tmp_path, capsys):
    # Given the fixture, whose ascof_2b1 is synthetic for 2014/15 – 2017/18
    data_dir = tmp_path / "data"
    publish_fixture(data_dir)
    path = ascof_file(tmp_path / "ascof-2016-17.csv", COUNCILS[:5])
    # When a real year is imported without --replace: one line, exit 2
    code = main(["--data-dir", str(data_dir), "ingest", "ascof", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "--replace" in err and "ascof_2b1" in err
    # And with --replace the summary says what was added, replaced, kept and removed
    code = main(["--data-dir", str(data_dir), "ingest", "ascof", str(path), "--replace"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ascof_2b1: 0 added, 5 replaced, 0 kept, 79 removed" in out
    # Then a later year adds to it and keeps 2016/17
    later = ascof_file(tmp_path / "ascof-2017-18.csv", COUNCILS[:5])
    assert main(["--data-dir", str(data_dir), "ingest", "ascof", str(later)]) == 0
    assert "ascof_2b1: 5 added, 0 replaced, 5 kept" in capsys.readouterr().out
