import pytest

from app import create_app
from tests.fixtures import publish_fixture

TOKEN = "operator-token"
AUTHORIZED = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("ops")
    publish_fixture(data_dir)
    server = create_app(data_dir).server
    server.config["LSR_METRICS_TOKEN"] = TOKEN
    return server.test_client()


class TestOperations:
    def test_metrics_reports_version_cache_and_query_times(self, client):
        client.get("/healthz")
        payload = client.get("/metrics", headers=AUTHORIZED).get_json()
        assert payload["data_version"]
        assert set(payload["cache"]) == {"hits", "misses", "hit_ratio", "entries"}

    def test_healthz_answers_ok_with_data(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200 and response.get_json()["status"] == "ok"

    def test_responses_are_compressed_when_asked(self, client):
        response = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("Content-Encoding") == "gzip"

    def test_static_assets_are_cacheable(self, client):
        response = client.get("/assets/00-bootstrap.min.css")
        assert response.status_code == 200
        assert "max-age=86400" in response.headers.get("Cache-Control", "")


def test_healthz_without_data_is_503(tmp_path):
    client = create_app(tmp_path).server.test_client()
    assert client.get("/healthz").status_code == 503


def test_every_response_names_the_data_version_it_was_built_from(tmp_path):
    version = publish_fixture(tmp_path)
    client = create_app(tmp_path).server.test_client()
    assert client.get("/healthz").headers["X-Data-Version"] == version


def test_the_probe_callback_runs_the_dispatch_and_does_nothing(tmp_path):
    from dashboard.serving.operations import probe_request

    version = publish_fixture(tmp_path)
    client = create_app(tmp_path).server.test_client()
    answer = client.post("/_dash-update-component", json=probe_request())
    assert answer.status_code == 200
    assert answer.get_json() == {"multi": True, "response": {}}  # nothing to update
    assert answer.headers["X-Data-Version"] == version


def test_the_page_shell_loads_no_babel_polyfill_but_every_other_bundle(client):
    html = client.get("/").get_data(as_text=True)
    assert "deps/polyfill@" not in html
    for bundle in ("deps/react@", "deps/react-dom@", "dash_renderer", "dash_core_components"):
        assert bundle in html


def test_the_grid_bundle_is_served_only_to_the_page_with_the_grid(client):
    grid_bundle = "/_dash-component-suites/dash_ag_grid/"
    assert grid_bundle in client.get("/").get_data(as_text=True)
    for path in ("/hospital", "/area/E06000006", "/methods"):
        shell = client.get(path).get_data(as_text=True)
        assert grid_bundle not in shell
        assert 'id="lsr-page-bundles"' in shell and "page-bundles.js" in shell
