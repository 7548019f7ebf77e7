"""Background work of the appraisal: the daily expiry of titles and the reminders before it."""

import logging

from celery import shared_task

from appraisal.services import title_expire, title_send_reminders

logger = logging.getLogger(__name__)


@shared_task(
    name="appraisal.tasks.expire_titles",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
)
def expire_titles(today=None):
    """Expire titles past their end date and send the 90/30-day reminders; safe to run any number of times."""
    import datetime

    day = datetime.date.fromisoformat(today) if today else None
    expired = title_expire(today=day)
    reminded = title_send_reminders(today=day)
    logger.info("expire_titles: %s expired, %s reminders", expired, reminded)
    return {"expired": expired, "reminded": reminded}
