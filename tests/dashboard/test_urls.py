from dashboard import urls
from dashboard.urls import Choices, ProfileState

CHOICES = Choices(
    areas={"E06000001": "Halton", "E06000002": "Coventry", "E08000012": "Liverpool"},
    methods=("default", "oflog-nn"),
    default_area="E08000012",
    resolve_area=lambda text: {"halton": "E06000001"}[text.lower()],
)


class TestParseProfile:
    def test_code_from_the_path_and_method_from_the_query(self):
        parsed = urls.parse_profile("E06000002", {"method": "oflog-nn"}, CHOICES)
        assert parsed.state == ProfileState("E06000002", "oflog-nn")
        assert parsed.notices == []

    def test_no_area_means_the_default_area_silently(self):
        parsed = urls.parse_profile(None, {}, CHOICES)
        assert parsed.state == ProfileState("E08000012", "default")
        assert parsed.notices == []

    def test_lower_case_codes_and_names_resolve(self):
        assert urls.parse_profile("e06000002", {}, CHOICES).state.area == "E06000002"
        assert urls.parse_profile("Halton", {}, CHOICES).state.area == "E06000001"

    def test_area_query_parameter_when_the_path_has_none(self):
        assert urls.parse_profile("none", {"area": "E06000001"}, CHOICES).state.area == "E06000001"

    def test_unknown_area_falls_back_with_a_notice(self):
        parsed = urls.parse_profile("E99999999", {}, CHOICES)
        assert parsed.state.area == "E08000012"
        assert "E99999999" in parsed.notices[0] and "Liverpool" in parsed.notices[0]

    def test_unknown_method_falls_back_with_a_notice(self):
        parsed = urls.parse_profile("E06000001", {"method": "astrology"}, CHOICES)
        assert parsed.state.method == "default"
        assert "astrology" in parsed.notices[0]

    def test_repeated_parameters_take_the_first(self):
        parsed = urls.parse_profile("E06000001", {"method": ["oflog-nn", "default"]}, CHOICES)
        assert parsed.state.method == "oflog-nn"


class TestProfileHref:
    def test_round_trip(self):
        state = ProfileState("E06000002", "oflog-nn")
        href = urls.profile_href(state)
        assert href == "/area/E06000002?method=oflog-nn"
        assert urls.parse_profile("E06000002", {"method": "oflog-nn"}, CHOICES).state == state


class TestParseChoice:
    """The one choice-with-notice parser every page's URL state is built on."""

    @staticmethod
    def unknown(raw: str) -> str:
        return f"no {raw}"

    def test_a_known_value_is_kept_and_an_absent_one_is_the_default(self):
        notices: list[str] = []
        assert urls.parse_choice(["b", "a"], ("a", "b"), notices, self.unknown) == "b"
        assert urls.parse_choice(None, ("a", "b"), notices, self.unknown) == "a"
        assert urls.parse_choice("  ", ("a", "b"), notices, self.unknown, default="b") == "b"
        assert notices == []

    def test_an_unknown_value_falls_back_with_its_notice(self):
        notices: list[str] = []
        assert urls.parse_choice("zz", {"a": "A", "b": "B"}, notices, self.unknown) == "a"
        assert urls.parse_choice("A", ("a", "b"), notices, self.unknown, default="b") == "b"
        assert notices == ["no zz", "no A"]

    def test_folded_case_returns_the_value_as_allowed_spells_it(self):
        notices: list[str] = []
        allowed = ("all", "North West")
        assert urls.parse_choice("NORTH west", allowed, notices, self.unknown, fold_case=True) == (
            "North West"
        )
        assert notices == []

    def test_parsed_carries_any_state(self):
        parsed = urls.Parsed(("any", "state"))
        assert parsed.state == ("any", "state") and parsed.notices == []
