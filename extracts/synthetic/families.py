"""All synthetic area-level families in one call: DTOC, ASCOF, CHC and the CQC register.

Same inputs and seed give byte-identical tables (rows sorted by key): every family and
purpose draws from its own seeded stream, so adding a family never changes another.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from extracts.synthetic import ascof, chc, common, cqc, dtoc


def generate_all(
    areas: pd.DataFrame, population: pd.DataFrame, seed: int = common.DEFAULT_SEED
) -> dict:
    """{'indicators': {source: table}, 'cqc_locations': table, 'cqc_inspections': table}.

    ``areas``: the areas table (councils plus an optional England row); ``population``:
    long mid-year estimates (area_code, year, age_band, count). Every table is validated
    against ``queries.schema``; indicator rows carry is_synthetic and a seed vintage.
    """
    delayed = dtoc.simulate(areas, population, seed)
    register = cqc.generate(areas, population, seed)
    indicators: dict[str, pa.Table] = {
        dtoc.SOURCE: dtoc.generate(areas, population, seed, delayed=delayed),
        ascof.SOURCE: ascof.generate(areas, population, seed, delayed=delayed),
        chc.SOURCE: chc.generate(areas, population, seed),
        cqc.SOURCE: register["indicators"],
    }
    return {
        "indicators": indicators,
        "cqc_locations": register["cqc_locations"],
        "cqc_inspections": register["cqc_inspections"],
    }
