"""A report's content over the fixture: sections, findings and the numbers `lsr query` prints."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from dashboard.profile.report import html
from dashboard.profile.report.content import report_content
from lsr.cli import main
from tests.fixtures import COUNCILS

HALTON = COUNCILS[0]


@pytest.fixture()
def content(store):
    return report_content(
        store, area_code=HALTON, method="default", period_to=None, generated_on=date(2026, 1, 2)
    )


class TestReportContent:
    def test_every_section_opens_with_two_to_five_sentences(self, content) -> None:
        assert [s.spec.key for s in content.sections][:3] == [
            "demography",
            "quality",
            "hospital_flow",
        ]
        for section in content.sections:
            assert 2 <= len(section.sentences) <= 5, section.spec.title

    def test_findings_state_the_numbers_lsr_query_prints(
        self, content, published_dir, capsys
    ) -> None:
        # Given the delayed transfers finding in the hospital flow section
        section = next(s for s in content.sections if s.spec.key == "hospital_flow")
        block = next(b for b in section.blocks if b.metric.id == "dtoc_rate")
        # When lsr query is asked for the same series
        args = ["--data-dir", str(published_dir), "query", "dtoc_rate", "--area", "Halton"]
        assert main([*args, "--format", "json"]) == 0
        latest = json.loads(capsys.readouterr().out)["rows"][-1]
        # Then the finding states the query's latest row, and appears in the section opening
        sentence = block.finding.sentences[0]
        assert f"stood at {latest['area']:,.1f} delayed days" in sentence
        assert f"({latest['comparator_mean']:,.1f})" in sentence
        assert f"({latest['england']:,.1f})" in sentence
        assert latest["period"] in sentence

    def test_synthetic_series_are_flagged(self, content) -> None:
        flow = next(s for s in content.sections if s.spec.key == "hospital_flow")
        synthetic = {b.metric.id: b.synthetic for b in flow.blocks if b.latest}
        assert synthetic == {"ea65_rate": True, "dtoc_rate": False, "ascof_2b1": True}
        assert content.synthetic
        ea65 = next(b for b in flow.blocks if b.metric.id == "ea65_rate")
        assert ea65.finding.sentences[0].startswith("Synthetic demo data: ")

    def test_period_to_cuts_the_series_like_lsr_query_to(self, store) -> None:
        content = report_content(
            store,
            area_code=HALTON,
            method="default",
            period_to=date(2016, 12, 31),
            generated_on=date(2026, 1, 2),
        )
        flow = next(s for s in content.sections if s.spec.key == "hospital_flow")
        dtoc = next(b for b in flow.blocks if b.metric.id == "dtoc_rate")
        assert dtoc.latest["period_label"] == "Dec 2016"
        assert "Dec 2016" in dtoc.finding.sentences[0]

    def test_file_names_are_safe_for_any_council_name(self, content) -> None:
        assert content.file_stem == "Halton-data-profile"
        renamed = replace(content, area=content.area | {"name": "Bristol, City of & Co/Ltd"})
        assert renamed.file_stem == "Bristol-City-of-Co-Ltd-data-profile"

    def test_cover_lists_the_fifteen_comparators(self, content) -> None:
        document = html.document(content, charts={})
        assert len(content.peers) == 15
        for name in content.peers["name"]:
            assert f"<li>{name}</li>" in document
        assert html.SYNTHETIC_NOTICE in document
        assert "2 January 2026" in document
