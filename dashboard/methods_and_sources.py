"""Words about methods and sources that more than one feature prints: the statistical
methods in plain English, the published datasets and the sources the catalogue cites. The
Methods & sources page shows them, and the data profile (``lsr export``) repeats them in its
appendix, so a PDF and the page say the same.

Words about methods live here (the dashboard may not import ``extracts``); numbers that the
statistics code owns (confidence levels, trend points, SPC factor) are read from
``queries.stats`` so the text cannot drift from what is computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import text
from queries import findings, series, stats
from queries.catalogue import load_catalogue
from queries.stats.dsr import DSR_MINIMUM_EVENTS, ESP2013_65_PLUS
from queries.stats.overdispersion import WINSORISE_FRACTION
from queries.stats.spc import LIMIT_FACTOR, MIN_LIMIT_POINTS
from queries.stats.trend import TREND_POINTS
from queries.store import DataStore

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True)
class Section:
    """One part of the page: its anchor, heading and paragraphs (plain text)."""

    anchor: str
    title: str
    paragraphs: tuple[str, ...]


def _standard_weights() -> str:
    return "; ".join(f"{band}: {weight:,}" for band, weight in ESP2013_65_PLUS.items())


def method_sections() -> list[Section]:
    """The statistical methods, in the order a reader meets them on the profile."""
    low, high = stats.CONFIDENCE_LEVELS
    return [
        Section(
            "population",
            "Population denominators",
            (
                "Rates per head use the Office for National Statistics (ONS) mid-year population "
                "estimate for the calendar year before the financial year starts: 2017/18 uses "
                "mid-2016, as NHS England's delayed transfers of care publication does. When "
                "that year is not published, the nearest available year is used. The rule is "
                "the same for every metric and is stated in every export.",
                "Quarters are financial quarters (Q1 April to June … Q4 January to March).",
            ),
        ),
        Section(
            "rate-basis",
            "One basis per rate",
            (
                "A rate that counts events in its period (emergency admissions, A&E "
                "attendances, care-home admissions per 100,000 aged 65+) is never annualised: "
                "its unit names the period instead, everywhere it is shown — tiles, chart "
                "subtitles, downloads, CSV headers and `lsr query` — as 'per 100,000 population "
                "aged 65+ per month', '… per quarter' or '… per year'. A quarter's rate is "
                "about a quarter of the year's, and the label says so, so figures of "
                "different period types are never mistaken for one another. Definitions are "
                "worded for the period type on show.",
                "Why not annualise, as Fingertips does for some indicators? The numbers shown "
                "stay the published counts over the published population, which a reader can "
                "check against the source, and every interval, funnel limit and SPC limit is "
                "computed from the real counts without a scaling factor that each of them "
                "would have to repeat. Months of different lengths stay as they are.",
                "Rates that are already per day (delayed transfers: delayed days per day per "
                "100,000 aged 18+), percentages and counts at the end of a period (people "
                "eligible for continuing healthcare) do not grow with the period and have one "
                "unit whatever the period type.",
                "On Select areas a year's value built from its quarters or months is their "
                "sum of numerators over sum of denominators, so it stays per quarter or per "
                "month, and its unit says so; the published financial-year figure is per year.",
                "`lsr query --aggregate` gives one figure for a window of periods the same way: "
                "numerators and denominators are summed over the window (weighted by days for "
                "the per-day delayed transfers measures, i.e. by person-days), so the figure "
                "keeps the unit of the periods it pools, with its interval and verdicts "
                "recomputed from the pooled counts.",
            ),
        ),
        Section(
            "intervals",
            "Confidence intervals",
            (
                f"Values carry {low * 100:g} % confidence intervals (and {high * 100:g} % where "
                "shown), computed as OHID Fingertips does.",
                "Proportions (percentages of people or events) use the Wilson score interval, "
                "which stays inside 0–100 % and behaves well for small numbers.",
                "Rates from counts of events use Byar's approximation to the Poisson "
                f"distribution; below {stats.EXACT_POISSON_BELOW} events the exact Poisson "
                "interval (from chi-squared quantiles) is used instead.",
                "Percentiles (such as the 90th percentile length of stay) and survey scores "
                "published without counts have no interval and are not compared.",
            ),
        ),
        Section(
            "significance",
            "Better, similar or worse: significance verdicts",
            (
                "An area is compared with two benchmarks: England and the mean of its "
                "comparator group. It is 'higher' or 'lower' only when its 95 % confidence "
                "interval lies wholly above or below the benchmark value; an interval that "
                "touches or crosses it is 'similar'.",
                "The metric's polarity turns higher or lower into better or worse. Context "
                "metrics, values without an interval and suppressed values are 'not compared'. "
                "Verdicts are always written in words; colour only repeats them.",
            ),
        ),
        Section(
            "comparators",
            "Comparator groups",
            (
                "Each council is compared with 15 similar councils. The comparator value is "
                "the mean of the peers' values (the published convention), shown with the "
                "peers' lowest-to-highest range; the pooled value (sum of numerators over sum "
                "of denominators) is in the CSV downloads. Missing or suppressed peers are "
                "counted, never silently dropped.",
                "Comparator groups are data, not code: the method is chosen on each page and "
                "new groups can be imported. The methods available in the published data are "
                "listed below.",
            ),
        ),
        Section(
            "trend",
            "Recent trend",
            (
                "Fingertips tests trends only on non-overlapping annual periods, and so does "
                "this tool: financial-year series get a trend arrow; monthly and quarterly "
                "series get the SPC icons instead (see below), and rolling 12-month and "
                "snapshot series get neither. Tiles, the explorer and `lsr query` say which.",
                "Proportions with counts use Fingertips' test for proportions (Office for "
                "Health Improvement and Disparities; DHSC's PHEindicatormethods "
                "assign_trend_markers): the chi-square test for trend in proportions "
                f"(Cochran–Armitage) on the counts and denominators of the {TREND_POINTS} most "
                "recent years, its direction the least-squares slope of the log-odds on time. "
                "A missing count among those years means no trend.",
                f"Other metrics use the weighted regression over the {TREND_POINTS} most recent "
                "years with a confidence interval: a weighted least-squares slope of value on "
                "time (weights from each interval's width).",
                "Either is significant when its chi-squared statistic exceeds the 99.8 % "
                "critical value (9.55), and only when the slope keeps its sign with each year "
                "left out in turn, so one unusual year cannot make a trend. The arrow shows the "
                "direction; the words say whether that is getting better or worse.",
            ),
        ),
        Section(
            "spc",
            "Statistical process control (Making Data Count)",
            (
                "Monthly and quarterly series can be shown as XmR charts: the mean, and "
                f"process limits at the mean ± {LIMIT_FACTOR} × the mean moving range "
                "(three sigma).",
                "Special-cause variation is flagged, following NHS England's Making Data Count "
                "rules as NHSRplotthedots implements them: a point beyond a limit; a shift of 7 "
                "or more points on one side of the mean; a trend of 7 or more points each "
                "higher (or lower) than the one before; 2 of 3 consecutive points beyond the "
                "same two-sigma line, with all three on the same side of the mean (the Making "
                "Data Count team's 2023 guidance: points beyond a limit count too).",
                "The limits can be rebased at one or more periods (a service change): each "
                "segment gets its own mean, limits and rules, and the rebase points are kept "
                f"in the link. Limits from fewer than {MIN_LIMIT_POINTS} points are trial "
                "limits and the chart says so. Moving ranges of 3.267 × the mean moving range "
                "or more can be screened out before the limits are set (NHSRplotthedots' "
                "option); it is off by default, as in NHS England's Excel tool, and the chart "
                "states the choice.",
                "The icons are drawn by this tool after Making Data Count's: variation (common "
                "cause; special cause improvement, concern or neither, high or low) read from "
                "the latest point with the metric's polarity; assurance where the catalogue has "
                "a target or national expectation (e.g. CHC decisions within 28 days, 80 %), "
                "drawn as a line: pass when the whole process range is on the good side of the "
                "target, fail when it is wholly on the other, hit and miss otherwise. Each icon "
                "has its words beside it.",
            ),
        ),
        Section(
            "funnel",
            "Funnel plots",
            (
                "A funnel plot shows every council's value against its denominator, with "
                "control limits around England at 95 % and 99.8 % that narrow as the "
                "denominator grows. The axis says in words what the denominator counts: people "
                "of an age, hospital spells, or person-days (population × days in the period) "
                "for the delayed-transfer rates.",
                "Unadjusted limits are where an area's own interval would just touch England's "
                "value: the Wilson interval for proportions (p0 ± z √(p0 (1 − p0) / n)) and the "
                "exact Poisson interval for rates at every count, as PHEindicatormethods "
                "(UKHSA, the method behind Fingertips) draws them; Byar's approximation, used "
                "for the intervals from 10 events, would shift the 99.8 % lines by up to "
                "0.6 % at 10–13 events. Both are checked against PHEindicatormethods' own "
                "published test data.",
                "When councils differ by far more than chance, as they do when denominators "
                "run to millions of person-days, unadjusted 99.8 % limits flag most of them. "
                "Spiegelhalter's overdispersion adjustment (Handling over-dispersion of "
                "performance indicators, Qual Saf Health Care 2005; its additive model is the "
                "one NHS Digital's SHMI uses, there on log ratios with the extreme 10 % "
                "trimmed rather than winsorised) widens them: each council's z-score is "
                "taken on a variance-stabilising scale (arcsine square root for proportions, "
                "square root of observed ÷ expected for rates), the "
                f"{WINSORISE_FRACTION * 100:g} % most extreme at each end are winsorised, "
                "and their mean square is the dispersion ratio φ. "
                "Multiplicative limits scale the width by √φ; additive random-effects limits "
                "add a between-council variance τ² (DerSimonian–Laird) to each council's "
                "own variance, as FunnelPlotR does. When φ shows no excess, the limits stay "
                "unadjusted.",
                "Each metric's default is in the catalogue: additive random effects where the "
                "denominator is a population, person-days or thousands of hospital spells; no "
                "adjustment where it is survey respondents, referrals or care locations in the "
                "hundreds. The explorer's funnel view lets you choose (kept in the URL), and "
                "the chart, its footer and its CSV say which limits are shown, with φ and τ. "
                "With an adjustment a point's funnel flag is its position against the "
                "widened limits; the significance verdict still uses the area's own interval.",
            ),
        ),
        Section(
            "standardisation",
            "Age-standardised rates",
            (
                "Emergency admissions of people aged 65+ are also given as directly "
                "standardised rates (DSR), so councils with older and younger populations "
                "compare fairly: admissions are counted in the ONS age bands of the population "
                "table (65–74, 75–84, 85+), each band's rate is weighted by the European "
                "Standard Population 2013 (its 65+ five-year bands summed: "
                f"{_standard_weights()}), and the interval is Dobson's (Byar's interval for "
                "the total count, scaled by the DSR's variance), as PHEindicatormethods' "
                f"calculate_dsr computes it. No DSR is given below {DSR_MINIMUM_EVENTS} "
                "admissions.",
                "The crude rate stays the default on every page; the standardised rate is its "
                'own metric ("…, standardised") and the explorer links the two. On a funnel '
                "the DSR is placed at its effective population (admissions ÷ DSR), as "
                "PHEindicatormethods does for DSR funnels.",
            ),
        ),
        Section(
            "spine",
            "Spine chart",
            (
                "The area profile's spine chart scales each metric on its own: England in the "
                "middle, the furthest of the lowest council, the highest council and the area "
                "reaching the edge, and 'better' always to the right. The light bar is the "
                "range of all councils (or of the comparator group), the darker bar the middle "
                "half (25th to 75th percentile).",
            ),
        ),
        Section(
            "disclosure",
            "Disclosure control",
            (
                "Counts derived from Hospital Episode Statistics follow the HES publication "
                "rules before anything is shown or exported: counts of 1 to 7 are suppressed "
                "(shown as 'suppressed (small numbers)'), other counts are rounded to the "
                "nearest 5, and rates are recomputed from the rounded counts. Rates from "
                "suppressed counts are suppressed too. Record-level data are never served.",
                "The synthetic hospital records are a stratified sample (care-home residents "
                "four times as densely as others, the smallest groups in full) whose "
                "whole-number record weights vary around the inverse of the sampling fraction, "
                "so derived counts take any integer value and small ones — a small council's "
                "monthly care-home admissions — are really suppressed, on screen and in "
                "exports.",
            ),
        ),
        Section(
            "synthetic",
            "Real and synthetic data",
            (
                "A metric is real for every council and period a shipped real source covers. "
                "Periods no real source covers are gaps: they are never filled with synthetic "
                "values, so a line is either wholly real or wholly synthetic. Synthetic values "
                "exist only for metrics with no real source at all (record-level hospital "
                "data, continuing healthcare, CQC ratings): generated deterministically from a "
                "seed, calibrated to published England magnitudes, with realistic variation "
                "between areas, and marked on every chart, tile and download.",
                "No trend, run, control limit or verdict is computed across real and synthetic "
                "values: a series that holds both is split and only its latest part is judged, "
                "and a real value is not compared with a synthetic benchmark.",
                "Real published files replace synthetic ones with `lsr ingest`. Imports add, "
                "never erase: a batch replaces only the (metric, area, period, breakdown) "
                "figures it contains and keeps every other period; quarters and years are "
                "rebuilt from the merged months, and a month already published from a later "
                "revision is kept. A batch that would leave a metric part real, part synthetic "
                "is refused unless `--replace` is given, which makes the batch the metric's "
                "whole series. Each import lists what it added, replaced and kept per metric.",
            ),
        ),
        Section(
            "ascof-2c",
            "ASCOF 2C: delayed transfers of care in the Adult Social Care Outcomes Framework",
            (
                "ASCOF 2C(1) (all delayed transfers) and 2C(2) (those attributable to adult "
                "social care) are derived from the same NHS England monthly delayed days as "
                "the Delayed transfers page, so the two pages always show the same figure: "
                "total delayed days in the financial year ÷ days in the year ÷ residents aged "
                "18+ × 100,000, that is the average number of delayed days per day per "
                "100,000 adults. Delays attributable jointly to the NHS and social care "
                "(ASCOF 2C(3) from 2017/18) are not part of 2C(2).",
                "This is the ASCOF definition from 2015/16. Until 2014/15 ASCOF counted "
                "patients delayed on a snapshot day (the last Thursday of each month), which "
                "the delayed-days returns cannot give, so 2C starts at 2015/16 and earlier "
                "years are gaps. Only complete financial years are shown.",
                "NHS Digital's published 2018/19 figures divide by the mid-2018 estimate; "
                "with the population rule above (mid-2017 for 2018/19) the figures here differ "
                "from the published ones by less than 0.3 per 100,000 for every council.",
            ),
        ),
        Section(
            "findings",
            "Written findings",
            (
                "The sentences opening each section of the Area profile and of the data "
                "profile PDF (`lsr export`), and closing `lsr query`, are generated from the "
                "same judged series the charts draw. Numbers are rounded as `lsr query` prints "
                "them. An area is 'significantly higher' or 'lower' than the comparator "
                "average or England only when its 95 % interval excludes that value, otherwise "
                "'similar to' it; without an interval no comparison is made. A run ('as it has "
                "been in each of the last 6 quarters') is stated from "
                f"{findings.MIN_RUN} consecutive periods on the same side. A rise or fall is "
                f"stated for annual series only when the trend test over the last {TREND_POINTS} "
                "years is significant, and for monthly and quarterly series only when the "
                "latest point of their SPC chart shows special cause variation; neither spans "
                "real and synthetic periods. Sentences built on synthetic values begin "
                "'Synthetic demo data'.",
            ),
        ),
    ]


DATASET_COLUMNS = {
    "name": "Dataset",
    "publisher": "Publisher",
    "licence": "Licence",
    "vintage": "Vintage",
    "rows": "Rows",
    "synthetic": "Synthetic?",
}


def datasets_table(store: DataStore) -> pd.DataFrame:
    """The published datasets as the page lists them (words, not flags)."""
    frame = series.datasets(store)
    shown = pd.DataFrame(
        {
            "name": frame["name"],
            "publisher": frame["publisher"],
            "licence": frame["licence"],
            "vintage": frame["vintage"],
            "rows": [text.whole_number(value) for value in frame["rows"]],
            "synthetic": ["Yes (demo values)" if flag else "No" for flag in frame["is_synthetic"]],
            "url": frame["url"],
        }
    )
    return shown.reset_index(drop=True)


def catalogue_sources() -> list[tuple[str, str, str, str | None]]:
    """(name, publisher, licence, url) of every source the catalogue cites."""
    return [
        (source.name, source.publisher, source.licence, source.url)
        for source in load_catalogue().sources.values()
    ]
