"""The area profile's URL state: area, comparator method and spine range, with notices."""

from dashboard import urls
from dashboard.profile.state import parse_profile
from dashboard.urls import ProfileState
from tests.dashboard.test_urls import CHOICES


class TestParseProfile:
    def test_code_from_the_path_and_method_from_the_query(self):
        parsed = parse_profile("E06000002", {"method": "oflog-nn"}, CHOICES)
        assert parsed.state == ProfileState("E06000002", "oflog-nn")
        assert parsed.notices == []

    def test_no_area_means_the_default_area_silently(self):
        parsed = parse_profile(None, {}, CHOICES)
        assert parsed.state == ProfileState("E08000012", "default")
        assert parsed.notices == []

    def test_lower_case_codes_and_names_resolve(self):
        assert parse_profile("e06000002", {}, CHOICES).state.area == "E06000002"
        assert parse_profile("Halton", {}, CHOICES).state.area == "E06000001"

    def test_area_query_parameter_when_the_path_has_none(self):
        assert parse_profile("none", {"area": "E06000001"}, CHOICES).state.area == "E06000001"

    def test_unknown_area_falls_back_with_a_notice(self):
        parsed = parse_profile("E99999999", {}, CHOICES)
        assert parsed.state.area == "E08000012"
        assert "E99999999" in parsed.notices[0] and "Liverpool" in parsed.notices[0]

    def test_unknown_method_falls_back_with_a_notice(self):
        parsed = parse_profile("E06000001", {"method": "astrology"}, CHOICES)
        assert parsed.state.method == "default"
        assert "astrology" in parsed.notices[0]

    def test_repeated_parameters_take_the_first(self):
        parsed = parse_profile("E06000001", {"method": ["oflog-nn", "default"]}, CHOICES)
        assert parsed.state.method == "oflog-nn"


class TestProfileHref:
    def test_round_trip(self):
        state = ProfileState("E06000002", "oflog-nn")
        href = urls.profile_href(state)
        assert href == "/area/E06000002?method=oflog-nn"
        assert parse_profile("E06000002", {"method": "oflog-nn"}, CHOICES).state == state

    def test_the_spine_range_is_written_only_when_not_the_default(self):
        state = ProfileState("E06000002", "default", spine="comparators")
        href = urls.profile_href(state)
        assert href == "/area/E06000002?method=default&spine=comparators"
        query = {"method": "default", "spine": "comparators"}
        assert parse_profile("E06000002", query, CHOICES).state == state


class TestSpineRange:
    def test_default_and_known_ranges(self):
        assert parse_profile("E06000002", {}, CHOICES).state.spine == "england"
        parsed = parse_profile("E06000002", {"spine": ["comparators", "x"]}, CHOICES)
        assert parsed.state.spine == "comparators" and parsed.notices == []

    def test_unknown_range_falls_back_with_a_notice_after_the_area_and_method_ones(self):
        parsed = parse_profile("E99999999", {"method": "x", "spine": "moon"}, CHOICES)
        assert parsed.state.spine == "england"
        assert len(parsed.notices) == 3
        assert parsed.notices[2] == "Unknown spine range “moon”; showing all councils."
