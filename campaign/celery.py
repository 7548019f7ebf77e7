"""The Celery application. Workers: `celery -A campaign worker`; beat: `celery -A campaign beat`.

Tasks in this project are thin: they load rows by id and call a service. They
inherit from ``ReliableTask``, which retries with exponential backoff on errors
that are worth retrying (a dropped database or broker connection) and on
nothing else: a bug must fail once, visibly, not spin.
"""

import os

from celery import Celery, Task
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")


def transient_errors():
    """Exceptions that mean "try again later", not "this task is wrong"."""
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError

    errors = [OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError]
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis comes with celery[redis]
        pass
    return tuple(errors)


class ReliableTask(Task):
    """Base class of every task: late acknowledgement, retries with backoff on transient errors."""

    abstract = True
    # Acknowledge only once the task has finished, and give the message back
    # when the worker dies in the middle: the task then runs again elsewhere,
    # so every task must be idempotent.
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = transient_errors()
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5


app = Celery("campaign", task_cls=ReliableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_job_signals():
    from campaign.jobs import connect_worker_signals

    connect_worker_signals()


_connect_job_signals()


@worker_init.connect
def _check_fonts_before_work(**_kwargs):
    """A worker without the CJK fonts would print empty boxes: refuse to start instead."""
    from campaign.reports.fonts import missing_fonts

    missing = missing_fonts()
    if missing:
        raise RuntimeError(
            "No installed face for the font stacks: " + "; ".join(missing) + " (see README, Fonts)"
        )
