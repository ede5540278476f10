"""`lsr query --format table` ends with the written findings the report pack prints."""

from __future__ import annotations

import json

from lsr.cli import main
from queries import findings
from queries.catalogue import load_catalogue
from queries.series import SeriesRequest, metric_series
from queries.store import DataStore
from tests.fixtures import COUNCILS, publish_fixture


def test_table_summary_is_the_metric_finding(tmp_path, capsys) -> None:
    # Given the fixture data
    publish_fixture(tmp_path)
    args = ["--data-dir", str(tmp_path), "query", "dtoc_rate", "--area", "Halton"]
    # When the table and the JSON are asked for
    assert main(args) == 0
    table_text = capsys.readouterr().out
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    # Then the table's summary is the finding of the same series
    frame = metric_series(DataStore(tmp_path), SeriesRequest("dtoc_rate", COUNCILS[0]))
    metric = load_catalogue().get("dtoc_rate")
    finding = findings.metric_finding(frame, metric, area_name="Halton")
    assert "\n" + "\n".join(finding.sentences) + "\n" in table_text
    # and the finding's numbers are the JSON's latest row
    latest = rows[-1]
    stated = f"stood at {findings.quantity(metric, latest['area'])} in {latest['period']}"
    assert stated in finding.sentences[0]
    for key in ("comparator_mean", "england"):
        assert f"({findings.number(metric, latest[key])})" in finding.sentences[0]
