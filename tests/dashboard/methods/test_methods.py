"""The Methods & sources page: every metric defined and anchored, the comparator methods read
from the published data, and the page showing the shared methods text and datasets."""

from __future__ import annotations

from dashboard.methods import view as methods
from queries.catalogue import load_catalogue
from tests.dashboard.helpers import text_of, walk


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


class TestPage:
    def test_page_has_section_and_metric_anchors_and_the_licence(self, app, store):
        from dashboard.methods import page

        layout = page.layout()
        ids = {c.id for c in walk(layout) if isinstance(getattr(c, "id", None), str)}
        assert {"population", "datasets", "licence", "metric-dtoc_rate"} <= ids
        text = text_of(layout)
        assert "Open Government Licence v3.0" in text
        assert "Test fixture" in text
