"""Queue a PDF so that the page never waits for it, with a worker or without one.

With Redis a worker takes the task. Without it (the quick start) Celery runs tasks inline, which
would make the request that asked for a PDF wait for WeasyPrint. Here an inline task started during
a request is held until the response has been sent (Django's ``request_finished`` fires when the
server closes the response), so the page answers at once and shows the same "queued" status a
worker set-up shows; the next poll of the status sees running, then done or failed.
Outside a request (commands, the scheduler, tests calling services) it runs at once.
"""

import logging
import threading

from django.core.signals import request_finished, request_started
from django.db import transaction

log = logging.getLogger(__name__)
_state = threading.local()


def _in_request():
    return getattr(_state, "in_request", False)


def _started(**_kwargs):
    _state.in_request = True
    _state.held = []


def _finished(**_kwargs):
    held = getattr(_state, "held", [])
    _state.in_request = False
    _state.held = []
    for task, args in held:
        try:
            task.apply(args=args, throw=False)
        except Exception:  # noqa: BLE001 - the response is gone; the task records its own failure
            log.exception("inline task %s%r failed after the response", task.name, tuple(args))


request_started.connect(_started, dispatch_uid="reports-queue-started")
request_finished.connect(_finished, dispatch_uid="reports-queue-finished")


def submit(task, *args):
    """Send ``task(*args)`` once the current transaction commits (see the module docstring)."""

    def send():
        if task.app.conf.task_always_eager and _in_request():
            _state.held.append((task, args))
        else:
            task.delay(*args)

    transaction.on_commit(send)
