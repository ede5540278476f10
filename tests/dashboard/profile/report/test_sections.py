"""The data profile's sections hold every catalogue metric once and pick up new ones."""

from __future__ import annotations

from dataclasses import replace

from dashboard.profile.report.sections import SECTIONS, section_metrics
from queries.catalogue import Catalogue, load_catalogue


def with_metric(catalogue: Catalogue, template_id: str, **changes) -> Catalogue:
    metric = replace(catalogue.get(template_id), **changes)
    return replace(catalogue, metrics={**catalogue.metrics, metric.id: metric})


class TestSectionMetrics:
    def test_every_catalogue_metric_is_in_exactly_one_section(self) -> None:
        catalogue = load_catalogue()
        placed = [m.id for s in section_metrics(catalogue) for m in s.metrics]
        assert sorted(placed) == sorted(catalogue.metrics)

    def test_sections_in_the_review_teams_order(self) -> None:
        titles = [s.spec.title for s in section_metrics()]
        assert titles == [spec.title for spec in SECTIONS]
        assert titles[0] == "Demography" and titles[-2:] == ["Staffing", "Funding"]

    def test_staffing_picks_up_a_new_workforce_metric_from_its_source(self) -> None:
        # Given a real turnover measure added to the catalogue under the Skills for Care source
        catalogue = with_metric(
            catalogue=load_catalogue(), template_id="sfc_turnover", id="workforce_turnover_real"
        )
        # Then the staffing section shows it, with no code change
        staffing = next(s for s in section_metrics(catalogue) if s.spec.key == "staffing")
        assert "workforce_turnover_real" in [m.id for m in staffing.metrics]

    def test_a_metric_no_section_names_joins_by_its_family(self) -> None:
        catalogue = with_metric(
            catalogue=load_catalogue(), template_id="ascof_3a", id="ascof_new_measure"
        )
        placed = {m.id: s.spec.key for s in section_metrics(catalogue) for m in s.metrics}
        assert placed["ascof_new_measure"] == "provision"  # social care's home section

    def test_funding_says_not_available_until_catalogued(self) -> None:
        funding = next(s for s in section_metrics() if s.spec.key == "funding")
        assert funding.metrics == ()
        assert funding.unavailable == ("Adult social care spend per adult",)
        catalogue = with_metric(
            catalogue=load_catalogue(), template_id="ascof_2a2", id="asc_spend_per_adult"
        )
        funding = next(s for s in section_metrics(catalogue) if s.spec.key == "funding")
        assert [m.id for m in funding.metrics] == ["asc_spend_per_adult"]
        assert funding.unavailable == ()
