import json

import pytest

from lsr.cli import main
from tests.fixtures import publish_fixture


@pytest.fixture()
def data_dir(tmp_path):
    publish_fixture(tmp_path)
    return tmp_path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class TestQuery:
    def test_prints_area_comparator_and_england(self, data_dir, capsys):
        code, out, _ = run(
            capsys,
            "--data-dir",
            data_dir,
            "query",
            "dtoc_rate",
            "--area",
            "Halton",
            "--from",
            "2016-04",
            "--to",
            "2016-06",
        )
        assert code == 0
        assert "Halton vs comparators (default) vs England" in out
        assert "Apr 2016" in out and "Jun 2016" in out and "Jul 2016" not in out
        assert "15/15" in out

    def test_monthly_series_say_spc_stands_in_for_the_trend(self, data_dir, capsys):
        code, out, _ = run(capsys, "--data-dir", data_dir, "query", "dtoc_rate", "--area", "Halton")
        assert code == 0
        assert "monthly series: SPC instead of a trend test: " in out
        assert "trend over the last" not in out

    def test_annual_series_get_the_fingertips_trend(self, data_dir, capsys):
        code, out, _ = run(
            capsys, "--data-dir", data_dir, "query", "ascof_2b1", "--area", "Coventry"
        )
        assert code == 0
        assert "trend: not enough data (needs counts for each of the last 5 years)" in out

    def test_name_variants_and_codes_resolve(self, data_dir, capsys):
        for area in ("E06000001", "halton", "Halton UA"):
            code, out, _ = run(
                capsys,
                "--data-dir",
                data_dir,
                "query",
                "dtoc_rate",
                "--area",
                area,
                "--format",
                "json",
            )
            assert code == 0
            assert json.loads(out)["area"] == "E06000001"

    def test_csv_has_metadata_header_lines(self, data_dir, capsys):
        code, out, _ = run(
            capsys,
            "--data-dir",
            data_dir,
            "query",
            "ascof_2b1",
            "--area",
            "Coventry",
            "--format",
            "csv",
        )
        lines = out.splitlines()
        assert code == 0
        assert lines[0].startswith("# ") and lines[1].startswith("# unit:")
        assert lines[2].startswith("period,area,")
        assert len(lines) == 3 + 4

    def test_unknown_metric_lists_close_matches_and_exits_2(self, data_dir, capsys):
        code, out, err = run(
            capsys, "--data-dir", data_dir, "query", "dtoc_rat", "--area", "Halton"
        )
        assert code == 2 and out == ""
        assert "dtoc_rate" in err and len(err.strip().splitlines()) == 1

    def test_unknown_area_lists_close_matches_and_exits_2(self, data_dir, capsys):
        code, _, err = run(capsys, "--data-dir", data_dir, "query", "dtoc_rate", "--area", "Haltn")
        assert code == 2
        assert "unknown area 'Haltn'" in err and "Halton" in err
        assert "Traceback" not in err

    def test_unknown_method_exits_2(self, data_dir, capsys):
        code, _, err = run(
            capsys,
            "--data-dir",
            data_dir,
            "query",
            "dtoc_rate",
            "--area",
            "Halton",
            "--comparators",
            "cipfa",
        )
        assert code == 2 and "default, oflog-nn" in err

    def test_bad_period_exits_2(self, data_dir, capsys):
        code, _, err = run(
            capsys,
            "--data-dir",
            data_dir,
            "query",
            "dtoc_rate",
            "--area",
            "Halton",
            "--from",
            "2016/18",
        )
        assert code == 2 and "2016/17" in err

    def test_no_published_data_says_what_to_do(self, tmp_path, capsys):
        code, _, err = run(capsys, "--data-dir", tmp_path, "query", "dtoc_rate", "--area", "Halton")
        assert code == 2 and "lsr demo" in err
