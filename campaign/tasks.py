"""Tasks of the project package: the sweeper of stale background jobs (campaign/jobs.py)."""

from celery import shared_task


@shared_task(name="campaign.tasks.sweep_stale_jobs")
def sweep_stale_jobs():
    """Re-queue jobs queued or running past their time limit (beat, every JOBS_SWEEP_EVERY seconds)."""
    from campaign.jobs import sweep_stale_jobs as sweep

    return sweep()
