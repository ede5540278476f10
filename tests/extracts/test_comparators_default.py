from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from extracts import comparators_default
from extracts.comparators_default import (
    FEATURE_WEIGHTS,
    PEERS,
    default_comparators,
    distance_matrix,
    features,
)
from extracts.open_data import read_snapshots
from queries import schema

OPEN_DIR = Path(__file__).resolve().parents[2] / "data" / "open"


def make_areas(count: int = 30, seed: int = 3) -> pd.DataFrame:
    """A small set of councils with spread-out features, plus an England row."""
    rng = np.random.default_rng(seed)
    councils = pd.DataFrame(
        {
            "area_code": [f"E06{index:06d}" for index in range(1, count + 1)],
            "la_type": "unitary",
            "region": rng.choice(["North East", "London", "South West"], count),
            "pop_all": rng.integers(50_000, 1_200_000, count),
            "pct_65plus": rng.uniform(10, 28, count).round(3),
            "pct_85plus": rng.uniform(1, 4, count).round(3),
            "imd_avg_rank": rng.uniform(3_000, 27_000, count).round(2),
            "density_per_km2": rng.uniform(60, 15_000, count).round(),
        }
    )
    england = {"area_code": schema.ENGLAND_CODE, "la_type": "country", "region": "England",
               "pop_all": 55_000_000, "pct_65plus": 17.9, "pct_85plus": 2.4,
               "imd_avg_rank": np.nan, "density_per_km2": 424.0}  # fmt: skip
    return pd.concat([councils, pd.DataFrame([england])], ignore_index=True)


class TestFeatures:
    def test_standardised_per_council_without_england(self):
        z = features(make_areas())
        assert schema.ENGLAND_CODE not in z.index
        assert list(z.columns) == list(FEATURE_WEIGHTS)
        assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=0), 1)

    def test_missing_imd_takes_the_regional_median(self):
        areas = make_areas()
        code = areas.loc[0, "area_code"]
        region = areas.loc[0, "region"]
        areas.loc[0, "imd_avg_rank"] = np.nan
        imputed = comparators_default._impute_imd(areas.set_index("area_code").iloc[:-1])
        others = areas[(areas["region"] == region) & (areas["la_type"] != "country")]
        assert imputed[code] == others["imd_avg_rank"].median()

    def test_a_missing_population_is_an_error(self):
        areas = make_areas()
        areas.loc[3, "density_per_km2"] = np.nan
        with pytest.raises(ValueError, match="log_density"):
            features(areas)


class TestDistanceMatrix:
    def test_symmetric_with_zero_diagonal(self):
        distances = distance_matrix(make_areas())
        assert np.allclose(distances.to_numpy(), distances.to_numpy().T)
        assert np.allclose(np.diag(distances.to_numpy()), 0)

    def test_weights_are_applied(self):
        areas = make_areas()
        z = features(areas)
        a, b = z.index[0], z.index[1]
        expected = np.sqrt(sum(w * (z.at[a, f] - z.at[b, f]) ** 2
                               for f, w in FEATURE_WEIGHTS.items()))  # fmt: skip
        assert distance_matrix(areas).at[a, b] == pytest.approx(expected)


class TestDefaultComparators:
    def test_every_council_has_15_ranked_peers_and_never_itself(self):
        table = default_comparators(make_areas()).to_pandas()
        assert (table["method"] == "default").all()
        assert (table.groupby("area_code").size() == PEERS).all()
        assert not (table["area_code"] == table["peer_code"]).any()
        for _, group in table.groupby("area_code"):
            assert group["rank"].tolist() == list(range(1, PEERS + 1))
            assert group["distance"].is_monotonic_increasing

    def test_deterministic(self):
        assert default_comparators(make_areas()).equals(default_comparators(make_areas()))

    def test_row_order_of_the_input_does_not_matter(self):
        areas = make_areas()
        shuffled = areas.sample(frac=1, random_state=1)
        assert default_comparators(shuffled).equals(default_comparators(areas))


class TestOnCommittedAreas:
    def test_committed_default_method_equals_a_fresh_computation(self):
        tables = read_snapshots(OPEN_DIR)
        if "comparators" not in tables:
            pytest.skip("data/open/comparators.csv not built")
        fresh = default_comparators(tables["areas"]).to_pandas()
        committed = tables["comparators"].to_pandas()
        committed = committed[committed["method"] == "default"]
        key = ["area_code", "rank"]
        fresh = fresh.sort_values(key, ignore_index=True)
        committed = committed.sort_values(key, ignore_index=True)
        pd.testing.assert_frame_equal(fresh, committed)
