"""Synthetic CQC register: care homes and domiciliary care agencies, inspection histories.

The tables ``cqc_locations`` and ``cqc_inspections`` come from here; ``cqc`` derives the
indicators.

Per council, nursing and residential homes are sized so beds ≈ 2.2 and 2.4 per 100 people
65+ (home sizes 5–120, skewed, nursing larger) and agencies ≈ 90 per 100,000 65+; homes
open and close over time. Ratings start in October 2014 (the current regime): a first
rating, then re-inspections after 18–30 months if Good/Outstanding, 12–16 if Requires
improvement, 6–12 if Inadequate (CQC returns sooner to poor services). First ratings are
worse in more deprived areas and in 2014–15 than later; about 70 % of services rated
Requires improvement or Inadequate improve at the next inspection, so the 2017 mix is
≈ 1/68/27/4 (nursing), 2/79/17/2 (residential), 2/81/16/1 (domiciliary care), as Outstanding/
Good/Requires improvement/Inadequate. ``rating_date`` is the publication date (inspection
+ 1–3 months); a snapshot shows the latest rating published by then.

``cqc_locations`` holds quarterly snapshots (first day of each quarter, April 2015 – January
2019) rather than monthly ones, to keep the table small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from extracts.synthetic import common
from queries.schema import OVERALL_RATINGS, validate

SERVICE_TYPES = ("nursing_home", "residential_home", "domiciliary_care")
CARE_HOMES = SERVICE_TYPES[:2]
RATING_CODES = ("outstanding", "good", "requires_improvement", "inadequate")
REGIME_START = np.datetime64("2014-10-01", "D")
OBSERVED_FROM = np.datetime64("2015-04-01", "D")
OBSERVED_TO = np.datetime64("2019-03-31", "D")
NEVER = np.datetime64("2100-01-01", "D")
DAYS_PER_MONTH = 30.44
DAYS_PER_YEAR = 365.25
MAX_INSPECTIONS = 12
FIRST_RATING_TREND = 0.1  # first ratings improve (latent logit) per year after Oct 2014


@dataclass(frozen=True)
class ServiceKind:
    per_person_65: float  # beds (care homes) or locations (agencies) per person 65+
    median_beds: float  # 0 for agencies
    first_rating: tuple[float, float, float, float]  # Outstanding..Inadequate, late 2014
    closures_per_year: float
    openings_per_year: float
    quality_offset: float = 0.0  # + = worse on the latent scale (first and later ratings)


KINDS = {
    "nursing_home": ServiceKind(0.0225, 44.0, (0.005, 0.55, 0.38, 0.065), 0.03, 0.025, 0.4),
    "residential_home": ServiceKind(0.0245, 18.0, (0.01, 0.70, 0.26, 0.03), 0.045, 0.03),
    "domiciliary_care": ServiceKind(0.00088, 0.0, (0.01, 0.725, 0.253, 0.012), 0.09, 0.11),
}
# Next rating given the current one (rows, columns: Outstanding..Inadequate), before the
# location's own tilt; with it, about 70 % of RI and Inadequate improve.
TRANSITIONS = np.array(
    [
        [0.600, 0.370, 0.030, 0.000],
        [0.015, 0.855, 0.120, 0.010],
        [0.010, 0.720, 0.230, 0.040],
        [0.000, 0.220, 0.520, 0.260],
    ]
)
INTERVAL_MONTHS = np.array([[18, 30], [18, 30], [12, 16], [6, 12]])
PLACE_WORDS = np.array(
    "Oak Elm Willow Beech Rose Meadow Park Abbey Ash Birch Cedar Heather Holly Ivy Laurel "
    "Maple Orchard River Brook Field Hill Green Grange Lime Moor Pine Rowan Spring Sunny "
    "Valley Wood Priory Chestnut Hawthorn Lavender Primrose Bramble Fern Kings Queens".split(),
    dtype=object,
)
NAME_ENDINGS = {
    "nursing_home": np.array(["Nursing Home", "Care Centre", "Manor", "Court"], dtype=object),
    "residential_home": np.array(["House", "Lodge", "Care Home", "Hall", "View"], dtype=object),
    "domiciliary_care": np.array(
        ["Home Care", "Care Services", "Homecare", "Community Care", "Support Services"],
        dtype=object,
    ),
}


@dataclass(frozen=True)
class Register:
    """Simulated locations (one entry each) and their inspections (locations × rounds)."""

    area_codes: np.ndarray  # council codes; ``area`` indexes into it
    area: np.ndarray
    service: np.ndarray  # index into SERVICE_TYPES
    location_id: np.ndarray
    name: np.ndarray
    beds: np.ndarray  # 0 for agencies
    registered: np.ndarray  # datetime64[D]
    closed: np.ndarray  # datetime64[D], NEVER when still open
    inspected: np.ndarray  # (locations, MAX_INSPECTIONS) datetime64[D], NEVER when none
    published: np.ndarray  # as inspected, + publication lag
    rating: np.ndarray  # (locations, MAX_INSPECTIONS) index into OVERALL_RATINGS, -1 if none

    def latest_rating(self, day: np.datetime64) -> np.ndarray:
        """Index of the latest rating published by ``day`` per location, -1 if none yet."""
        count = (self.published <= day).sum(axis=1)
        latest = self.rating[np.arange(len(count)), np.maximum(count - 1, 0)]
        return np.where(count > 0, latest, -1)

    def latest_rating_date(self, day: np.datetime64) -> np.ndarray:
        count = (self.published <= day).sum(axis=1)
        return np.where(
            count > 0, self.published[np.arange(len(count)), np.maximum(count - 1, 0)], NEVER
        )

    def active(self, day: np.datetime64) -> np.ndarray:
        return (self.registered <= day) & (day < self.closed)


def simulate(areas: pd.DataFrame, population: pd.DataFrame, seed: int) -> Register:
    """Locations of every council (sized on 65+ population in April 2015) and their ratings."""
    council_rows = common.councils(areas)
    codes = council_rows["area_code"].to_numpy()
    area_drivers = common.drivers(council_rows)
    rng = common.stream(seed, "cqc")
    pop65 = common.population_matrix(population, codes, [OBSERVED_FROM], "65+")
    parts = [_locations(rng, area_drivers, pop65, service) for service in range(len(SERVICE_TYPES))]
    area, service, beds, registered, closed = (
        np.concatenate(arrays) for arrays in zip(*parts, strict=True)
    )
    offsets = np.array([KINDS[name].quality_offset for name in SERVICE_TYPES])
    quality = (
        common.area_effect(area_drivers, rng, loadings={"deprivation": 0.3}, spread=0.25)[area]
        + 0.6 * rng.standard_normal(len(area))
        + offsets[service]
    )
    inspected, published, rating = _inspections(rng, service, registered, closed, quality)
    return Register(
        area_codes=codes,
        area=area,
        service=service,
        location_id=_location_ids(rng, len(area)),
        name=_names(rng, service),
        beds=beds,
        registered=registered,
        closed=closed,
        inspected=inspected,
        published=published,
        rating=rating,
    )


def _locations(rng, area_drivers: pd.DataFrame, pop65: np.ndarray, service: int) -> tuple:
    """Locations of one service type: (area, service, beds, registered, closed)."""
    kind = KINDS[SERVICE_TYPES[service]]
    loadings = {"density": 0.15} if kind.median_beds == 0 else {"old_age": 0.1, "density": -0.1}
    effect = common.area_effect(area_drivers, rng, loadings=loadings, spread=0.3)
    factor = common.rate_factor(effect[:, None], weights=pop65)[:, 0]
    sigma = 0.45 if service == 0 else 0.6
    mean_size = kind.median_beds * np.exp(sigma**2 / 2) if kind.median_beds else 1.0
    expected = pop65[:, 0] * kind.per_person_65 * factor / mean_size
    existing = common.poisson_counts(rng, expected)
    opening = common.poisson_counts(rng, expected * kind.openings_per_year * 4)
    area = np.concatenate(
        [
            np.repeat(np.arange(len(expected)), existing),
            np.repeat(np.arange(len(expected)), opening),
        ]
    )
    n_existing, count = existing.sum(), len(area)
    registered = np.concatenate(
        [
            _uniform_days(rng, np.datetime64("1995-01-01"), OBSERVED_FROM - 1, n_existing),
            _uniform_days(rng, OBSERVED_FROM, OBSERVED_TO, count - n_existing),
        ]
    )
    open_years = rng.exponential(1 / kind.closures_per_year, count)
    closed = np.maximum(registered, OBSERVED_FROM) + np.round(open_years * DAYS_PER_YEAR).astype(
        "timedelta64[D]"
    )
    closed = np.where(closed > OBSERVED_TO, NEVER, closed)
    if kind.median_beds:
        beds = np.clip(np.round(rng.lognormal(np.log(kind.median_beds), sigma, count)), 5, 120)
    else:
        beds = np.zeros(count)
    return area, np.full(count, service), beds.astype(np.int64), registered, closed


def _uniform_days(rng, first: np.datetime64, last: np.datetime64, count: int) -> np.ndarray:
    span = int((last - first).astype(int)) + 1
    return first + rng.integers(0, span, count).astype("timedelta64[D]")


def _inspections(rng, service, registered, closed, quality) -> tuple:
    """Inspection rounds per location: dates, publication dates and ratings."""
    count = len(service)
    inspected = np.full((count, MAX_INSPECTIONS), NEVER)
    rating = np.full((count, MAX_INSPECTIONS), -1)
    first = np.where(
        registered < REGIME_START,
        _uniform_days(rng, REGIME_START, np.datetime64("2017-01-31"), count),
        registered + _months(rng, 3, 12, count),
    )
    ends = np.minimum(closed, OBSERVED_TO + 1)
    current_date, current = first, _first_rating(rng, service, first, quality)
    for inspection in range(MAX_INSPECTIONS):
        happened = current_date < ends
        if not happened.any():
            break
        inspected[happened, inspection] = current_date[happened]
        rating[happened, inspection] = current[happened]
        low, high = INTERVAL_MONTHS[current].T
        current_date = current_date + _months(rng, low, high, count)
        current = _next_rating(rng, current, quality)
    lag = rng.integers(30, 91, inspected.shape).astype("timedelta64[D]")
    published = np.where(rating >= 0, inspected + lag, NEVER)
    return inspected, published, rating


def _months(rng, low, high, count: int) -> np.ndarray:
    months = rng.uniform(low, high, count)
    return np.round(months * DAYS_PER_MONTH).astype("timedelta64[D]")


def _first_rating(rng, service: np.ndarray, first: np.ndarray, quality: np.ndarray):
    """Ordinal logit: cut points from each type's late-2014 mix; worse where quality is low,
    better the later the first inspection."""
    shares = np.array([KINDS[name].first_rating for name in SERVICE_TYPES])
    at_least = 1 - np.cumsum(shares, axis=1)[:, :-1]  # P(rating >= k), k = 1..3
    cuts = -np.log(at_least / (1 - at_least))
    years_late = (first - REGIME_START).astype(float) / DAYS_PER_YEAR
    latent = quality - FIRST_RATING_TREND * years_late
    worse_than = 1 / (1 + np.exp(-(latent[:, None] - cuts[service])))
    return (rng.random(len(service))[:, None] < worse_than).sum(axis=1)


def _next_rating(rng, current: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Markov step from TRANSITIONS, tilted towards worse ratings where quality is low."""
    steps = np.arange(4)[None, :] - current[:, None]
    weights = TRANSITIONS[current] * np.exp(0.4 * quality[:, None] * steps)
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    return np.minimum((rng.random(len(current))[:, None] > cumulative).sum(axis=1), 3)


def _location_ids(rng, count: int) -> np.ndarray:
    numbers = 1_000_000_000 + rng.choice(9_000_000_000, size=count, replace=False)
    return np.char.add("1-", numbers.astype(str)).astype(object)


def _names(rng, service: np.ndarray) -> np.ndarray:
    names = PLACE_WORDS[rng.integers(0, len(PLACE_WORDS), len(service))] + " "
    for index, kind in enumerate(SERVICE_TYPES):
        mask = service == index
        endings = NAME_ENDINGS[kind]
        names[mask] = names[mask] + endings[rng.integers(0, len(endings), mask.sum())]
    return names


def inspections_table(register: Register) -> pa.Table:
    """``cqc_inspections``: one row per inspection, sorted by location and date."""
    location, round_ = np.nonzero(register.rating >= 0)
    order = np.lexsort((round_, _id_rank(register)[location]))
    location, round_ = location[order], round_[order]
    table = pa.table(
        {
            "location_id": _strings(register.location_id).take(location),
            "area_code": _strings(register.area_codes).take(register.area[location]),
            "service_type": _strings(np.array(SERVICE_TYPES)).take(register.service[location]),
            "inspection_date": pa.array(register.inspected[location, round_], pa.date32()),
            "overall_rating": _strings(np.array(OVERALL_RATINGS)).take(
                register.rating[location, round_]
            ),
            "is_synthetic": pa.array(np.ones(len(location), dtype=bool)),
        }
    )
    return validate("cqc_inspections", table)


def locations_table(register: Register, snapshots: pd.DataFrame) -> pa.Table:
    """``cqc_locations``: active locations at each snapshot with their latest rating,
    sorted by snapshot and location."""
    days = snapshots["period_start"].to_numpy().astype("datetime64[D]")
    rank = _id_rank(register)
    parts = []
    for day in days:
        active = np.nonzero(register.active(day))[0]
        active = active[np.argsort(rank[active])]
        parts.append(
            (
                np.full(len(active), day),
                active,
                register.latest_rating(day)[active],
                register.latest_rating_date(day)[active],
            )
        )
    snapshot_date, location, rating, rating_date = (
        np.concatenate(arrays) for arrays in zip(*parts, strict=True)
    )
    beds = register.beds[location]
    rated = rating >= 0
    table = pa.table(
        {
            "snapshot_date": pa.array(snapshot_date, pa.date32()),
            "location_id": _strings(register.location_id).take(location),
            "name": _strings(register.name).take(location),
            "area_code": _strings(register.area_codes).take(register.area[location]),
            "service_type": _strings(np.array(SERVICE_TYPES)).take(register.service[location]),
            "beds": pa.array(beds, pa.int32(), mask=beds == 0),
            "overall_rating": _strings(np.array(OVERALL_RATINGS)).take(
                pa.array(np.maximum(rating, 0), mask=~rated)
            ),
            "rating_date": pa.array(rating_date, pa.date32(), mask=~rated),
            "is_synthetic": pa.array(np.ones(len(location), dtype=bool)),
        }
    )
    return validate("cqc_locations", table)


def _id_rank(register: Register) -> np.ndarray:
    """Each location's position in location_id order (ids are unique)."""
    rank = np.empty(len(register.location_id), dtype=np.int64)
    rank[np.argsort(register.location_id.astype(str), kind="stable")] = np.arange(len(rank))
    return rank


def _strings(values: np.ndarray) -> pa.Array:
    """Arrow strings for a short list of distinct values; rows are ``take``n from it."""
    return pa.array(values.tolist(), pa.string())
