from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from etickets.accounts.models import User
from etickets.accounts.security import is_administrator

from .models import ProblemReport, Screenshot


def reports_of(user: User) -> QuerySet[ProblemReport]:
    return ProblemReport.objects.filter(user=user).prefetch_related("replies")


def report_for_owner(user: User, *, reference: str) -> ProblemReport:
    """The user's own report; anyone else's, like an unknown one, is a 404."""
    return get_object_or_404(
        ProblemReport.objects.prefetch_related("screenshots", "replies__author"),
        reference=reference,
        user=user,
    )


def screenshot_for(user: User, *, screenshot_id: int) -> Screenshot:
    """A screenshot, to its author and to verified administrators only, once re-encoded (the
    file as uploaded keeps its metadata, and may be anything behind a valid header); else a
    404."""
    shot = get_object_or_404(
        Screenshot.objects.select_related("report"), pk=screenshot_id, pending=False
    )
    if shot.report.user_id == user.pk or (is_administrator(user) and user.is_verified()):
        return shot
    raise Http404
