"""Background work of the appraisal: the daily expiry of titles and the reminders before it."""

import logging

from celery import shared_task

from appraisal.services import notice_send_ended, title_expire, title_send_reminders

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
    """The appraisal's daily run, safe to run any number of times: expire titles past their end date,
    send the expiry reminders (90 and 30 days, expired), tell the county leader about ended notices."""
    import datetime

    day = datetime.date.fromisoformat(today) if today else None
    expired = title_expire(today=day)
    reminded = title_send_reminders(today=day)
    notices = notice_send_ended(today=day)
    logger.info("expire_titles: %s expired, %s reminders, %s notice ends", expired, reminded, notices)
    return {"expired": expired, "reminded": reminded, "notices_ended": notices}
