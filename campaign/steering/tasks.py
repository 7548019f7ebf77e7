"""Celery tasks for steering: thin wrappers around services, safe to run twice."""

from celery import shared_task

from campaign.steering import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def remind_supervision_notices():
    """Weekly: remind recipients of open notices due within a week or overdue (once per notice per week)."""
    return services.notices_send_reminders()
