import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts without the pages another one stored."""
    cache.clear()
    yield
    cache.clear()
