"""Refuse malformed callback requests with 400 before Dash or any page code sees them.

Every callback request names the callback (``output``) and sends its declared inputs and
states. The guard checks the body against what the app declared: a known server-side
callback, the same inputs and states in the same order, each value of the type, length and
shape its property allows (``callback_rules``), and known values where an id says what it
holds (areas, methods, metrics). A page's own code then only ever sees requests a browser
could have sent. Whatever still fails in page code with a bad-input error is answered 400 as
well; every refusal is logged as one truncated line.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Mapping

import dash
import flask
from werkzeug.exceptions import HTTPException

from dashboard import reference
from dashboard.serving import callback_rules
from queries.catalogue import load_catalogue
from queries.store import DataNotPublishedError

CALLBACK_PATH = "/_dash-update-component"
MAX_INPUTS = 64
LOG_CHARS = 200
# errors of page code on values it cannot use: the request's fault, not the server's
BAD_INPUT_ERRORS = (
    ValueError,
    TypeError,
    LookupError,
    StopIteration,
    AttributeError,
    RecursionError,
    dash.exceptions.DashException,  # Dash refusing a request's structure
)
log = logging.getLogger("lsr.rejected")


class BadCallback(ValueError):
    """A callback request the app never asks for; the message says why, briefly."""


Allowed = Callable[[], object]  # the known values (a container) for one kind of id


def check_request(
    payload: object, callbacks: Mapping[str, dict], allowed: Mapping[str, Allowed] | None = None
) -> None:
    """Raise BadCallback unless ``payload`` is a request the declared callbacks accept."""
    allowed = allowed or {}
    if not isinstance(payload, dict):
        raise BadCallback("the body is not a JSON object")
    output = payload.get("output")
    if not isinstance(output, str) or len(output) > 4096:
        raise BadCallback("no callback output named")
    declared = callbacks.get(output)
    if declared is None or declared.get("callback") is None:
        raise BadCallback("no such server callback")
    _check_outputs(payload.get("outputs"), declared["output"])
    for section in ("inputs", "state"):
        _check_items(payload.get(section), declared.get(section) or [], section, allowed)
    changed = payload.get("changedPropIds", [])
    if not isinstance(changed, list) or len(changed) > MAX_INPUTS:
        raise BadCallback("changedPropIds is not a short list")
    if not all(isinstance(item, str) and len(item) <= 1024 for item in changed):
        raise BadCallback("changedPropIds holds something other than ids")


def _check_outputs(sent: object, declared: object) -> None:
    """The outputs Dash will fill, as declared: one object, or a list for several outputs."""
    many = isinstance(declared, list | tuple)
    expected = list(declared) if many else [declared]
    items = sent if many else [sent]
    if not isinstance(items, list) or len(items) != len(expected):
        raise BadCallback("outputs: not the declared outputs")
    for position, (item, spec) in enumerate(zip(items, expected, strict=True)):
        where = f"outputs[{position}]"
        sent_property = item.get("property") if isinstance(item, dict) else None
        # outputs allowing duplicates are sent as ``property@<hash>``
        if not isinstance(sent_property, str) or (
            sent_property.split("@")[0] != spec.component_property
        ):
            raise BadCallback(f"{where}: not the declared output")
        _check_id(item.get("id"), spec.component_id_str(), where)


def _check_items(items: object, declared: list, section: str, allowed: Mapping) -> None:
    if items is None and not declared:
        return
    if not isinstance(items, list) or len(items) != len(declared):
        raise BadCallback(f"{section}: expected {len(declared)} items")
    for position, (item, spec) in enumerate(zip(items, declared, strict=True)):
        where = f"{section}[{position}]"
        if not isinstance(item, dict):
            raise BadCallback(f"{where}: not an object")
        if item.get("property") != spec["property"]:
            raise BadCallback(f"{where}: not the declared property")
        component = _check_id(item.get("id"), spec["id"], where)
        rule = callback_rules.rule_for(component, spec["property"])
        if rule is None:
            raise BadCallback(f"{where}: property {spec['property']} is not accepted")
        problem = rule(item.get("value"))
        if problem:
            raise BadCallback(f"{where} ({spec['property']}): {problem}")
        _check_allowed(component, spec["property"], item.get("value"), allowed, where)


def _check_id(sent: object, declared: str, where: str) -> object:
    """The sent id when it is the declared one (pattern ids: same keys, fixed parts equal)."""
    if not declared.startswith("{"):
        if sent != declared:
            raise BadCallback(f"{where}: not the declared id")
        return sent
    pattern = json.loads(declared)
    if callback_rules.component_id(sent) or set(sent) != set(pattern):
        raise BadCallback(f"{where}: not the declared pattern id")
    for key, fixed in pattern.items():
        if not isinstance(fixed, list) and sent[key] != fixed:
            raise BadCallback(f"{where}: not the declared pattern id")
    return sent["type"] if "type" in sent else None


def _check_allowed(
    component: object, prop: str, value: object, allowed: Mapping[str, Allowed], where: str
) -> None:
    """Ids named ``…-area``, ``…-method`` or ``…-metric`` hold a known area, method or metric;
    stores holding a state name them in keys of the same names."""
    if not isinstance(component, str) or value is None:
        return
    if prop == "value":
        kind = component.rsplit("-", 1)[-1]
        if _unknown(allowed.get(kind), value):
            raise BadCallback(f"{where}: unknown {kind}")
    elif prop == "data" and isinstance(value, dict):
        for key, kind in (("area", "area"), ("method", "method"), ("metric_id", "metric")):
            if key in value and value[key] is not None and _unknown(allowed.get(kind), value[key]):
                raise BadCallback(f"{where}: unknown {kind}")


def _unknown(known: Allowed | None, value: object) -> bool:
    values = known() if known is not None else None
    if values is None:
        return False
    if isinstance(value, list):
        return not all(isinstance(v, str) and v in values for v in value)
    return not isinstance(value, str) or value not in values


def reject(message: str, status: int = 400, where: str = "") -> flask.Response:
    """A short plain answer, and one truncated log line naming the request and callback (and
    for errors in page code, where it gave up: for the log only, never the client)."""
    request = flask.request
    short = message[:LOG_CHARS].replace("\n", " ")
    log.warning(
        "rejected %s %s %s %s: %s%s",
        status,
        request.method,
        request.path[:LOG_CHARS],
        _callback_named()[:80],
        short,
        f" (at {where})" if where else "",
    )
    response = flask.Response(f"Bad request: {short}\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def _callback_named() -> str:
    """The output the request names, if its body was read as a JSON object."""
    try:
        payload = flask.request.get_json(silent=True, cache=True)
    except RecursionError:
        return "-"
    output = payload.get("output") if isinstance(payload, dict) else None
    return output if isinstance(output, str) else "-"


def install(server: flask.Flask, app: dash.Dash, allowed: Mapping[str, Allowed]) -> None:
    """Check every callback request first (register before the answer cache reads the body)."""

    @server.before_request
    def guard_callback() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        try:
            payload = request.get_json(silent=True, cache=True)
        except RecursionError:
            return reject("the body is nested too deeply")
        if payload is None:
            return reject("the body is not JSON")
        try:
            check_request(payload, app.callback_map, allowed)
        except BadCallback as error:
            return reject(str(error))
        return None

    @server.errorhandler(Exception)
    def bad_input(error: Exception) -> flask.Response | tuple:
        """Page code failing on a value it cannot use answers 400, logged in one line."""
        if isinstance(error, HTTPException):
            return error
        request = flask.request
        if request.path.endswith(CALLBACK_PATH) and isinstance(error, BAD_INPUT_ERRORS):
            return reject(f"{type(error).__name__}: {error}", where=_where(error))
        log.error(
            "failed %s %s: %s: %s",
            request.method,
            request.path[:LOG_CHARS],
            type(error).__name__,
            str(error)[:LOG_CHARS],
            exc_info=error,
        )
        return flask.Response("Internal error\n", status=500, mimetype="text/plain")


def _where(error: BaseException) -> str:
    """File and line where page code gave up, so a log line still points at the code."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"


def known_values() -> dict[str, Allowed]:
    """Areas, comparator methods and metrics of the published data (None before a publish:
    then every page says so and there is nothing to check against)."""

    def unless_unpublished(values: Callable[[], object]) -> Allowed:
        def known() -> object:
            try:
                return values()
            except DataNotPublishedError:
                return None

        return known

    return {
        "area": unless_unpublished(lambda: reference.choices().areas),
        "method": unless_unpublished(lambda: reference.choices().methods),
        "metric": lambda: load_catalogue().metrics,
    }
