from celery import shared_task


@shared_task
def clean_screenshots(report_id: int) -> None:
    """Re-encode a new report's screenshots: decoding them costs seconds of CPU, which the
    request should not wait for (run at once in the web process without REDIS_URL)."""
    from .services import clean_screenshots as clean

    clean(report_id=report_id)


@shared_task
def clean_pending_screenshots() -> int:
    """The sweep of the job above (its messages may be lost: etickets.core.jobs)."""
    from .services import clean_pending_screenshots as clean

    return clean()
