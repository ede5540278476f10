"""Forged callback requests, built from what the app declares and what its pages render.

Every page is rendered once through the pages router; the props of its components (control
values, stores, options, grid rows) fill the inputs and states of each declared server
callback, giving one request a browser could send. Forgeries change one thing of it: a value
of the wrong type, size or meaning, a wrong id or property, a broken body. Seeded, so a
failure names a reproducible case.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CALLBACK = "/_dash-update-component"
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
PAGES = (
    ("/", "?weights=ea65_rate:2&shortlist=E06000001,E06000002&region=North%20West"),
    ("/area/E06000001", "?method=default"),
    ("/metric/dtoc_rate", ""),
    ("/dtoc", ""),
    ("/hospital", ""),
    ("/social-care", ""),
    ("/chc", ""),
    ("/ratings", ""),
    ("/methods", ""),
)


EXPENSIVE_BUTTONS = frozenset({"profile-report"})


def deep(levels: int) -> object:
    value: object = []
    for _ in range(levels):
        value = [value]
    return value


HOSTILE_VALUES: tuple[object, ...] = (
    None,
    0,
    -1,
    10**30,
    1.5,
    True,
    "",
    "x" * 100_000,
    "E06000001",
    "E06000001" * 12_000,
    "../../../../etc/passwd",
    "' OR 1=1; DROP TABLE indicators; --",
    "<script>alert(1)</script>",
    "\x00\x01",
    "0999-01-01",
    "9999-12-31",
    "2016/17 Q5",
    "Apr 999",
    "nan",
    "1e309",
    [],
    [None],
    ["x" * 10_000] * 20,
    list(range(5_000)),
    {},
    {"ids": "E06000001"},
    {"area": "E06000001", "method": "default"},
    {"family": "nope", "area": "E06000001", "method": "default", "period_type": "month"},
    {"metric_id": "x" * 100_000},
    deep(50),
    deep(900),
    [{"area_code": "E06000001"}] * 2_000,
)


def router_request(pathname: str, search: str) -> dict:
    return {
        "output": ROUTER_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def rendered_props(send: Callable[[dict], tuple[int, object]]) -> dict[str, dict]:
    """Props of every component with an id on every page: {id (JSON for dict ids): props};
    ``send`` posts one callback request and returns its status and JSON answer."""
    props: dict[str, dict] = {
        "_pages_location": {"pathname": "/dtoc", "search": "?period=month"},
        "nav-location": {"pathname": "/dtoc", "search": ""},
    }
    for pathname, search in PAGES:
        status, answer = send(router_request(pathname, search))
        if status == 200:
            _collect(answer, props)
    return props


def _collect(node: object, props: dict[str, dict]) -> None:
    if isinstance(node, dict):
        if "props" in node and isinstance(node["props"], dict):
            component_id = node["props"].get("id")
            if component_id is not None:
                key = component_id if isinstance(component_id, str) else _id_key(component_id)
                props.setdefault(key, node["props"])
        for value in node.values():
            _collect(value, props)
    elif isinstance(node, list):
        for value in node:
            _collect(value, props)


def _id_key(component_id: dict) -> str:
    return json.dumps(component_id, sort_keys=True)


def _concrete(component_id: str, props: dict[str, dict]) -> str | dict:
    """A pattern id as a page renders it: the first rendered id it matches."""
    if not component_id.startswith("{"):
        return component_id
    pattern = json.loads(component_id)
    fixed = {key: value for key, value in pattern.items() if not isinstance(value, list)}
    for key in props:
        if key.startswith("{"):
            rendered = json.loads(key)
            if set(rendered) == set(pattern) and fixed.items() <= rendered.items():
                return rendered
    return {key: ("trend" if isinstance(value, list) else value) for key, value in pattern.items()}


def _prop_id(component_id: str | dict) -> str:
    """An id as Dash writes it in changedPropIds (dict ids: compact JSON, sorted keys)."""
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


@dataclass
class Forgery:
    family: str  # what was forged, for counts per kind
    body: object
    raw: bytes | None = None  # sent as is instead of ``body`` when set


def server_callbacks(dependencies: list[dict]) -> dict[str, dict]:
    """The server-side callbacks of ``/_dash-dependencies`` (what the browser is told), by
    output, each with its declared ``outputs`` as (id, property) pairs."""
    callbacks = {}
    for spec in dependencies:
        if spec.get("clientside_function") is not None:
            continue
        callbacks[spec["output"]] = {**spec, "outputs": declared_outputs(spec["output"])}
    return callbacks


def declared_outputs(output: str) -> list[tuple[str, str]] | tuple[str, str]:
    """``"..a.x...b.y.."`` -> [("a", "x"), ("b", "y")]; ``"a.x"`` -> ("a", "x")."""
    many = output.startswith("..")
    parts = output.strip(".").split("...") if many else [output]
    pairs = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        pairs.append((component, prop))  # ``href@<hash>`` as the browser sends it
    return pairs if many else pairs[0]


def plausible_request(output: str, spec: dict, props: dict[str, dict]) -> dict:
    """The request a browser would send for this callback, from the rendered props."""

    def item(declared: dict) -> dict:
        component_id = declared["id"]
        if component_id.startswith("{"):
            concrete = _concrete(component_id, props)
            return {"id": concrete, "property": declared["property"], "value": 1}
        value = props.get(component_id, {}).get(declared["property"])
        if component_id in EXPENSIVE_BUTTONS:
            value = None  # a click would render a whole PDF report (tens of seconds)
        return {"id": component_id, "property": declared["property"], "value": value}

    inputs = [item(declared) for declared in spec["inputs"]]
    declared = spec["outputs"]
    outputs = [
        {"id": _concrete(component, props), "property": prop}
        for component, prop in (declared if isinstance(declared, list) else [declared])
    ]
    return {
        "output": output,
        "outputs": outputs if isinstance(declared, list) else outputs[0],
        "inputs": inputs,
        "changedPropIds": [f"{_prop_id(inputs[0]['id'])}.{inputs[0]['property']}"],
        "state": [item(declared) for declared in spec["state"]],
    }


def forgeries(
    callbacks: dict[str, dict], props: dict[str, dict], count: int, seed: int
) -> Iterator:
    """``count`` forged requests, cycling through the declared server callbacks."""
    rng = random.Random(seed)
    callbacks = sorted(callbacks.items())
    for index in range(count):
        output, spec = callbacks[index % len(callbacks)]
        request = plausible_request(output, spec, props)
        yield _mutate(request, rng)


def _mutate(request: dict, rng: random.Random) -> Forgery:
    kind = rng.choice(("value", "value", "value", "store_field", "structure", "body"))
    if kind in ("value", "store_field"):
        section = rng.choice([s for s in ("inputs", "state") if request[s]] or ["inputs"])
        item = rng.choice(request[section])
        if kind == "store_field" and isinstance(item.get("value"), dict) and item["value"]:
            field = rng.choice(sorted(item["value"]))
            item["value"] = {**item["value"], field: rng.choice(HOSTILE_VALUES)}
        else:
            item["value"] = rng.choice(HOSTILE_VALUES)
        return Forgery(f"forged {section} value", request)
    if kind == "structure":
        change = rng.randrange(7)
        if change == 0:
            request["output"] = rng.choice(("nope.children", "", "x" * 5000, 3))
        elif change == 1:
            request["inputs"] = request["inputs"][1:] + request["inputs"]
        elif change == 2:
            request["inputs"] = {"id": "x"}
        elif change == 3:
            request["inputs"][0]["property"] = rng.choice(("children", "value", "__class__"))
        elif change == 4:
            request["inputs"][0]["id"] = rng.choice(("nope", {"type": "x"}, ["a"], None))
        elif change == 5:
            request["changedPropIds"] = rng.choice((None, "x", [1, 2], ["x" * 5000]))
        else:
            request.pop(rng.choice(("inputs", "state", "output", "outputs")), None)
        return Forgery("forged structure", request)
    raw = rng.choice(
        (
            b"",
            b"null",
            b"[]",
            b'"text"',
            b"{",
            b"[" * 100_000 + b"]" * 100_000,
            b'{"output": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
            json.dumps(request).encode()[:-3],
            b"\xff\xfe\x00garbage",
        )
    )
    return Forgery("broken body", request, raw=raw)
