from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from queries import schema


def indicator_rows(**overrides):
    row = dict(
        metric_id="dtoc_rate",
        area_code="E06000001",
        period_start=date(2017, 9, 1),
        period_end=date(2017, 9, 30),
        period_type="month",
        breakdown="all",
        breakdown_value="all",
        numerator=10.0,
        denominator=100.0,
        value=10.0,
        lower_ci=None,
        upper_ci=None,
        suppressed=False,
        is_synthetic=False,
        vintage="v",
        source="dtoc",
    )
    row.update(overrides)
    return pa.Table.from_pylist([row])


class TestValidate:
    def test_a_good_row_passes_and_is_cast_to_the_contract(self):
        data = schema.validate("indicators", indicator_rows())
        assert data.schema == schema.table("indicators").schema

    def test_missing_column_is_named(self):
        with pytest.raises(schema.SchemaError, match="missing column.*vintage"):
            schema.validate("indicators", indicator_rows().drop_columns(["vintage"]))

    def test_unexpected_column_is_named(self):
        data = indicator_rows().append_column("colour", pa.array(["red"]))
        with pytest.raises(schema.SchemaError, match="unexpected column.*colour"):
            schema.validate("indicators", data)

    def test_null_in_required_column_names_row_and_column(self):
        with pytest.raises(schema.SchemaError, match="row 0: metric_id is empty"):
            schema.validate("indicators", indicator_rows(metric_id=None))

    def test_value_outside_allowed_set_is_named(self):
        with pytest.raises(schema.SchemaError, match="period_type='fortnight'"):
            schema.validate("indicators", indicator_rows(period_type="fortnight"))

    def test_bad_area_code_is_named(self):
        with pytest.raises(schema.SchemaError, match="area_code='E07000001'"):
            schema.validate("indicators", indicator_rows(area_code="E07000001"))

    def test_england_is_the_one_area_code_beyond_the_councils(self):
        schema.validate("indicators", indicator_rows(area_code=schema.ENGLAND_CODE))
        with pytest.raises(schema.SchemaError, match="area_code='E92000002'"):
            schema.validate("indicators", indicator_rows(area_code="E92000002"))

    def test_englands_code_is_written_once_in_the_code(self):
        """SQL reads it as the store's $england; Python as schema.ENGLAND_CODE."""
        root = Path(schema.__file__).resolve().parents[1]
        sources = [root / "app.py"]
        for package in ("queries", "extracts", "dashboard", "lsr"):
            sources += [*(root / package).rglob("*.py"), *(root / package).rglob("*.sql")]
        spelled = [p.relative_to(root) for p in sources if schema.ENGLAND_CODE in p.read_text()]
        assert spelled == [Path("queries/schema.py")]

    def test_the_headline_breakdown_has_the_headline_value(self):
        """The roll-up groups a series by breakdown value: an 'all' row is one headline."""
        schema.validate("indicators", indicator_rows(breakdown="reason", breakdown_value="a"))
        with pytest.raises(schema.SchemaError, match="row 0: breakdown_value='a' in the headline"):
            schema.validate("indicators", indicator_rows(breakdown_value="a"))

    def test_duplicate_key_is_reported(self):
        data = pa.concat_tables([indicator_rows(), indicator_rows()])
        with pytest.raises(schema.SchemaError, match="duplicate key"):
            schema.validate("indicators", data)

    def test_text_in_a_number_column_is_named(self):
        data = indicator_rows().set_column(7, "numerator", pa.array(["ten"]))
        with pytest.raises(schema.SchemaError, match="numerator"):
            schema.validate("indicators", data)

    def test_unknown_table(self):
        with pytest.raises(schema.SchemaError, match="unknown table"):
            schema.table("nope")


class TestNormaliseAreaName:
    @pytest.mark.parametrize(
        ("variant", "canonical"),
        [
            ("Stoke-On-Trent", "Stoke-on-Trent"),
            ("Telford & Wrekin", "Telford and Wrekin"),
            ("Bristol, City of", "City of Bristol"),
            ("Halton UA", "Halton"),
            ("  Kingston Upon Hull ", "Kingston upon Hull"),
        ],
    )
    def test_publisher_variants_fold_together(self, variant, canonical):
        assert schema.normalise_area_name(variant) == schema.normalise_area_name(canonical)

    def test_different_places_stay_different(self):
        assert schema.normalise_area_name("York") != schema.normalise_area_name("North Yorkshire")


class TestDuplicateRows:
    """Key uniqueness without a hash group-by (queries/schema.py duplicate_rows)."""

    @staticmethod
    def table(rows):
        return pa.table(
            {
                "metric": pa.array([r[0] for r in rows], pa.string()),
                "day": pa.array([r[1] for r in rows], pa.date32()),
                "part": pa.array([r[2] for r in rows], pa.string()),
            }
        )

    ROWS = [
        ("a", date(2017, 4, 1), "x"),
        ("a", date(2017, 4, 1), None),
        ("b", date(2017, 4, 1), "x"),
        ("a", date(2017, 5, 1), "x"),
        ("b", date(2017, 4, 1), "x"),  # repeats row 2
        ("a", date(2017, 4, 1), None),  # repeats row 1 (nulls equal nulls)
    ]

    @pytest.mark.parametrize("limit", [2**62, 2])  # 2: the joined-text fallback
    def test_the_earliest_repeat_and_its_first_row(self, monkeypatch, limit):
        monkeypatch.setattr(schema, "KEY_CODE_LIMIT", limit)
        key = ["metric", "day", "part"]
        assert schema.duplicate_rows(self.table(self.ROWS), key) == (2, 4)
        assert schema.duplicate_rows(self.table(self.ROWS[:4]), key) is None
        assert schema.duplicate_key(self.table(self.ROWS), key) == {
            "metric": "b", "day": date(2017, 4, 1), "part": "x"
        }  # fmt: skip

    def test_key_sort_indices_match_arrows_sort(self):
        import random

        chance = random.Random(7)
        rows = [
            (chance.choice(["b", "a", "c", None]), date(2017, chance.randint(1, 12), 1),
             chance.choice(["y", "x", None]))
            for _ in range(500)
        ]  # fmt: skip
        data = self.table(rows)
        key = ["metric", "day", "part"]
        expected = data.take(pc.sort_indices(data, sort_keys=[(k, "ascending") for k in key]))
        assert data.take(schema.key_sort_indices(data, key)).equals(expected)
