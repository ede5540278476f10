"""check_request against a declared callback: what the browser sends passes, the rest is named."""

import pytest
from dash import MATCH, Output

from dashboard.serving.callback_guard import BadCallback, check_request

PATTERN_BUTTON = '{"chart":["MATCH"],"type":"explorer-csv-button"}'
CALLBACKS = {
    "explorer-download.data": {
        "callback": object(),
        "output": Output("explorer-download", "data"),
        "inputs": [{"id": "explorer-download-button", "property": "n_clicks"}],
        "state": [{"id": "explorer-state", "property": "data"}],
    },
    '{"chart":["MATCH"],"type":"explorer-csv"}.data': {
        "callback": object(),
        "output": Output({"type": "explorer-csv", "chart": MATCH}, "data"),
        "inputs": [
            {"id": '{"chart":["MATCH"],"type":"explorer-csv-button"}', "property": "n_clicks"}
        ],
        "state": [],
    },
    "profile-print.title": {"output": Output("profile-print", "title"), "inputs": [], "state": []},
}
KNOWN = {"area": lambda: {"E06000001"}, "method": lambda: ["default"], "metric": lambda: {"m1"}}


def download(clicks=1, state=None, **changes) -> dict:
    request = {
        "output": "explorer-download.data",
        "outputs": {"id": "explorer-download", "property": "data"},
        "inputs": [{"id": "explorer-download-button", "property": "n_clicks", "value": clicks}],
        "changedPropIds": ["explorer-download-button.n_clicks"],
        "state": [
            {
                "id": "explorer-state",
                "property": "data",
                "value": state or {"metric_id": "m1", "area": "E06000001", "method": "default"},
            }
        ],
    }
    return {**request, **changes}


def test_the_request_a_browser_sends_passes():
    check_request(download(), CALLBACKS, KNOWN)


@pytest.mark.parametrize(
    "request_, reason",
    [
        ([], "not a JSON object"),
        (download(output="nope.children"), "no such server callback"),
        (download(output="profile-print.title"), "no such server callback"),  # clientside
        (download(outputs={"id": "explorer-download", "property": "href"}), "declared output"),
        (download(clicks="1"), "click count"),
        (download(state={"metric_id": "m2"}), "unknown metric"),
        (download(state={"area": "E09999999"}), "unknown area"),
        (download(state={"area": {"deep": ["x"]}}), "small flat store"),
        (download(inputs=[]), "expected 1 items"),
        (download(changedPropIds="x"), "changedPropIds"),
    ],
)
def test_a_forgery_is_refused_with_its_reason(request_, reason):
    with pytest.raises(BadCallback, match=reason):
        check_request(request_, CALLBACKS, KNOWN)


def test_pattern_ids_must_keep_their_fixed_parts():
    request = {
        "output": '{"chart":["MATCH"],"type":"explorer-csv"}.data',
        "outputs": {"id": {"type": "explorer-csv", "chart": "spc"}, "property": "data"},
        "inputs": [{"id": {"type": "explorer-csv-button", "chart": "spc"}, "property": "n_clicks"}],
        "state": [],
    }
    check_request(request, CALLBACKS, KNOWN)
    request["inputs"][0]["id"] = {"type": "other-button", "chart": "spc"}
    with pytest.raises(BadCallback, match="pattern id"):
        check_request(request, CALLBACKS, KNOWN)
