"""A published fixture dataset for view and page-layout tests (built once per session)."""

from __future__ import annotations

import pytest

from dashboard import context
from queries.store import DataStore
from tests.fixtures import publish_fixture
from tests.queries.test_family import publish_family_fixture


@pytest.fixture(scope="session")
def published_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("published")
    publish_fixture(directory)
    return directory


@pytest.fixture()
def store(published_dir):
    """The dashboard's store pointed at the fixture, as create_app would do."""
    store = DataStore(published_dir)
    context.set_store(store)
    return store


@pytest.fixture(scope="session")
def app(published_dir):
    """The real Dash app (pages registered) over the fixture, for calling page layouts."""
    from app import create_app

    return create_app(published_dir)


@pytest.fixture(scope="session")
def family_dir(tmp_path_factory):
    """The fixture plus breakdown rows for every kind of family chart, published once."""
    directory = tmp_path_factory.mktemp("family-pages")
    publish_family_fixture(directory)
    return directory


@pytest.fixture()
def family_store(app, family_dir):
    """The dashboard's store pointed at the family fixture."""
    store = DataStore(family_dir)
    context.set_store(store)
    return store
