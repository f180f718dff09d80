import pytest

from tests.ops.sqlite_site import migrated_template


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One migrated SQLite file per test session (copied by each test that needs a real file database)."""
    return migrated_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture
def celery_not_eager():
    """The test settings run tasks eagerly; tests with a real worker send them to the broker instead."""
    from jiuzhu.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True
