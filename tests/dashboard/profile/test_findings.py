"""The Area profile's findings are the report pack's sentences for the same series."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from dashboard.profile.report.content import report_content
from dashboard.profile.view import profile_view
from dashboard.urls import ProfileState
from queries.areas import AreaDirectory
from tests.fixtures import COUNCILS

HALTON = COUNCILS[0]


def test_page_and_report_state_the_same_finding(store) -> None:
    # Given Halton's profile view and its report content, default comparators
    view = profile_view(store, ProfileState(HALTON, "default"), areas=AreaDirectory.load(store))
    report = report_content(
        store, area_code=HALTON, method="default", period_to=None, generated_on=date(2026, 1, 2)
    )
    by_family = view.findings_by_family()
    # Then each family opens with 2-5 sentences and the metric sentences match the report's
    assert all(2 <= len(sentences) <= 5 for sentences in by_family.values())
    blocks = {b.metric.id: b for s in report.sections for b in s.blocks}
    for metric_id, family in (("dtoc_rate", "Delayed transfers of care"), ("ea65_rate", None)):
        report_sentences = blocks[metric_id].finding.sentences
        summary = next(s for s in view.summaries if s.metric.id == metric_id)
        assert summary.finding("Halton").sentences == report_sentences
        if family:
            assert report_sentences[0] in by_family[family]


def test_download_ignores_a_tampered_store(app, store) -> None:
    from dash import no_update

    from dashboard.profile import page as area_profile

    for rendered in (["E99999999", "default", "england"], [HALTON, "nope", "england"], "x"):
        assert area_profile.download_report(1, rendered) is no_update


def test_a_second_report_waits_for_none_while_one_renders(app, store, monkeypatch) -> None:
    # Given a report already being rendered in this process
    from dash import no_update

    from dashboard.profile import page as area_profile

    started = []

    def fake_report(*_args, **kwargs):
        started.append(kwargs)
        return SimpleNamespace(pdf=b"%PDF-", filename="Halton-data-profile.pdf")

    monkeypatch.setattr(area_profile, "report_pdf", fake_report)
    assert area_profile.REPORT_SLOT.acquire(blocking=False)
    try:
        # When another click arrives, no second browser is started
        assert area_profile.download_report(1, [HALTON, "default", "england"]) is no_update
        assert started == []
    finally:
        area_profile.REPORT_SLOT.release()
    # and once the slot is free a click renders again
    sent = area_profile.download_report(1, [HALTON, "default", "england"])
    assert sent["filename"] == "Halton-data-profile.pdf" and len(started) == 1
