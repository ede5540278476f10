"""The methods and sources both the Methods page and the data profile print: every method
explained with the statistics code's numbers, the datasets read from the published data."""

from __future__ import annotations

from dashboard import methods_and_sources as shared


class TestMethodSections:
    def test_every_method_the_brief_names_has_a_section(self):
        anchors = {section.anchor for section in shared.method_sections()}
        assert {
            "population",
            "intervals",
            "significance",
            "comparators",
            "trend",
            "spc",
            "funnel",
            "disclosure",
        } <= anchors

    def test_numbers_come_from_the_statistics_code(self):
        text = " ".join(p for s in shared.method_sections() for p in s.paragraphs)
        assert "below 10 events" in text
        assert "2.66" in text
        assert "5 most recent years" in text
        assert "fewer than 12 points are trial limits" in text
        assert "mid-2016" in text and "nearest available year" in text

    def test_findings_rules_are_explained_with_the_code_s_numbers(self):
        findings_section = next(s for s in shared.method_sections() if s.anchor == "findings")
        text = " ".join(findings_section.paragraphs)
        assert "from 3 consecutive periods" in text and "last 5 years" in text
        assert "SPC" in text
        assert "Synthetic demo data" in text

    def test_trend_and_spc_say_which_series_get_which(self):
        sections = {s.anchor: " ".join(s.paragraphs) for s in shared.method_sections()}
        assert "only on non-overlapping annual periods" in sections["trend"]
        assert "chi-square test for trend in proportions" in sections["trend"]
        assert "all three on the same side of the mean" in sections["spc"]
        assert "off by default" in sections["spc"]

    def test_funnel_and_standardisation_say_their_methods_and_sources(self):
        sections = {
            section.anchor: " ".join(section.paragraphs) for section in shared.method_sections()
        }
        funnel, standardised = sections["funnel"], sections["standardisation"]
        assert "exact Poisson" in funnel and "PHEindicatormethods" in funnel
        assert "Spiegelhalter" in funnel and "10 % most extreme" in funnel
        assert "Multiplicative" in funnel and "additive random-effects" in funnel
        assert "European Standard Population 2013" in standardised
        assert "65-74: 10,500; 75-84: 6,500; 85+: 2,500" in standardised
        assert "Dobson" in standardised and "below 10 admissions" in standardised


class TestRealAndSyntheticRules:
    """Issue 13: the rules a reviewer quoting a figure needs are stated on the page."""

    def sections(self):
        return {s.anchor: " ".join(s.paragraphs) for s in shared.method_sections()}

    def test_never_spliced_and_never_judged_across(self):
        text = self.sections()["synthetic"]
        assert "never filled with synthetic" in text
        assert (
            "No trend, run, control limit or verdict is computed across real and synthetic" in text
        )

    def test_imports_add_and_replace_needs_asking(self):
        text = self.sections()["synthetic"]
        assert "Imports add, never erase" in text and "`--replace`" in text

    def test_ascof_2c_definition_and_its_change(self):
        text = self.sections()["ascof-2c"]
        assert "average number of delayed days per day" in text
        assert "from 2015/16" in text and "snapshot day" in text


class TestPublishedDatasets:
    def test_datasets_table_says_synthetic_in_words(self, store):
        frame = shared.datasets_table(store)
        assert list(frame.columns)[:6] == list(shared.DATASET_COLUMNS)
        assert frame.loc[0, "synthetic"] == "Yes (demo values)"
