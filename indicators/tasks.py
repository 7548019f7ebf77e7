"""Background work of the indicators. Thin: call a service; idempotent (see each service)."""

from celery import shared_task


@shared_task
def remind_townships():
    """Weekly: remind each township whose villages' sheets are not all confirmed (once per week)."""
    from indicators.services import remind_townships as run

    return run()


@shared_task
def freeze_past_years():
    """Daily: freeze the registry figures of last year's sheets as they stood on 31 December."""
    from indicators.services import freeze_past_years as run

    return run()
