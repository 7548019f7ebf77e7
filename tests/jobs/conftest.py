import os
from urllib.parse import urlparse

import pytest

from campaign.celery import app as celery_app
from tests.jobs.proxy import Forwarder


def _reset_pools():
    # Connections and producers are pooled per broker URL (kombu keeps them in a registry shared by
    # the process): let the app look its pools up again after the URL changed. Closing them would
    # leave closed pools in that registry for the next test on the same URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: the broker outage tests need Redis")
    return url


@pytest.fixture
def broker(redis_url):
    """The real Redis behind a forwarder the test can close: ``broker.down()``, ``broker.up()``.

    Tasks are sent (not run inline) to a queue of the test's own, deleted afterwards.
    """
    target = urlparse(redis_url)
    forwarder = Forwarder(target.hostname or "127.0.0.1", target.port or 6379).start()
    database = (target.path or "/0").lstrip("/") or "0"
    queue = f"test-jobs-{os.getpid()}-{id(forwarder)}"
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue", "result_backend")
    }
    celery_app.conf.update(
        broker_url=f"{forwarder.url_base}/{database}",
        result_backend=f"{forwarder.url_base}/{database}",
        task_always_eager=False,
        task_default_queue=queue,
    )
    _reset_pools()

    class Broker:
        url = f"{forwarder.url_base}/{database}"
        name = queue

        @staticmethod
        def down():
            forwarder.stop()

        @staticmethod
        def up():
            forwarder.start()

        @staticmethod
        def waiting():
            """How many messages wait in the test's queue (read from Redis directly)."""
            import redis

            return redis.Redis.from_url(redis_url).llen(queue)

    try:
        yield Broker
    finally:
        forwarder.stop()
        celery_app.conf.update(saved)
        _reset_pools()
        import redis

        redis.Redis.from_url(redis_url).delete(queue)
