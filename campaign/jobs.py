"""Background jobs (PDFs, large imports): publish without hanging, sweep what a lost broker or worker left.

A job is a row with a status (queued → running → done/failed) and a Celery task that does the
work. Three things can go wrong between the two, and each is handled here:

- **The broker cannot be reached** when the job is sent: ``enqueue`` publishes after the commit
  with a short connect timeout and few retries (settings ``CELERY_BROKER_*``), and on failure
  calls the job's ``on_failure`` with "后台服务暂不可用，请稍后重试" instead of answering 500
  after twenty seconds. The row never stays queued with no message behind it.
- **A worker dies** mid-job (killed, out of memory, the machine restarted): the row says
  running forever. At start-up a worker re-queues the running jobs its previous life left
  (same node name), and every worker start and the beat sweeper (``sweep_stale_jobs``, every
  five minutes) re-queue any job queued or running for longer than its time limit. Tasks are
  idempotent, so a job that is in fact still queued somewhere runs twice, harmlessly.
- **The user waits**: ``running_since`` and ``is_overdue`` let a page say since when a job has
  been running and offer "可能已中断 — 重新生成" once it is past its limit.

Apps register a sweeper on their AppConfig: ``job_sweepers = ["app.module.function"]``, each a
function ``sweep(*, now, node=None) -> int`` (jobs re-queued) that calls ``stale_filter``.
"""

import datetime
import logging
import os
import threading

from django.apps import apps
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("campaign.jobs")

UNAVAILABLE = _("The background service is unavailable just now. Please try again later.")
# The node name of this Celery worker (set in the worker's main process before the pool starts,
# so its children inherit it); empty in web processes and when tasks run inline.
WORKER_ENV = "LIANCHUANG_WORKER_NODE"


# Without a broker (the quick start) tasks run inline. One started during a request is held until
# the response has been sent: Django's ``request_finished`` fires when the server closes the
# response, and the held tasks run then, in the same thread, after the page has its answer.
_state = threading.local()


def _in_request():
    return getattr(_state, "in_request", False)


def _request_started(**_kwargs):
    _state.in_request = True
    _state.held = []


def _request_finished(**_kwargs):
    held = getattr(_state, "held", [])
    _state.in_request = False
    _state.held = []
    for task, args in held:
        try:
            task.apply_async(args=args)
        except Exception:  # noqa: BLE001 - the response is gone; the task records its own failure
            log.exception("inline task %s%r failed after the response", task.name, tuple(args))


request_started.connect(_request_started, dispatch_uid="jobs-inline-request-started")
request_finished.connect(_request_finished, dispatch_uid="jobs-inline-request-finished")


def current_worker():
    return os.environ.get(WORKER_ENV, "")


def publish(task, *args):
    """Send ``task(*args)`` to the workers. False (logged) when the broker cannot be reached.

    Inline (no Redis configured) the task runs here and its errors propagate as before.
    """
    from campaign.celery import app

    if app.conf.task_always_eager:
        if _in_request():
            # Inline during a request: run once the response has been sent (see ``_hold``), so the
            # page answers at once with the same "queued" status a worker set-up shows.
            _state.held.append((task, args))
        else:
            task.apply_async(args=args)
        return True
    try:
        # ignore_result: nobody here waits for the result (the row says how the job went), and a
        # result subscription would make the web process reconnect to Redis twenty times, 1 s apart.
        task.apply_async(
            args=args,
            ignore_result=True,
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except Exception:  # noqa: BLE001 - whatever the broker or result store raised, nothing was sent
        log.exception("could not send %s%r: the broker is unreachable", task.name, args)
        return False
    return True


def enqueue(task, *args, on_failure):
    """Publish ``task(*args)`` once the current transaction commits; ``on_failure(message)`` if it cannot.

    ``on_failure`` marks the job failed with the translated message; it runs outside any
    transaction (after the commit), so a conditional update is enough.
    """

    def send():
        if not publish(task, *args):
            on_failure(str(UNAVAILABLE))

    transaction.on_commit(send)


def limit_of(seconds):
    """A job's time limit as a timedelta, with a minute's grace for the worker to notice and record."""
    return datetime.timedelta(seconds=seconds + 60)


def stale_filter(*, now, limit, node=None, fallback):
    """(queued, running) conditions: waiting or working for longer than ``limit``; running on ``node``.

    ``node`` is a worker that has just started: whatever its previous life was running is
    orphaned. ``fallback`` names a timestamp for rows made before ``queued_at`` existed.
    """
    cutoff = now - limit
    queued = Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True, **{f"{fallback}__lt": cutoff})
    # A job in a working status that no worker has started yet is still waiting in the queue.
    running = Q(started_at__lt=cutoff) | (Q(started_at__isnull=True) & queued)
    if node:
        running |= Q(started_by=node)
    return queued, running


def sweepers():
    for config in apps.get_app_configs():
        for path in getattr(config, "job_sweepers", ()):
            yield import_string(path)


def sweep_stale_jobs(*, now=None, node=None):
    """Re-queue every job left behind (see the module docstring); returns how many were re-queued."""
    now = now or timezone.now()
    total = 0
    for sweep in sweepers():
        count = sweep(now=now, node=node)
        if count:
            log.warning("re-queued %s stale job(s) with %s", count, sweep.__module__)
        total += count
    return total


def is_overdue(since, limit_seconds, now=None):
    """True when a job running (or queued) since ``since`` is past its time limit: probably interrupted."""
    if since is None:
        return False
    return (now or timezone.now()) - since > limit_of(limit_seconds)


def connect_worker_signals():
    """Remember this worker's node name, and sweep when it is ready (see the module docstring)."""
    from celery.signals import celeryd_init, worker_ready

    @celeryd_init.connect(weak=False)
    def _remember_node(sender=None, **kwargs):
        if sender:
            os.environ[WORKER_ENV] = str(sender)

    @worker_ready.connect(weak=False)
    def _sweep_at_start_up(sender=None, **kwargs):
        node = getattr(sender, "hostname", None) or current_worker() or None
        from django.db import connections

        try:
            count = sweep_stale_jobs(node=node)
        except Exception:  # noqa: BLE001 - a database hiccup must not stop the worker; beat sweeps later
            log.exception("the start-up sweep of stale jobs failed")
            return
        finally:
            # This is the pool's parent process: pool processes forked later must not share its socket.
            connections.close_all()
        log.info("start-up sweep on %s: %s job(s) re-queued", node, count)
