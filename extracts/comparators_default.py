"""The 'default' comparator method: the 15 most similar councils on open data.

Each council is described by five features from the areas table: log population (size),
% aged 65+ and % aged 85+ (age structure), IMD average rank (deprivation) and log population
density (urban/rural). Features are standardised to z-scores across the 152 councils and
compared by weighted Euclidean distance; the 15 nearest other councils are the group, ranked
1..15. Ties in distance are broken by area code so the result is fully deterministic.

The weights are module constants so the Methods page can quote them. % 85+ is strongly
correlated with % 65+; half weight keeps age structure from counting twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from queries import schema

METHOD = "default"
PEERS = 15
FEATURE_WEIGHTS: dict[str, float] = {
    "log_population": 1.0,
    "pct_65plus": 1.0,
    "pct_85plus": 0.5,
    "imd_avg_rank": 1.0,
    "log_density": 1.0,
}
DISTANCE_DECIMALS = 6


def _councils(areas: pd.DataFrame | pa.Table) -> pd.DataFrame:
    frame = areas.to_pandas() if isinstance(areas, pa.Table) else areas.copy()
    frame = frame[frame["la_type"] != "country"]
    return frame.sort_values("area_code").set_index("area_code")


def _impute_imd(councils: pd.DataFrame) -> pd.Series:
    """IMD 2019 is not published for Bournemouth, Poole and Dorset (merged in 2019).

    They take the median average rank of the other councils in their region, so they stay in
    the comparison with a neutral-for-their-region deprivation value.
    """
    imd = councils["imd_avg_rank"].astype("float64")
    regional_median = imd.groupby(councils["region"]).transform("median")
    return imd.fillna(regional_median).fillna(imd.median())


def features(areas: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Standardised (z-score) features per council, index area_code, one column per feature."""
    councils = _councils(areas)
    raw = pd.DataFrame(
        {
            "log_population": np.log(councils["pop_all"].astype("float64")),
            "pct_65plus": councils["pct_65plus"].astype("float64"),
            "pct_85plus": councils["pct_85plus"].astype("float64"),
            "imd_avg_rank": _impute_imd(councils),
            "log_density": np.log(councils["density_per_km2"].astype("float64")),
        }
    )
    missing = raw.columns[raw.isna().any()].tolist()
    if missing:
        code = raw.index[raw[missing[0]].isna()][0]
        raise ValueError(f"council {code} has no value for feature {missing[0]}")
    return (raw - raw.mean()) / raw.std(ddof=0)


def distance_matrix(areas: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Weighted Euclidean distance between every pair of councils (square, labelled)."""
    z = features(areas)
    weights = np.sqrt(np.array([FEATURE_WEIGHTS[column] for column in z.columns]))
    points = z.to_numpy() * weights
    differences = points[:, None, :] - points[None, :, :]
    distances = np.sqrt((differences**2).sum(axis=2))
    return pd.DataFrame(distances, index=z.index, columns=z.index)


def nearest(distances: pd.DataFrame, area_code: str, count: int = PEERS) -> list[str]:
    """The ``count`` councils closest to ``area_code`` (itself excluded), closest first."""
    row = distances.loc[area_code].drop(area_code)
    ordered = sorted(row.items(), key=lambda item: (round(item[1], 12), item[0]))
    return [code for code, _ in ordered[:count]]


def default_comparators(areas: pd.DataFrame | pa.Table, peers: int = PEERS) -> pa.Table:
    """The comparators table for method 'default': rank 1..peers and distance per council."""
    distances = distance_matrix(areas)
    records = []
    for area_code in distances.index:
        for rank, peer_code in enumerate(nearest(distances, area_code, peers), start=1):
            distance = round(float(distances.at[area_code, peer_code]), DISTANCE_DECIMALS)
            records.append((METHOD, area_code, peer_code, rank, distance))
    frame = pd.DataFrame(records, columns=["method", "area_code", "peer_code", "rank", "distance"])
    return schema.validate("comparators", pa.Table.from_pandas(frame, preserve_index=False))
