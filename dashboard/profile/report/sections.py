"""The data profile's sections, in the order review teams wrote them, and which catalogue
metrics each holds.

A section names the metrics it wants and the sources whose metrics it gathers, so a metric
added to the catalogue later (the real workforce turnover, a funding measure) lands in its
section without a code change; a wanted metric not yet in the catalogue is listed as "not
available in this build".
"""

from __future__ import annotations

from dataclasses import dataclass

from queries.catalogue import Catalogue, Metric, load_catalogue


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    intro: str
    metric_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every catalogue metric of these sources joins too
    wanted: tuple[tuple[str, str], ...] = ()  # (metric id, words) shown when not catalogued
    families: tuple[str, ...] = ()  # catalogue families whose otherwise unplaced metrics join


SECTIONS = (
    SectionSpec(
        "demography",
        "Demography",
        "Who lives in the area: the older population and deprivation, which shape demand.",
        metric_ids=("pop_65_pct", "pop_85_pct", "imd_avg_rank"),
        families=("context",),
    ),
    SectionSpec(
        "quality",
        "Quality of services",
        "How the Care Quality Commission rates local care services.",
        metric_ids=("cqc_rating_share", "cqc_not_improved"),
        families=("care_services",),
    ),
    SectionSpec(
        "hospital_flow",
        "Flow into and out of acute hospitals",
        "Attendances and admissions of older people (including from care homes), length of "
        "stay, readmissions, delayed transfers of care and reablement after discharge.",
        metric_ids=(
            "ea65_rate",
            "ae65_rate",
            "ea65_carehome_rate",
            "ae_gp_referred_carehome",
            "ea_pressure_ulcer_carehome",
            "ea_injury_carehome",
            "los_p90_ea65",
            "los_over7_ea65",
            "weekend_discharge_ea65",
            "readmit30_65",
            "dtoc_rate",
            "dtoc_beds",
            "ascof_2c1",
            "ascof_2c2",
            "ascof_2b1",
            "ascof_2b2",
        ),
        families=("hospital", "dtoc"),
    ),
    SectionSpec(
        "experience",
        "Service user experience",
        "What people who use services and carers say about their care and quality of life.",
        metric_ids=(
            "ascof_1a",
            "ascof_1d",
            "ascof_1i1",
            "ascof_3a",
            "ascof_3b",
            "ascof_3c",
            "ascof_3d1",
            "ascof_3d2",
            "ascof_4a",
        ),
    ),
    SectionSpec(
        "provision",
        "System provision and capacity",
        "Care home beds and home care, admissions to care homes, short-term support and NHS "
        "continuing healthcare.",
        metric_ids=(
            "care_home_beds_per100_65",
            "domcare_locations_per100k_65",
            "ascof_2a2",
            "ascof_2d",
            "asc_requests_service",
            "ascof_1c2a",
            "chc_28day",
            "chc_over28_per50k",
            "chc_eligible_per50k",
            "chc_fasttrack_per50k",
            "phb_per50k",
        ),
        families=("social_care", "chc"),
    ),
    SectionSpec(
        "staffing",
        "Staffing",
        "The adult social care workforce: staff turnover and vacancies.",
        metric_ids=("sfc_turnover", "sfc_vacancy"),
        sources=("sfc",),
    ),
    SectionSpec(
        "funding",
        "Funding",
        "Adult social care spending.",
        sources=("asc_finance",),
        wanted=(("asc_spend_per_adult", "Adult social care spend per adult"),),
    ),
)


@dataclass(frozen=True)
class SectionMetrics:
    spec: SectionSpec
    metrics: tuple[Metric, ...]
    unavailable: tuple[str, ...]  # words for wanted metrics the catalogue does not have


def section_metrics(catalogue: Catalogue | None = None) -> list[SectionMetrics]:
    """Each section's catalogue metrics (named ones first, then its sources' others, then
    any metric no section names from the families it takes) and the wanted ones the
    catalogue lacks; a metric joins the first section that claims it."""
    catalogue = catalogue or load_catalogue()
    chosen: list[list[str]] = []
    claimed: set[str] = set()
    for spec in SECTIONS:
        ids = [m for m in spec.metric_ids if m in catalogue.metrics]
        ids += [m.id for m in catalogue.metrics.values() if m.source in spec.sources]
        ids += [m for m, _ in spec.wanted if m in catalogue.metrics]
        ids = [m for m in dict.fromkeys(ids) if m not in claimed]
        claimed.update(ids)
        chosen.append(ids)
    for metric in catalogue.metrics.values():
        home = next((i for i, spec in enumerate(SECTIONS) if metric.family in spec.families), None)
        if metric.id not in claimed and home is not None:
            chosen[home].append(metric.id)
    return [
        SectionMetrics(
            spec,
            tuple(catalogue.metrics[m] for m in ids),
            tuple(words for m, words in spec.wanted if m not in catalogue.metrics),
        )
        for spec, ids in zip(SECTIONS, chosen, strict=True)
    ]
