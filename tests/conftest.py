import pytest
from django.core.cache import cache

from core import keys, params


@pytest.fixture(autouse=True)
def _fresh_cache_and_keys():
    cache.clear()
    params._local.clear()
    keys.reset_keyring()
    yield
    keys.reset_keyring()


@pytest.fixture
def users(db):
    """The demo users (password jiuzhu-demo-2026), keyed by username."""
    import io

    from accounts import demo
    from accounts.models import User

    demo.seed(io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}
