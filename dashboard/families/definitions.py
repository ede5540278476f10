"""What each family page shows, as data: sections of charts, each naming its metric, the
breakdown it splits by and the values it shows. Adding a chart is one entry here."""

from __future__ import annotations

from dataclasses import dataclass

from queries.catalogue import load_catalogue

# Chart kinds, named as in dashboard.charts.registry:
TREND = "panels"  # area vs comparator vs England over time, a panel per breakdown value
STACK = "stacked"  # the area's breakdown values stacked over time (rates or shares)
RATING_BARS = "share_bars"  # 100 % rating mix by service type at one snapshot
SPC = "spc"  # XmR chart of the area's headline series (rebase and screening in the URL)

WIDE, HALF = "wide", "half"


@dataclass(frozen=True)
class ChartDef:
    key: str
    kind: str
    metric_id: str
    what: str  # the title's "what" part; the view adds where
    breakdown: str = "all"
    values: tuple[str, ...] = ()  # breakdown values to show, in order; () = catalogue order
    size: str = WIDE
    period_type: str | None = None  # fixed period type (else the page's choice)
    england: bool = True  # False for counts, which England dwarfs (e.g. delayed beds)


@dataclass(frozen=True)
class Section:
    title: str
    charts: tuple[ChartDef, ...]
    intro: str | None = None


@dataclass(frozen=True)
class FamilyPage:
    family: str
    path: str
    name: str  # the page's name in the navigation and its browser title
    heading: str
    intro: str
    sections: tuple[Section, ...]
    period_types: tuple[str, ...] | None = None  # None: every type the family's data has
    note: str | None = None  # shown above the charts (e.g. how values were derived)
    has_show: bool = False  # rates/shares toggle for stacked charts
    snapshot_metric: str | None = None  # ?at= picks a snapshot of this metric


SOURCES = ("own_home", "care_home")


def _trend(metric_id: str, what: str, *, size: str = HALF, **extra) -> ChartDef:
    return ChartDef(key=metric_id, kind=TREND, metric_id=metric_id, what=what, size=size, **extra)


HOSPITAL = FamilyPage(
    family="hospital",
    path="/hospital",
    name="Hospital activity",
    heading="Hospital activity",
    intro=(
        "Emergency hospital use by people aged 65 and over: where admissions and A&E "
        "attendances come from, readmissions, length of stay and weekend discharges."
    ),
    has_show=True,
    sections=(
        Section(
            "Admissions and A&E attendances by source",
            (
                ChartDef(
                    "ea65-source",
                    TREND,
                    "ea65_rate",
                    "Emergency admissions 65+ by source",
                    breakdown="admission_source",
                    values=SOURCES,
                ),
                ChartDef(
                    "ae65-source",
                    TREND,
                    "ae65_rate",
                    "A&E attendances 65+ by source",
                    breakdown="admission_source",
                    values=SOURCES,
                ),
                ChartDef(
                    "ea65-source-mix",
                    STACK,
                    "ea65_rate",
                    "Emergency admissions 65+ by admission source",
                    breakdown="admission_source",
                ),
            ),
        ),
        Section(
            "Readmissions and length of stay",
            (
                ChartDef(
                    "readmit-destination",
                    TREND,
                    "readmit30_65",
                    "Readmissions within 30 days (65+) by discharge destination",
                    breakdown="discharge_destination",
                    values=SOURCES,
                ),
                ChartDef(
                    "los7-source",
                    TREND,
                    "los_over7_ea65",
                    "Stays over 7 days (emergency admissions 65+) by admission source",
                    breakdown="admission_source",
                    values=SOURCES,
                ),
                _trend("los_p90_ea65", "90th percentile length of stay"),
                _trend("weekend_discharge_ea65", "Weekend discharges"),
            ),
        ),
        Section(
            "People living in care homes",
            (
                _trend("ea65_carehome_rate", "Emergency admissions from care homes"),
                _trend("ae_gp_referred_carehome", "A&E attendances from care homes referred by GP"),
                _trend("ea_pressure_ulcer_carehome", "Admissions from care homes: pressure ulcers"),
                _trend("ea_injury_carehome", "Admissions from care homes: injuries"),
            ),
        ),
    ),
)

DTOC = FamilyPage(
    family="dtoc",
    path="/dtoc",
    name="Delayed transfers",
    heading="Delayed transfers of care",
    intro=(
        "Days that patients ready to leave hospital spent waiting, per day and per 100,000 "
        "people aged 18+, with who was responsible for the delay and why."
    ),
    has_show=True,
    sections=(
        Section(
            "Delayed days",
            (
                ChartDef("dtoc-rate", TREND, "dtoc_rate", "Delayed days per day"),
                ChartDef("dtoc-spc", SPC, "dtoc_rate", "Delayed days per day", period_type="month"),
                ChartDef(
                    "dtoc-org-trend",
                    TREND,
                    "dtoc_rate",
                    "Delayed days per day by responsible organisation",
                    breakdown="responsible_org",
                    values=("NHS", "social_care", "both"),
                ),
            ),
        ),
        Section(
            "What the delays are made of",
            (
                ChartDef(
                    "dtoc-org-mix",
                    STACK,
                    "dtoc_rate",
                    "Delayed days per day by responsible organisation",
                    breakdown="responsible_org",
                ),
                ChartDef(
                    "dtoc-reason-mix",
                    STACK,
                    "dtoc_rate",
                    "Delayed days per day by reason",
                    breakdown="reason",
                ),
            ),
        ),
        Section(
            "Delayed beds",
            (
                ChartDef(
                    "dtoc-beds", TREND, "dtoc_beds", "Average delayed beds per day", england=False
                ),
            ),
        ),
    ),
)

ASCOF_DOMAINS = (
    ("ascof_1", "Enhancing quality of life for people with care and support needs"),
    ("ascof_2", "Delaying and reducing the need for care and support"),
    ("ascof_3", "Ensuring that people have a positive experience of care and support"),
    ("ascof_4", "Safeguarding adults whose circumstances make them vulnerable"),
)


def _ascof_sections() -> tuple[Section, ...]:
    metrics = load_catalogue().in_family("social_care")
    sections = []
    for prefix, title in ASCOF_DOMAINS:
        charts = tuple(_trend(m.id, m.short) for m in metrics if m.id.startswith(prefix))
        if charts:
            sections.append(Section(f"{prefix[-1]}. {title}", charts))
    return tuple(sections)


SOCIAL_CARE = FamilyPage(
    family="social_care",
    path="/social-care",
    name="Social care",
    heading="Adult social care",
    intro=(
        "Every measure of the Adult Social Care Outcomes Framework (ASCOF) by financial year, "
        "grouped by its four domains."
    ),
    sections=_ascof_sections(),
    note=(
        "Filled circles are published values (NHS Digital, the Office for Local Government, LG "
        "Inform; ASCOF 2C is derived from NHS England's delayed transfers). Years no published "
        "file covers are gaps, never filled with synthetic values; a measure with no published "
        "file at all would show open diamonds. Carer-survey measures exist only in survey years."
    ),
)

CHC = FamilyPage(
    family="chc",
    path="/chc",
    name="Continuing healthcare",
    heading="NHS continuing healthcare",
    intro="Assessment timeliness, eligibility and personal health budgets, by quarter.",
    sections=(
        Section(
            "Continuing healthcare",
            tuple(_trend(m.id, m.short) for m in load_catalogue().in_family("chc")),
        ),
        Section(
            "Against the national expectation",
            (
                ChartDef(
                    "chc-28day-spc",
                    SPC,
                    "chc_28day",
                    "CHC decisions within 28 days",
                    period_type="quarter",
                ),
            ),
        ),
    ),
    note=(
        "NHS England publishes these figures by clinical commissioning group (CCG). Council "
        "values are apportioned from the CCGs that serve the council, weighted by population, "
        "so they are estimates rather than published council figures."
    ),
)

RATING_GROUPS = ("nursing_home", "residential_home", "domiciliary_care")

RATINGS = FamilyPage(
    family="care_services",
    path="/ratings",
    name="Care services & ratings",
    heading="Care services and CQC ratings",
    intro=(
        "How local care homes and home care agencies are rated by the Care Quality Commission, "
        "whether poor ratings improve, and how much care home capacity there is."
    ),
    period_types=("snapshot",),
    snapshot_metric="cqc_rating_share",
    sections=(
        Section(
            "Ratings",
            (
                ChartDef(
                    "rating-mix",
                    RATING_BARS,
                    "cqc_rating_share",
                    "Overall CQC rating by service type",
                    values=RATING_GROUPS,
                ),
                ChartDef(
                    "rated-good",
                    TREND,
                    "cqc_rating_share",
                    "Locations rated Good or Outstanding",
                ),
                ChartDef(
                    "rating-trend",
                    STACK,
                    "cqc_rating_share",
                    "Overall rating mix over time",
                    breakdown="rating",
                ),
                ChartDef(
                    "not-improved",
                    TREND,
                    "cqc_not_improved",
                    "Poorly rated locations not improved at re-inspection",
                    size=HALF,
                    period_type="financial_year",
                ),
            ),
        ),
        Section(
            "Capacity",
            (
                ChartDef(
                    "beds",
                    TREND,
                    "care_home_beds_per100_65",
                    "Care home beds per 100 aged 65+",
                    breakdown="service_type",
                    values=("nursing_home", "residential_home"),
                ),
                _trend("domcare_locations_per100k_65", "Home care agencies per 100,000 aged 65+"),
            ),
        ),
    ),
)

PAGES = {page.family: page for page in (HOSPITAL, DTOC, SOCIAL_CARE, CHC, RATINGS)}
