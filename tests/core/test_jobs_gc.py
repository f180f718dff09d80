"""core.jobs.young_collections_only: no full collection during a big job, young cycles still collected, the
collector's thresholds restored afterwards (also when the job fails)."""
import gc
import weakref

import pytest

from core import jobs


class _Node:
    pass


def test_young_cycles_are_collected_and_no_full_collection_runs():
    before = gc.get_threshold()
    with jobs.young_collections_only():
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] >= 10**9
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle, as a ValidationError makes with itself
        probe = weakref.ref(a)
        del a, b
        gc.collect(1)  # what the automatic young collections do
        assert probe() is None
    assert gc.get_threshold() == before


def test_thresholds_are_restored_when_the_job_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), jobs.young_collections_only():
        raise RuntimeError("job failed")
    assert gc.get_threshold() == before
