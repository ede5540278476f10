"""Forged callback requests to the real server answer 4xx, never 5xx, and small.

Regression for issue 15 items 1 and 2: on the old code ~30% of forged requests answered 500
(StopIteration, float(), _iso, date(year), Dash on broken structure, RecursionError on deep
JSON), a 1 MB notices input came back as 80 MB and a 100 KB metric id went through difflib's
close-match search for seconds.
"""

from __future__ import annotations

import collections
import json
import logging

import pytest

from queries.catalogue import Catalogue
from tests.hostile import forge, probe_http
from tests.hostile.conftest import FUZZ_SCALE

FORGERIES = 300 * FUZZ_SCALE
MAX_ANSWER_BYTES = 2_000_000  # the largest page answer of the fixture is ~100 KB


def send(server_url: str, body: object, raw: bytes | None = None) -> probe_http.Answer:
    return probe_http.post_json(server_url, forge.CALLBACK, body, raw=raw)


@pytest.fixture(scope="module")
def callbacks(server_url) -> dict[str, dict]:
    dependencies = probe_http.request(server_url, "GET", "/_dash-dependencies").json()
    return forge.server_callbacks(dependencies)


@pytest.fixture(scope="module")
def props(server_url) -> dict[str, dict]:
    def post(body: dict) -> tuple[int, object]:
        answer = send(server_url, body)
        return answer.status, answer.json() if answer.status == 200 else None

    return forge.rendered_props(post)


def request_for(callbacks, props, match) -> dict:
    output, spec = next((o, s) for o, s in callbacks.items() if match(o, s))
    return forge.plausible_request(output, spec, props)


def test_every_server_callback_accepts_the_request_a_browser_sends(server_url, callbacks, props):
    # Given the request each callback gets from a rendered page, the guard lets it through
    assert forge.ROUTER_OUTPUT in callbacks and len(callbacks) >= 15
    for output, spec in callbacks.items():
        answer = send(server_url, forge.plausible_request(output, spec, props))
        assert answer.status in (200, 204), (output, answer.body[:300])


def test_forged_callbacks_answer_4xx_never_5xx(server_url, callbacks, props):
    tried: collections.Counter = collections.Counter()
    handled: collections.Counter = collections.Counter()
    statuses: collections.Counter = collections.Counter()
    failures = []
    for forgery in forge.forgeries(callbacks, props, FORGERIES, seed=15):
        answer = send(server_url, forgery.body, raw=forgery.raw)
        tried[forgery.family] += 1
        statuses[answer.status] += 1
        if answer.status < 500 and len(answer.body) < MAX_ANSWER_BYTES:
            handled[forgery.family] += 1
        else:
            failures.append((answer.status, json.dumps(forgery.body)[:300]))
    print({family: f"{handled[family]}/{count} handled" for family, count in sorted(tried.items())})
    print("forged callbacks by status:", dict(sorted(statuses.items())))
    assert not failures, failures[:5]
    assert sum(tried.values()) == FORGERIES


def test_a_megabyte_of_notices_is_not_echoed_back(server_url, callbacks, props):
    request = request_for(callbacks, props, lambda output, _: output == "url-notice.children")
    request["inputs"][0]["value"] = "n" * 900_000  # each character became a notice
    answer = send(server_url, request)
    assert answer.status == 400 and len(answer.body) < 500
    request["inputs"][0]["value"] = ["notice"] * 10_000
    answer = send(server_url, request)
    assert answer.status == 400 and len(answer.body) < 500


def test_json_nested_deeper_than_the_parser_goes_is_a_400(server_url):
    answer = send(server_url, None, raw=b"[" * 100_000 + b"]" * 100_000)
    assert answer.status == 400


def test_an_unknown_metric_id_of_the_right_shape_is_refused(server_url, callbacks, props):
    request = request_for(
        callbacks, props, lambda _, spec: spec["inputs"][0]["id"] == "explorer-metric"
    )
    request["inputs"][0]["value"] = "no_such_metric"
    assert send(server_url, request).status == 400


@pytest.mark.parametrize(
    "field, value",
    [("family", "nope"), ("period_from", "not a date"), ("period_from", 17), ("at", "0001-01")],
)
def test_a_forged_family_state_is_not_a_500(server_url, callbacks, props, field, value):
    request = request_for(callbacks, props, lambda output, _: "family-download" in output)
    request["state"][0]["value"] = {**request["state"][0]["value"], field: value}
    assert send(server_url, request).status < 500


@pytest.mark.parametrize("year", ["1e309", "nan", "-5", "999999", "abc", None])
def test_a_forged_selection_state_is_not_a_500(server_url, callbacks, props, year):
    request = request_for(
        callbacks, props, lambda output, _: output == "select-table-download.data"
    )
    request["inputs"][0]["value"] = 1
    state = request["state"][1]["value"]
    request["state"][1]["value"] = {**state, "year": year, "weights": [["ea65_rate", "x"]]}
    answer = send(server_url, request)
    assert 400 <= answer.status < 500


def test_a_huge_metric_id_is_refused_before_any_close_match_search(hostile_app, monkeypatch):
    def no_search(*_args, **_kwargs):
        raise AssertionError("difflib search ran on a forged metric id")

    monkeypatch.setattr(Catalogue, "suggest", no_search)
    client = hostile_app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    callbacks = forge.server_callbacks(dependencies)
    request = request_for(
        callbacks, {}, lambda _, spec: spec["inputs"][0]["id"] == "explorer-metric"
    )
    request["inputs"][0]["value"] = "dtoc_rate" * 11_000  # ~100 KB
    answer = client.post(forge.CALLBACK, json=request)
    assert answer.status_code == 400 and len(answer.get_data()) < 500


def test_a_rejection_is_logged_as_one_short_line_without_traceback(hostile_app, caplog):
    client = hostile_app.server.test_client()
    body = {"output": "nope" + "x" * 3000, "inputs": [], "state": []}
    with caplog.at_level(logging.WARNING, logger="lsr.rejected"):
        client.post(forge.CALLBACK, json=body)
        client.post(forge.CALLBACK, data=b"[" * 50_000, content_type="application/json")
    records = [r for r in caplog.records if r.name == "lsr.rejected"]
    assert len(records) == 2
    for record in records:
        message = record.getMessage()
        assert "\n" not in message and len(message) < 600 and record.exc_info is None
