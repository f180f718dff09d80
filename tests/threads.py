"""Run a function in parallel threads on PostgreSQL, as concurrent requests would: each thread its own database
connection, all released at once by a barrier."""
import threading

from django.core.exceptions import ValidationError


def parallel(n: int, fn, expected=(ValidationError,)) -> list:
    """fn(0) … fn(n - 1) at the same moment; returns their results in order, an `expected` exception as the result.
    Any other exception fails the calling test (a 500, a deadlock)."""
    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def worker(i):
        from django.db import connection

        try:
            barrier.wait()
            results[i] = fn(i)
        except expected as exc:
            results[i] = exc
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results
