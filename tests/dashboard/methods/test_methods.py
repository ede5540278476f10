"""The Methods & sources page: every method explained, every metric defined and anchored,
the comparator methods and datasets read from the published data."""

from __future__ import annotations

from dashboard.methods import view as methods
from queries.catalogue import load_catalogue
from tests.dashboard.helpers import text_of, walk


class TestMethodSections:
    def test_every_method_the_brief_names_has_a_section(self):
        anchors = {section.anchor for section in methods.method_sections()}
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
        text = " ".join(p for s in methods.method_sections() for p in s.paragraphs)
        assert "below 10 events" in text
        assert "2.66" in text
        assert "5 most recent years" in text
        assert "fewer than 12 points are trial limits" in text
        assert "mid-2016" in text and "nearest available year" in text

    def test_findings_rules_are_explained_with_the_code_s_numbers(self):
        findings_section = next(s for s in methods.method_sections() if s.anchor == "findings")
        text = " ".join(findings_section.paragraphs)
        assert "from 3 consecutive periods" in text and "last 5 years" in text
        assert "SPC" in text
        assert "Synthetic demo data" in text

    def test_trend_and_spc_say_which_series_get_which(self):
        sections = {s.anchor: " ".join(s.paragraphs) for s in methods.method_sections()}
        assert "only on non-overlapping annual periods" in sections["trend"]
        assert "chi-square test for trend in proportions" in sections["trend"]
        assert "all three on the same side of the mean" in sections["spc"]
        assert "off by default" in sections["spc"]

    def test_funnel_and_standardisation_say_their_methods_and_sources(self):
        sections = {
            section.anchor: " ".join(section.paragraphs) for section in methods.method_sections()
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
        return {s.anchor: " ".join(s.paragraphs) for s in methods.method_sections()}

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


class TestMetricDefinitions:
    def test_every_catalogue_metric_is_defined_once_with_its_anchor(self):
        entries = [e for _, _, group in methods.metric_definitions() for e in group]
        assert sorted(e.metric.id for e in entries) == sorted(load_catalogue().metrics)
        assert all(e.anchor == f"metric-{e.metric.id}" for e in entries)

    def test_facts_say_unit_polarity_interval_and_source_in_words(self):
        entry = next(
            e
            for _, _, group in methods.metric_definitions()
            for e in group
            if e.metric.id == "ea65_rate"
        )
        facts = dict(entry.facts)
        assert facts["Polarity"] == "Lower is better"
        assert facts["Confidence interval"].startswith("Byar")
        assert facts["Population base"] == "Aged 65 and over"
        assert "NHS Digital" in facts["Source"]
        assert "1–7 suppressed" in facts["Disclosure control"]
        assert facts["Funnel limits (default)"].endswith("additive random effects (Spiegelhalter)")

    def test_a_target_is_stated(self):
        entry = next(
            e
            for _, _, group in methods.metric_definitions()
            for e in group
            if e.metric.id == "chc_28day"
        )
        assert dict(entry.facts)["Target"].startswith("National expectation: 80 %")


class TestPublishedData:
    def test_comparator_methods_are_listed_with_a_description(self, store):
        frame = methods.comparator_methods(store)
        assert list(frame["method"]) == ["default", "oflog-nn"]
        assert frame.loc[0, "description"].startswith("The project's own method")

    def test_datasets_table_says_synthetic_in_words(self, store):
        frame = methods.datasets_table(store)
        assert list(frame.columns)[:6] == list(methods.DATASET_COLUMNS)
        assert frame.loc[0, "synthetic"] == "Yes (demo values)"


class TestPage:
    def test_page_has_section_and_metric_anchors_and_the_licence(self, app, store):
        from dashboard.methods import page

        layout = page.layout()
        ids = {c.id for c in walk(layout) if isinstance(getattr(c, "id", None), str)}
        assert {"population", "datasets", "licence", "metric-dtoc_rate"} <= ids
        text = text_of(layout)
        assert "Open Government Licence v3.0" in text
        assert "Test fixture" in text
