"""The area profile's URL state, read here only: /area/<code>?method=&spine= (the state
itself, ``urls.ProfileState``, is what other pages link to)."""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.profile.view import SPINE_SCOPES
from dashboard.urls import (
    DEFAULT_SPINE,
    Choices,
    Parsed,
    ProfileState,
    first_value,
    parse_area,
    parse_choice,
    parse_method,
)


def parse_profile(
    code: object, query: Mapping[str, object], choices: Choices
) -> Parsed[ProfileState]:
    """State of /area/<code>?method=&spine=; ?area= is accepted when the path names no area."""
    notices: list[str] = []
    area_text = code if first_value(code) not in (None, "none") else query.get("area")
    area = parse_area(area_text, choices, notices)
    method = parse_method(query.get("method"), choices, notices)
    spine = parse_choice(
        query.get("spine"),
        SPINE_SCOPES,
        notices,
        lambda raw: f"Unknown spine range “{raw}”; showing all councils.",
        default=DEFAULT_SPINE,
    )
    return Parsed(ProfileState(area=area, method=method, spine=spine), notices)
