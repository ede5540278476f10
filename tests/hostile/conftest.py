"""The real app over the fixture data, and how many probes to send (``make fuzz``: more)."""

from __future__ import annotations

import os

import pytest

from tests.fixtures import publish_fixture

FUZZ_SCALE = int(os.environ.get("LSR_FUZZ_SCALE", "1"))  # make fuzz sets a larger scale


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    from app import create_app

    data_dir = tmp_path_factory.mktemp("hostile")
    publish_fixture(data_dir)
    return create_app(data_dir)


@pytest.fixture(scope="module")
def client(hostile_app):
    return hostile_app.server.test_client()
