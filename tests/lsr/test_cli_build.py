"""`lsr build --engine …`: wrong combinations and a missing pyspark are one line, exit 2."""

from __future__ import annotations

import sys

from lsr.cli import main
from tests.extracts.test_hes_build import random_records


def test_spark_options_without_the_spark_engine_exit_2(tmp_path, capsys) -> None:
    code = main(["--data-dir", str(tmp_path), "build", "--records", "s3a://bucket/records"])
    assert code == 2
    assert "need --engine spark" in capsys.readouterr().err


def test_unknown_engine_is_refused_by_the_parser(tmp_path, capsys) -> None:
    try:
        main(["--data-dir", str(tmp_path), "build", "--engine", "presto"])
    except SystemExit as stop:
        assert stop.code == 2
    assert "invalid choice: 'presto'" in capsys.readouterr().err


def test_spark_engine_without_pyspark_says_how_to_install_it(tmp_path, capsys, monkeypatch) -> None:
    records = tmp_path / "records"
    random_records(records, seed=4, patients=20)
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    code = main(["--data-dir", str(tmp_path), "build", "--engine", "spark"])
    assert code == 2
    err = capsys.readouterr().err
    assert 'pip install -e ".[spark]"' in err and len(err.strip().splitlines()) == 1
