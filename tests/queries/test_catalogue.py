"""The metric catalogue: the real file matches METRICS.md; malformed entries fail loudly."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from queries.catalogue import (
    Catalogue,
    CatalogueError,
    Metric,
    Target,
    UnknownMetricError,
    load_catalogue,
)

# The spec: every metric id of METRICS.md sections A-G, by section.
SECTION_A = [
    "ea65_rate",
    "los_p90_ea65",
    "dtoc_rate",
    "ascof_2b1",
    "ascof_2b2",
    "weekend_discharge_ea65",
]
SECTION_B = [
    "ae65_rate",
    "ea65_carehome_rate",
    "readmit30_65",
    "los_over7_ea65",
    "ae_gp_referred_carehome",
    "ea_pressure_ulcer_carehome",
    "ea_injury_carehome",
]
SECTION_C = ["dtoc_beds"]
SECTION_D = [
    "asc_requests_service",
    "ascof_1a",
    "ascof_1c2a",
    "ascof_1d",
    "ascof_1i1",
    "ascof_2a2",
    "ascof_2c1",
    "ascof_2c2",
    "ascof_2d",
    "ascof_3a",
    "ascof_3b",
    "ascof_3c",
    "ascof_3d1",
    "ascof_3d2",
    "ascof_4a",
]
SECTION_E = [
    "chc_28day",
    "chc_over28_per50k",
    "chc_eligible_per50k",
    "chc_fasttrack_per50k",
    "phb_per50k",
]
SECTION_F = [
    "cqc_rating_share",
    "cqc_not_improved",
    "care_home_beds_per100_65",
    "domcare_locations_per100k_65",
]
SECTION_G = ["pop_65_pct", "pop_85_pct", "imd_avg_rank", "sfc_turnover", "sfc_vacancy"]
STANDARDISED = [  # issue 14: directly standardised rates beside the crude ones
    "ea65_rate_dsr",
    "ea65_carehome_rate_dsr",
    "ea_pressure_ulcer_carehome_dsr",
    "ea_injury_carehome_dsr",
]
ALL_IDS = (
    SECTION_A + SECTION_B + SECTION_C + SECTION_D + SECTION_E + SECTION_F + SECTION_G + STANDARDISED
)
CARER_SURVEY_IDS = ["ascof_1d", "ascof_3b", "ascof_3c", "ascof_3d2"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def valid_metric(**overrides: Any) -> dict[str, Any]:
    """A small well-formed metric entry, changed by ``overrides``."""
    metric = {
        "id": "test_rate",
        "title": "A test rate per 100,000 population aged 65+",
        "short": "Test rate",
        "family": "hospital",
        "source": "hes",
        "unit": "per 100,000 population aged 65+",
        "multiplier": 100000,
        "numerator": "Test events",
        "denominator": "Population aged 65+",
        "population_base": "65+",
        "period_types": ["quarter", "rolling_12m"],
        "polarity": "lower_is_better",
        "ci_method": "byar",
        "spc": True,
        "interface_dashboard": False,
        "breakdowns": {"admission_source": {"own_home": "Own home", "care_home": "Care home"}},
        "definition": "Test events per 100,000 residents aged 65+.",
        "england_approx": 500,
        "plausible_range": [0, 5000],
        "decimals": 0,
        "disclosure_control": True,
        "calibration_notes": None,
    }
    metric.update(overrides)
    return metric


def valid_document(*metrics: dict[str, Any]) -> dict[str, Any]:
    return {
        "families": {"hospital": {"title": "Hospital activity", "page": "/hospital"}},
        "sources": {
            "hes": {"name": "HES", "publisher": "NHS Digital", "licence": "OGL", "url": None}
        },
        "metrics": list(metrics) or [valid_metric()],
    }


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def assert_rejected(tmp_path: Path, document: dict[str, Any], *named: str) -> None:
    """Loading fails with a CatalogueError whose message names each of ``named``."""
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write(tmp_path, document))
    for text in named:
        assert text in str(caught.value)


class TestRealCatalogue:
    def test_holds_exactly_the_metrics_of_the_spec(self, catalogue: Catalogue) -> None:
        assert sorted(catalogue.metrics) == sorted(ALL_IDS)
        assert len(ALL_IDS) == len(set(ALL_IDS)) == 47

    def test_interface_metrics_are_section_a_in_order(self, catalogue: Catalogue) -> None:
        assert [m.id for m in catalogue.interface_metrics()] == SECTION_A

    def test_interface_metrics_keep_their_natural_family(self, catalogue: Catalogue) -> None:
        families = {m.id: m.family for m in catalogue.interface_metrics()}
        assert families["ea65_rate"] == "hospital"
        assert families["dtoc_rate"] == "dtoc"
        assert families["ascof_2b1"] == "social_care"

    def test_context_metrics_are_never_compared(self, catalogue: Catalogue) -> None:
        for metric_id in SECTION_G:
            metric = catalogue.get(metric_id)
            assert (metric.polarity, metric.ci_method, metric.family) == (
                "context",
                "none",
                "context",
            )

    def test_families_and_pages(self, catalogue: Catalogue) -> None:
        pages = {family.id: family.page for family in catalogue.families.values()}
        assert pages == {
            "hospital": "/hospital",
            "dtoc": "/dtoc",
            "social_care": "/social-care",
            "chc": "/chc",
            "care_services": "/ratings",
            "context": None,
        }

    def test_sources_cover_every_dataset(self, catalogue: Catalogue) -> None:
        assert set(catalogue.sources) == {"hes", "dtoc", "ascof", "chc", "cqc", "ons", "sfc", "imd"}

    def test_dtoc_rate_carries_the_section_c_breakdowns(self, catalogue: Catalogue) -> None:
        dtoc_rate = catalogue.get("dtoc_rate")
        assert set(dtoc_rate.breakdowns) == {"responsible_org", "reason"}
        assert list(dtoc_rate.breakdowns["reason"]) == [
            "A", "B", "C", "Di", "Dii", "E", "F", "G", "H", "I", "O"
        ]  # fmt: skip
        assert dtoc_rate.label_for("responsible_org", "social_care") == "Social care"

    def test_hes_metrics_are_under_disclosure_control(self, catalogue: Catalogue) -> None:
        hes = {m.id for m in catalogue.metrics.values() if m.source == "hes"}
        controlled = {m.id for m in catalogue.metrics.values() if m.disclosure_control}
        assert hes == controlled

    def test_carer_survey_measures_note_their_survey_years(self, catalogue: Catalogue) -> None:
        for metric_id in CARER_SURVEY_IDS:
            assert "2014/15, 2016/17, 2018/19" in catalogue.get(metric_id).calibration_notes

    def test_percentile_has_no_interval(self, catalogue: Catalogue) -> None:
        assert catalogue.get("los_p90_ea65").ci_method == "none"

    def test_ascof_shares_use_wilson_and_rates_use_byar(self, catalogue: Catalogue) -> None:
        for metric in catalogue.in_family("social_care"):
            if metric.is_percentage:
                assert metric.ci_method == "wilson", metric.id
            elif "per 100,000" in metric.unit and metric.polarity != "context":
                assert metric.ci_method == "byar", metric.id
            elif "per 100,000" in metric.unit:  # published without counts (Oflog): no interval
                assert metric.ci_method == "none", metric.id

    def test_england_values_lie_in_the_plausible_range(self, catalogue: Catalogue) -> None:
        for metric in catalogue.metrics.values():
            low, high = metric.plausible_range
            if metric.england_approx is not None:
                assert low <= metric.england_approx <= high, metric.id

    def test_default_load_is_cached(self) -> None:
        assert load_catalogue() is load_catalogue()


class TestGet:
    def test_unknown_id_suggests_the_close_match(self, catalogue: Catalogue) -> None:
        # Given a typo of a real id
        # When it is looked up
        with pytest.raises(UnknownMetricError) as caught:
            catalogue.get("dtoc_rat")
        # Then the error carries and prints the intended id first
        assert caught.value.metric_id == "dtoc_rat"
        assert caught.value.suggestions[0] == "dtoc_rate"
        assert "dtoc_rate" in str(caught.value)

    def test_words_of_titles_find_metrics(self, catalogue: Catalogue) -> None:
        assert set(catalogue.suggest("delayed")) >= {"dtoc_rate", "dtoc_beds"}
        assert catalogue.suggest("satisfaction") == ["ascof_3a", "ascof_3b"]

    def test_nothing_close_says_so(self, catalogue: Catalogue) -> None:
        with pytest.raises(UnknownMetricError, match="no close match"):
            catalogue.get("zzzz")


class TestInFamily:
    def test_keeps_file_order(self, catalogue: Catalogue) -> None:
        assert [m.id for m in catalogue.in_family("chc")] == SECTION_E

    def test_unknown_family_is_an_error(self, catalogue: Catalogue) -> None:
        with pytest.raises(KeyError, match="unknown family"):
            catalogue.in_family("hospitals")


class TestLabelFor:
    def test_known_code(self, catalogue: Catalogue) -> None:
        assert catalogue.get("dtoc_rate").label_for("reason", "Dii") == "Nursing home"

    def test_unknown_code_names_metric_and_value(self, catalogue: Catalogue) -> None:
        with pytest.raises(KeyError, match="dtoc_rate.*reason='Z'"):
            catalogue.get("dtoc_rate").label_for("reason", "Z")


class TestFormatValue:
    @pytest.fixture
    def metrics(self, tmp_path: Path) -> dict[str, Metric]:
        share = {
            "multiplier": 100,
            "decimals": 1,
            "england_approx": 50,
            "plausible_range": [0, 100],
        }
        document = valid_document(
            valid_metric(id="count", decimals=0),
            valid_metric(id="share", unit="%", **share),
            valid_metric(id="share_of", unit="% of discharges", **share),
        )
        return load_catalogue(write(tmp_path, document)).metrics

    @pytest.mark.parametrize(
        ("metric_id", "value", "text"),
        [
            ("count", 6400.4, "6,400"),
            ("count", 1234567, "1,234,567"),
            ("count", -0.2, "0"),
            ("share", 82.46, "82.5%"),
            ("share", 0, "0.0%"),
            ("share_of", 19.04, "19.0%"),
            ("count", None, "–"),
            ("share", math.nan, "–"),
        ],
    )
    def test_cases(self, metrics: dict[str, Metric], metric_id: str, value, text: str) -> None:
        assert metrics[metric_id].format_value(value) == text

    def test_numpy_and_pandas_missing_values(self, metrics: dict[str, Metric]) -> None:
        np = pytest.importorskip("numpy")
        pd = pytest.importorskip("pandas")
        assert metrics["share"].format_value(np.float32("nan")) == "–"
        assert metrics["share"].format_value(pd.NA) == "–"
        assert metrics["share"].format_value(np.float64(12.345)) == "12.3%"

    def test_percentage_is_decided_by_the_unit(self, metrics: dict[str, Metric]) -> None:
        assert metrics["share_of"].is_percentage
        assert not metrics["count"].is_percentage


class TestValidation:
    def test_a_valid_document_loads(self, tmp_path: Path) -> None:
        catalogue = load_catalogue(write(tmp_path, valid_document()))
        metric = catalogue.get("test_rate")
        assert metric.period_types == ("quarter", "rolling_12m")
        assert metric.plausible_range == (0, 5000)
        assert metric.default_period_type == "quarter"

    def test_unknown_key(self, tmp_path: Path) -> None:
        assert_rejected(tmp_path, valid_document(valid_metric(colour="red")), "test_rate", "colour")

    def test_missing_key(self, tmp_path: Path) -> None:
        metric = valid_metric()
        del metric["polarity"]
        assert_rejected(tmp_path, valid_document(metric), "test_rate", "polarity")

    def test_missing_id_names_the_position(self, tmp_path: Path) -> None:
        metric = valid_metric()
        del metric["id"]
        document = valid_document(valid_metric(id="first"), metric)
        assert_rejected(tmp_path, document, "position 2", "'id'")

    def test_duplicate_id(self, tmp_path: Path) -> None:
        document = valid_document(valid_metric(), valid_metric())
        assert_rejected(tmp_path, document, "test_rate", "'id'", "duplicate")

    @pytest.mark.parametrize(
        ("key", "bad"),
        [
            ("polarity", "lower"),
            ("ci_method", "exact"),
            ("population_base", "75+"),
            ("family", "hospitals"),
            ("source", "nhs"),
        ],
    )
    def test_bad_enum_value(self, tmp_path: Path, key: str, bad: str) -> None:
        document = valid_document(valid_metric(**{key: bad}))
        assert_rejected(tmp_path, document, "test_rate", f"'{key}'", repr(bad))

    def test_bad_period_type(self, tmp_path: Path) -> None:
        document = valid_document(valid_metric(period_types=["quarter", "weekly"]))
        assert_rejected(tmp_path, document, "test_rate", "'period_types'", "'weekly'")

    def test_empty_period_types(self, tmp_path: Path) -> None:
        document = valid_document(valid_metric(period_types=[]))
        assert_rejected(tmp_path, document, "test_rate", "'period_types'")

    def test_short_over_40_characters(self, tmp_path: Path) -> None:
        document = valid_document(valid_metric(short="x" * 41))
        assert_rejected(tmp_path, document, "test_rate", "'short'", "41")

    @pytest.mark.parametrize("bad", [[10, 5], [5, 5], [0], [0, "high"], "0-100"])
    def test_bad_plausible_range(self, tmp_path: Path, bad: Any) -> None:
        document = valid_document(valid_metric(plausible_range=bad, england_approx=None))
        assert_rejected(tmp_path, document, "test_rate", "'plausible_range'")

    def test_plausible_range_must_hold_the_england_value(self, tmp_path: Path) -> None:
        document = valid_document(valid_metric(england_approx=9000))
        assert_rejected(tmp_path, document, "test_rate", "'plausible_range'", "9000")

    def test_spc_needs_a_monthly_or_quarterly_series(self, tmp_path: Path) -> None:
        document = valid_document(valid_metric(spc=True, period_types=["financial_year"]))
        assert_rejected(tmp_path, document, "test_rate", "'spc'")

    @pytest.mark.parametrize(
        ("key", "bad"),
        [
            ("spc", "yes please"),
            ("decimals", 1.5),
            ("multiplier", 0),
            ("title", ""),
            ("england_approx", "about 5"),
            ("breakdowns", {"reason": ["A", "B"]}),
        ],
    )
    def test_bad_types(self, tmp_path: Path, key: str, bad: Any) -> None:
        assert_rejected(tmp_path, valid_document(valid_metric(**{key: bad})), "test_rate", key)

    def test_unknown_top_level_key(self, tmp_path: Path) -> None:
        document = valid_document()
        document["version"] = 2
        assert_rejected(tmp_path, document, "version")

    def test_family_with_missing_page(self, tmp_path: Path) -> None:
        document = valid_document()
        document["families"]["hospital"] = {"title": "Hospital activity"}
        assert_rejected(tmp_path, document, "hospital", "page")

    def test_error_names_the_file(self, tmp_path: Path) -> None:
        assert_rejected(tmp_path, valid_document(valid_metric(polarity="up")), "catalogue.yaml")

    def test_invalid_yaml(self, tmp_path: Path) -> None:
        path = tmp_path / "catalogue.yaml"
        path.write_text("metrics: [unclosed", encoding="utf-8")
        with pytest.raises(CatalogueError, match="not valid YAML"):
            load_catalogue(path)


class TestTarget:
    def test_optional_and_absent_by_default(self, tmp_path):
        catalogue = load_catalogue(write(tmp_path, valid_document()))
        assert catalogue.get("test_rate").target is None

    def test_read_with_its_label(self, tmp_path):
        target = {"value": 450, "label": "Local ambition: 450"}
        catalogue = load_catalogue(write(tmp_path, valid_document(valid_metric(target=target))))
        assert catalogue.get("test_rate").target == Target(value=450.0, label="Local ambition: 450")

    @pytest.mark.parametrize(
        "target",
        [80, {"value": 80}, {"value": 9000, "label": "x"}, {"value": 80, "label": ""}],
    )
    def test_malformed_targets_are_rejected(self, tmp_path, target):
        document = valid_document(valid_metric(target=target))
        assert_rejected(tmp_path, document, "'test_rate'", "'target'")

    def test_chc_decisions_within_28_days_carry_the_80_percent_expectation(self):
        target = load_catalogue().get("chc_28day").target
        assert target is not None and target.value == 80.0
        assert "80" in target.label


class TestFunnelKeys:
    """Issue 14: the funnel's default limits and its denominator in words are optional keys."""

    def test_absent_keys_mean_unadjusted_limits_and_the_denominator_text(self, tmp_path: Path):
        metric = load_catalogue(write(tmp_path, valid_document())).get("test_rate")
        assert metric.funnel_overdispersion == "none"
        assert metric.funnel_denominator is None

    def test_given_keys_load(self, tmp_path: Path) -> None:
        entry = valid_metric(funnel_overdispersion="additive", funnel_denominator="person-days")
        metric = load_catalogue(write(tmp_path, valid_document(entry))).get("test_rate")
        assert (metric.funnel_overdispersion, metric.funnel_denominator) == (
            "additive",
            "person-days",
        )

    def test_unknown_method_is_rejected(self, tmp_path: Path) -> None:
        entry = valid_metric(funnel_overdispersion="random")
        assert_rejected(tmp_path, valid_document(entry), "test_rate", "funnel_overdispersion")

    def test_an_adjustment_needs_a_funnel(self, tmp_path: Path) -> None:
        entry = valid_metric(funnel_overdispersion="additive", ci_method="none")
        assert_rejected(tmp_path, valid_document(entry), "funnel_overdispersion", "ci_method")

    def test_person_day_rates_default_to_additive_and_say_person_days(
        self, catalogue: Catalogue
    ) -> None:
        dtoc = catalogue.get("dtoc_rate")
        assert dtoc.funnel_overdispersion == "additive"
        assert dtoc.funnel_denominator.startswith("person-days aged 18+")
        assert catalogue.get("ascof_3a").funnel_overdispersion == "none"
