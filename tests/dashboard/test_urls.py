from dashboard import urls
from dashboard.urls import Choices

CHOICES = Choices(
    areas={"E06000001": "Halton", "E06000002": "Coventry", "E08000012": "Liverpool"},
    methods=("default", "oflog-nn"),
    default_area="E08000012",
    resolve_area=lambda text: {"halton": "E06000001"}[text.lower()],
)


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
