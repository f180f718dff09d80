"""Django's Redis cache with one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache operation, and redis-py
fills a table of ~170 response callbacks in each constructor: about 0.2 ms of CPU per get on this
machine, paid several times per page view (session, grants). The client objects are thread-safe and
share the pool, so one per pool is enough. Measured in bench/README.md.
"""
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
