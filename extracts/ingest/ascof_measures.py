"""How the published ASCOF files name measures and groups, mapped to catalogue ids.

NHS Digital writes a measure as a code ("2B(1)", "1C(2a)") and a long description; Oflog uses
short titles. Measures that the catalogue does not hold (1B, 1C(2B), 1E, 1J, 2A(1), …) and
breakdowns it does not show (by sex) are skipped and named once in the import summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from queries.catalogue import Metric, load_catalogue

# Measure code with "ASCOF", spaces and brackets removed, upper case -> catalogue id.
CODES = {
    "1A": "ascof_1a",
    "1C2A": "ascof_1c2a",
    "1D": "ascof_1d",
    "1I1": "ascof_1i1",
    "2A2": "ascof_2a2",
    "2B1": "ascof_2b1",
    "2B2": "ascof_2b2",
    "2C1": "ascof_2c1",
    "2C2": "ascof_2c2",
    "2D": "ascof_2d",
    "3A": "ascof_3a",
    "3B": "ascof_3b",
    "3C": "ascof_3c",
    "3D1": "ascof_3d1",
    "3D2": "ascof_3d2",
    "4A": "ascof_4a",
}

# Measures the project derives from another imported source, so two pages never disagree:
# their published figures are skipped with this reason (and used as cross-checks in tests).
DERIVED_ELSEWHERE = {
    "ascof_2c1": "derived from the imported DTOC returns (see the Methods page)",
    "ascof_2c2": "derived from the imported DTOC returns (see the Methods page)",
}

# NHS Digital "Measure Group Description" texts (normalised with ``words``) -> catalogue id.
DESCRIPTIONS = {
    "social care related quality of life score": "ascof_1a",
    "the proportion of people who use services who receive direct payments": "ascof_1c2a",
    "carer reported quality of life score": "ascof_1d",
    "the proportion of people who use services who reported that they had as much social "
    "contact as they would like": "ascof_1i1",
    "long term support needs of older adults aged 65 and over met by admission to residential "
    "and nursing care homes per 100 000 population": "ascof_2a2",
    "the proportion of older people aged 65 and over who were still at home 91 days after "
    "discharge from hospital into reablement rehabilitation services": "ascof_2b1",
    "the proportion of older people aged 65 and over who received reablement rehabilitation "
    "services after discharge from hospital": "ascof_2b2",
    "delayed transfers of care from hospital per 100 000 population": "ascof_2c1",
    "delayed transfers of care from hospital that are attributable to adult social care per "
    "100 000 population": "ascof_2c2",
    "the outcome of short term services sequel to service": "ascof_2d",
    "overall satisfaction of people who use services with their care and support": "ascof_3a",
    "overall satisfaction of carers with social services": "ascof_3b",
    "the proportion of carers who report that they have been included or consulted in "
    "discussion about the person they care for": "ascof_3c",
    "the proportion of people who use services who find it easy to find information about "
    "support": "ascof_3d1",
    "the proportion of carers who find it easy to find information about support": "ascof_3d2",
    "the proportion of people who use services who feel safe": "ascof_4a",
}

# Oflog Local Authority Data Explorer "Measure" titles (normalised, "outcome" dropped).
OFLOG_MEASURES = {
    "asc carer quality of life": "ascof_1d",
    "ease of finding information about services service users": "ascof_3d1",
    "ease of finding information about support carers": "ascof_3d2",
    "outcome of short term services sequel to service": "ascof_2d",
    "requests resulting in a service": "asc_requests_service",
    "workforce turnover rate": "sfc_turnover",
}
# Oflog's "ASC Quality of Life" is ASCOF 1J (adjusted SCRQoL, impact of services, ≈ 0.40),
# not the 1A score out of 24: it is skipped with this reason rather than mis-filed.
OFLOG_NOT_ASCOF_CATALOGUE = {
    "asc quality of life": "ASCOF 1J (adjusted quality of life, impact of services, ≈ 0.40) "
    "is not in the catalogue; 1A is a different measure",
}

# LG Inform indicator titles (normalised) -> catalogue id. LG Inform's "Residential home
# admissions" extract (traffordDataLab dashboard) is not read: its unit says "per 100,000
# population" and some of its values disagree with the 65+ measure for the same council.
LGINFORM_INDICATORS = {
    "permanent admissions to residential and nursing care homes aged 65": "ascof_2a2",
    "social care service users who are satisfied with their care and support": "ascof_3a",
    "older people still at home 91 days after discharge": "ascof_2b1",
}

# Disaggregation levels -> catalogue ``age`` breakdown values ("all" = the whole measure).
AGE_GROUPS = {
    "total": "all",
    "all": "all",
    "all ages": "all",
    "18 64": "18-64",
    "18 to 64": "18-64",
    "aged 18 64": "18-64",
    "aged 18 to 64": "18-64",
    "65 and over": "65+",
    "65": "65+",
    "aged 65 and over": "65+",
    "65 and older": "65+",
}
# Measures about people aged 65+ only: their "65 and over" row repeats "Total" (it is kept as
# a fallback and cross-check, never as a second breakdown).
OLDER_PEOPLE_ONLY = ("ascof_2a2", "ascof_2b1", "ascof_2b2")


def words(label: object) -> str:
    """Lower-case words and numbers only, so spelling of punctuation never matters."""
    return re.sub(r"[^a-z0-9]+", " ", str(label).lower()).strip()


def header_key(label: object) -> str:
    """A header label with case, spaces and underscores folded (Measure_Value = measure value)."""
    return words(label).replace(" ", "_")


def code_key(code: object) -> str:
    """ "ASCOF 2B(1)" / "2b1" / "1C(2a)" -> "2B1" / "1C2A"."""
    text = re.sub(r"^ASCOF", "", str(code).strip().upper())
    return re.sub(r"[^0-9A-Z]", "", text)


def metric_for_code(code: object) -> str | None:
    return CODES.get(code_key(code))


def metric_for_description(description: object) -> str | None:
    return DESCRIPTIONS.get(words(description))


def skip_reason(metric_id: str | None) -> str | None:
    """Why a measure's published figures are not imported, or None when they are."""
    if metric_id is None:
        return "not in the catalogue"
    return DERIVED_ELSEWHERE.get(metric_id)


def metric_for_oflog(measure: object) -> tuple[str | None, str | None]:
    """(catalogue id, None) for an ASCOF measure; (None, reason) for one that is skipped."""
    key = re.sub(r"^outcome ", "", words(measure))
    if key in OFLOG_MEASURES:
        return OFLOG_MEASURES[key], None
    reason = OFLOG_NOT_ASCOF_CATALOGUE.get(key, "not an ASCOF measure in the catalogue")
    return None, reason


def metric_for_lginform(indicator: object) -> tuple[str | None, str | None]:
    """(catalogue id, None) for an LG Inform ASCOF indicator; (None, reason) otherwise."""
    metric_id = LGINFORM_INDICATORS.get(words(indicator))
    return (metric_id, None) if metric_id else (None, "not an ASCOF measure in the catalogue")


@dataclass(frozen=True)
class Breakdown:
    """Where a disaggregation level lands: an age breakdown value, a fallback, or nowhere."""

    breakdown: str
    value: str
    fallback: bool = False


def breakdown_for(metric: Metric, level: object) -> Breakdown | None:
    """The catalogue breakdown for a disaggregation level, or None when it is not shown."""
    age = AGE_GROUPS.get(words(level))
    if age is None:
        return None
    if age == "all":
        return Breakdown("all", "all")
    if age in metric.breakdowns.get("age", {}):
        return Breakdown("age", age)
    if metric.id in OLDER_PEOPLE_ONLY and age == "65+":
        return Breakdown("all", "all", fallback=True)
    return None


def financial_year_start(text: object) -> int | None:
    """The start year of "2016-17", "2016/17", "2016-2017" or "201617"; None otherwise."""
    match = re.search(r"(20\d\d)\s*[-/_ ]?\s*(\d\d(?:\d\d)?)(?!\d)", str(text))
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    return start if end_year == start + 1 else None


def year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def metric(metric_id: str) -> Metric:
    return load_catalogue().get(metric_id)


def is_percentage(metric_id: str) -> bool:
    return metric(metric_id).is_percentage
