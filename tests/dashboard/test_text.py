from dashboard.text import (
    NOT_PUBLISHED,
    SYNTHETIC_NOTE,
    breakdown_text,
    source_note,
    vintage_summary,
)


class TestVintageSummary:
    def test_one_or_two_vintages_are_shown_as_they_are(self):
        assert vintage_summary(["synthetic seed 1"]) == "synthetic seed 1"
        assert vintage_summary(["a", "b", "a"]) == "b; a"

    def test_many_releases_are_counted_and_the_latest_named_by_date(self):
        vintages = [
            "report, published 2019-07-11, revised 2019-09-12",
            "report, revised 2017-05-11",
            "report, published 2020-02-13",
        ]
        assert vintage_summary(vintages) == "3 releases, latest: report, published 2020-02-13"

    def test_nothing_published(self):
        assert vintage_summary([None, float("nan")]) == NOT_PUBLISHED
        assert vintage_summary([]) == NOT_PUBLISHED


def test_breakdown_text_names_the_breakdown_and_its_values():
    assert breakdown_text("responsible_org", ["Social care"]) == ("Responsible org: Social care")
    assert breakdown_text("service_type:nursing_home", ["Good", "Inadequate"]) == (
        "Service type: Good, Inadequate"
    )


def test_source_note_says_source_vintage_synthetic_and_comparators_in_one_way():
    real = source_note("NHS England", "May 2019", synthetic=False, comparators="15 councils")
    assert real == "Source: NHS England · Data vintage: May 2019<br>Comparators: 15 councils"
    synthetic = source_note("HES", "seed 1", synthetic=True, comparators=None)
    assert synthetic == f"Source: HES · Data vintage: seed 1 · {SYNTHETIC_NOTE}"
    assert "(demo values, not real figures)" in SYNTHETIC_NOTE
