"""Areas: look-up by code or any published name variant, with close matches on a miss."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from queries.schema import ENGLAND_CODE, normalise_area_name
from queries.store import DataStore


class UnknownAreaError(LookupError):
    """No area matches what the user typed; the message lists close matches."""

    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown area {text!r}{hint}")


@dataclass(frozen=True)
class AreaDirectory:
    """All areas and aliases, loaded once per data version."""

    areas: pd.DataFrame
    aliases: dict[str, str]

    @classmethod
    def load(cls, store: DataStore) -> AreaDirectory:
        areas = store.query("areas").set_index("area_code", drop=False)
        aliases = dict(store.query("area_aliases").itertuples(index=False, name=None))
        for code, name in zip(areas["area_code"], areas["name"], strict=True):
            aliases.setdefault(normalise_area_name(name), code)
            aliases.setdefault(code.lower(), code)
        return cls(areas, aliases)

    @property
    def councils(self) -> pd.DataFrame:
        return self.areas[self.areas["area_code"] != ENGLAND_CODE]

    def resolve(self, text: str) -> str:
        """The ONS code for a code, a DH code or any name variant; raises with suggestions."""
        key = normalise_area_name(text)
        if key in self.aliases:
            return self.aliases[key]
        if str(text).strip().upper() in self.areas.index:
            return str(text).strip().upper()
        names = {normalise_area_name(n): n for n in self.areas["name"]}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        starts = [n for k, n in names.items() if key and k.startswith(key)]
        suggestions = list(dict.fromkeys([*starts[:3], *(names[c] for c in close)]))[:5]
        raise UnknownAreaError(text, suggestions)

    def name(self, code: str) -> str:
        return str(self.areas.at[code, "name"]) if code in self.areas.index else code
