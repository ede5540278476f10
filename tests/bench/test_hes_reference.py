"""The SQL build and the plain pandas reference agree exactly, row for row (before disclosure)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench import hes_pandas_reference
from extracts import hes_build
from extracts.synthetic import hes
from tests.extracts.synthetic.conftest import make_areas, make_population


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    areas = make_areas(seed=5)
    councils = areas[areas["la_type"] != "country"].iloc[::7].head(20)
    population = make_population(areas)
    population = population[population["area_code"].isin(councils["area_code"])]
    directory = tmp_path_factory.mktemp("hes_reference")
    hes.generate(councils, population, directory, seed=99, scale=0.03, financial_years=(2016, 2017))
    return (
        hes_build.derive(directory, population),
        hes_pandas_reference.indicators(directory, population),
    )


class TestEquality:
    def test_same_rows(self, both) -> None:
        sql, reference = both
        assert len(sql) > 10_000
        pd.testing.assert_frame_equal(sql[hes_build.KEY], reference[hes_build.KEY])

    def test_every_metric_and_breakdown_present(self, both) -> None:
        sql, _ = both
        assert set(sql["metric_id"]) == set(hes_build.METRICS)
        assert {"own_home", "care_home", "other"} <= set(sql["breakdown_value"])

    @pytest.mark.parametrize("column", ["numerator", "denominator", "value"])
    def test_same_numbers(self, both, column) -> None:
        sql, reference = both
        left, right = sql[column].to_numpy(), reference[column].to_numpy()
        assert (np.isnan(left) == np.isnan(right)).all()
        np.testing.assert_allclose(left, right, rtol=1e-9, atol=1e-9, equal_nan=True)
