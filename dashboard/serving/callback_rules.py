"""What each callback input and state may hold: type, length and shape, per property and id.

A browser only ever sends back what the pages gave it: codes and ids of known shapes, small
stores, a few hundred grid rows. Anything else is a forged or broken request, refused before
any work (``callback_guard``). Each rule returns the problem in a few words, or None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

Rule = Callable[[object], str | None]

MAX_TEXT = 200  # a dropdown value, a code, a label
MAX_PATH = 1024
MAX_SEARCH = 2048
MAX_NOTICES = 30
MAX_NOTICE_TEXT = 600
MAX_LIST = 200  # control values, shortlists
MAX_ROWS = 500  # grid rows (152 councils today)
MAX_KEYS = 80  # keys of one store or grid row
MAX_OPTIONS = 2000
MAX_CLICKS = 10**9
SAFE_TEXT = re.compile(r"^[^\x00-\x1f\x7f]*$")


def is_scalar(value: object, max_length: int = MAX_TEXT) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) <= 10**15
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return len(value) <= max_length and SAFE_TEXT.match(value) is not None
    return False


def scalar(value: object) -> str | None:
    return None if is_scalar(value) else "not a short value"


def scalar_or_list(value: object) -> str | None:
    """A control's value: one short value, or a short list of them (multi-select)."""
    if isinstance(value, list):
        if len(value) > MAX_LIST or not all(is_scalar(item) for item in value):
            return "not a short list of short values"
        return None
    return scalar(value)


def clicks(value: object) -> str | None:
    if value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_CLICKS
    ):
        return None
    return "not a click count"


def text_up_to(max_length: int) -> Rule:
    def rule(value: object) -> str | None:
        if value is None or (isinstance(value, str) and len(value) <= max_length):
            return None
        return f"not text of at most {max_length} characters"

    return rule


def pathname(value: object) -> str | None:
    """A page path as the browser's location reports it: absolute, short."""
    if value is None or (
        isinstance(value, str) and value.startswith("/") and len(value) <= MAX_PATH
    ):
        return None
    return f"not a path of at most {MAX_PATH} characters"


def flat_mapping(value: object, max_keys: int = MAX_KEYS) -> bool:
    """A dict of short keys to short values or short lists of them or of pairs (a store, a
    grid row)."""
    if not isinstance(value, dict) or len(value) > max_keys:
        return False
    for key, item in value.items():
        if not is_scalar(key):
            return False
        if isinstance(item, list):
            if len(item) > MAX_LIST or not all(is_scalar(x) or is_pair(x) for x in item):
                return False
        elif not is_scalar(item, MAX_NOTICE_TEXT):
            return False
    return True


def is_pair(value: object) -> bool:
    """A short tuple of short values, as a state's ``weights`` ((metric, weight), …)."""
    return isinstance(value, list) and len(value) <= 4 and all(is_scalar(x) for x in value)


def small_store(value: object) -> str | None:
    """A page's state or rendered-controls store: a flat dict or a short list of values."""
    if value is None or flat_mapping(value):
        return None
    if isinstance(value, list) and len(value) <= MAX_KEYS and all(is_scalar(x) for x in value):
        return None
    return "not a small flat store"


def notices(value: object) -> str | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) <= MAX_NOTICES
        and all(isinstance(m, str) and len(m) <= MAX_NOTICE_TEXT for m in value)
    ):
        return None
    return f"not a list of at most {MAX_NOTICES} short notices"


def codes(value: object) -> str | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) <= MAX_LIST
        and all(isinstance(code, str) and len(code) <= 20 for code in value)
    ):
        return None
    return "not a short list of codes"


def rows(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list) and len(value) <= MAX_ROWS and all(flat_mapping(r) for r in value):
        return None
    return f"not at most {MAX_ROWS} flat rows"


def selected_rows(value: object) -> str | None:
    """The grid reports ticked rows, or the ``{"ids": [...]}`` form a page sets at render."""
    if isinstance(value, dict) and set(value) <= {"ids"}:
        return codes(value.get("ids"))
    return rows(value)


def options(value: object) -> str | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) <= MAX_OPTIONS
        and all(is_scalar(o) or flat_mapping(o, max_keys=8) for o in value)
    ):
        return None
    return "not a list of options"


def component_id(value: object) -> str | None:
    if (
        isinstance(value, dict)
        and len(value) <= 8
        and all(is_scalar(k) and is_scalar(v) for k, v in value.items())
    ):
        return None
    return "not a component id"


BY_PROPERTY: dict[str, Rule] = {
    "n_clicks": clicks,
    "value": scalar_or_list,
    "pathname": pathname,
    "search": text_up_to(MAX_SEARCH),
    "hash": text_up_to(MAX_TEXT),
    "href": text_up_to(MAX_PATH + MAX_SEARCH),
    "options": options,
    "selectedRows": selected_rows,
    "rowData": rows,
    "virtualRowData": rows,
    "columnState": rows,  # one flat entry per grid column (id, width, sort, …)
    "data": small_store,
    "id": component_id,
}
BY_ID: dict[tuple[str, str], Rule] = {
    ("page-notices", "data"): notices,
    ("select-shortlist", "data"): codes,
}


def rule_for(component: object, prop: str) -> Rule | None:
    """The rule for one declared input; None when the property is not one pages declare."""
    if isinstance(component, str) and (component, prop) in BY_ID:
        return BY_ID[(component, prop)]
    return BY_PROPERTY.get(prop)
