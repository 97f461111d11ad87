from celery import shared_task


@shared_task
def build_export(export_id: str) -> bool:
    """Build an account's data archive and e-mail its link (inline without REDIS_URL)."""
    from .services import build_export as build

    return build(export_id=export_id)


@shared_task
def build_pending_exports() -> int:
    """The sweep of the job above (its messages may be lost: etickets.core.jobs)."""
    from .services import build_pending_exports as build

    return build()


@shared_task
def erase_expired_data() -> dict[str, int]:
    """Personal data past its retention (etickets.privacy.retention)."""
    from .retention import erase_expired_data as erase

    return erase()
