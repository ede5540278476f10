"""Making Data Count icons: one SVG per variation and assurance key, each with its text."""

import base64
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from dashboard.charts import mdc_icons
from queries.stats import VARIATION_ICON_KEYS

SVG = "{http://www.w3.org/2000/svg}"


def parsed(document):
    return ET.fromstring(document)


class TestVariationSvg:
    @pytest.mark.parametrize("key", VARIATION_ICON_KEYS)
    def test_every_statistics_key_has_an_icon_with_its_text(self, key):
        root = parsed(mdc_icons.variation_svg(key))
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == mdc_icons.VARIATION_ALT[key]

    @pytest.mark.parametrize(
        ("key", "colour", "letter"),
        [
            ("improvement_high", mdc_icons.IMPROVEMENT, "H"),
            ("concern_low", mdc_icons.CONCERN, "L"),
            ("neither_high", mdc_icons.NEITHER, "H"),
        ],
    )
    def test_special_cause_has_colour_and_a_letter(self, key, colour, letter):
        root = parsed(mdc_icons.variation_svg(key))
        assert root.find(f"{SVG}circle").get("stroke") == colour
        assert root.find(f"{SVG}text").text == letter
        fills = [c.get("fill") for c in root.findall(f"{SVG}circle")[1:]]
        assert fills[-3:] == [colour] * 3 and mdc_icons.COMMON in fills[:4]

    def test_high_points_rise_and_low_points_fall(self):
        def heights(key):
            return [
                float(c.get("cy"))
                for c in parsed(mdc_icons.variation_svg(key)).findall(f"{SVG}circle")[1:]
            ]

        assert heights("concern_high")[-1] < heights("concern_high")[0]  # SVG y grows down
        assert heights("concern_low")[-1] > heights("concern_low")[0]

    def test_common_cause_is_grey_without_a_letter(self):
        root = parsed(mdc_icons.variation_svg("common_cause"))
        assert root.find(f"{SVG}text") is None
        assert {c.get("fill") for c in root.findall(f"{SVG}circle")[1:]} == {mdc_icons.COMMON}

    def test_unknown_key_is_an_error(self):
        with pytest.raises(ValueError, match="unknown variation icon"):
            mdc_icons.variation_svg("special cause improvement")


class TestAssuranceSvg:
    @pytest.mark.parametrize(
        ("key", "letter"), [("pass", "P"), ("fail", "F"), ("hit_and_miss", "?")]
    )
    def test_letters_and_text(self, key, letter):
        root = parsed(mdc_icons.assurance_svg(key))
        assert root.find(f"{SVG}text").text == letter
        assert root.find(f"{SVG}title").text == mdc_icons.ASSURANCE_ALT[key]
        assert root.find(f"{SVG}line").get("stroke-dasharray")  # the target line

    def test_unknown_key_is_an_error(self):
        with pytest.raises(ValueError, match="unknown assurance icon"):
            mdc_icons.assurance_svg("no target")


class TestUris:
    def test_both_encodings_round_trip(self):
        document = mdc_icons.assurance_svg("pass")
        text_uri = mdc_icons.data_uri(document)
        assert "#" not in text_uri  # a "#" would end the URI at the first colour
        assert unquote(text_uri.split(",", 1)[1]) == document
        encoded = mdc_icons.base64_uri(document).split(",", 1)[1]
        assert base64.b64decode(encoded).decode() == document
