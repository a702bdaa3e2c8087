"""The demo corpus as a search store (its articles, stories and stored vectors), built once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.demo.corpus import Corpus
from newsdesk.store import Store


@pytest.fixture(scope="session")
def search_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Corpus]]:
    from newsdesk.bench.search import demo_store

    store, corpus = demo_store(tmp_path_factory.mktemp("search"))
    yield store, corpus
    store.close()
