"""The waiting room's pages: a sale's queue, its polls, the way in, and its draw's record."""

import datetime
import threading

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from etickets.accounts.selectors import has_verified_email
from etickets.catalog.models import Event
from etickets.core.errors import DomainError
from etickets.core.http import client_ip

from . import passes, selectors, services
from .models import QueueConfig


def _offers_url(event: Event) -> str:
    """Where an admitted buyer goes: the event's cheapest offer, whose page lists the others."""
    offer = event.offers.filter(is_published=True).order_by("price_cents").first()
    return offer.get_absolute_url() if offer else reverse("catalog:offer_list")


_last_admission: dict[int, datetime.datetime] = {}
_admission_lock = threading.Lock()


def _admit_without_beat(event_id: int, now: datetime.datetime) -> None:
    """Without Celery beat (settings.QUEUE_ADMIT_ON_POLL), the pages admit, once a second per
    process at most."""
    if not settings.QUEUE_ADMIT_ON_POLL:
        return
    with _admission_lock:
        last = _last_admission.get(event_id)
        if last is not None and now - last < datetime.timedelta(seconds=1):
            return
        _last_admission[event_id] = now
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        services.admit_due(event=event, now=now)


def _line_context(line: selectors.Line, *, event_id: int) -> dict:
    return {
        "line": line,
        "poll_url": reverse("waitingroom:poll", kwargs={"event_id": event_id, "entry": line.entry}),
        "enter_url": reverse("waitingroom:enter", kwargs={"event_id": event_id}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def queue_page(request, slug):
    """« File d'attente »: join it, then see one's place until one's turn."""
    event = get_object_or_404(Event, slug=slug, is_published=True)
    config = QueueConfig.objects.filter(event=event, enabled=True).first()
    if config is None:
        return redirect(_offers_url(event))
    now = timezone.now()
    error = ""
    if request.method == "POST":
        try:
            services.join_queue(
                user=request.user, event=event, client_address=client_ip(request), now=now
            )
        except DomainError as refusal:
            error = str(refusal)
        else:
            return redirect(request.path)
    _admit_without_beat(event.pk, now)
    line = selectors.line_of_account(user=request.user, event=event, config=config, now=now)
    context = {
        **_line_context(line, event_id=event.pk),
        "event": event,
        "config": config,
        "error": error,
        "joinable": selectors.queue_in_force(config=config, now=now),
        "verified": has_verified_email(user=request.user),
        "minutes_before": settings.QUEUE_OPENS_MINUTES_BEFORE,
    }
    response = render(request, "waitingroom/queue.html", context)
    add_never_cache_headers(response)
    return response


@require_safe
def poll(request, event_id, entry):
    """The waiting part of the queue page, for its polls: the store's reads only, no session
    nor query (it is served by the short middleware chain, core/handlers.py). An entry id tells
    only its place, which the fairness page publishes anyway."""
    now = timezone.now()
    event_id = int(event_id)
    line = selectors.line_of(event_id=event_id, entry=entry, now=now)
    if line.poll.joined and settings.QUEUE_ADMIT_ON_POLL:
        # Only for an entry in a line: a made-up one costs no query.
        _admit_without_beat(event_id, now)
        line = selectors.line_of(event_id=event_id, entry=entry, now=now)
    # Its own address is the next poll's: no URL to build but the way in, once admitted.
    enter_url = reverse("waitingroom:enter", kwargs={"event_id": event_id}) if line.let_in else ""
    context = {"line": line, "poll_url": request.path, "enter_url": enter_url}
    response = HttpResponse(render_to_string("waitingroom/_line.html", context))
    if line.let_in:
        response["HX-Redirect"] = enter_url
    elif line.pass_over:
        # The page offers a new place (a form, with its CSRF token): load it again.
        response["HX-Refresh"] = "true"
    add_never_cache_headers(response)
    return response


@login_required
@require_safe
def enter(request, event_id):
    """One's turn: the pass, then the offers."""
    event = get_object_or_404(Event, pk=event_id, is_published=True)
    now = timezone.now()
    try:
        token = services.issue_pass(user=request.user, event=event, now=now)
    except services.NotAdmitted as refusal:
        messages.info(request, str(refusal))
        return redirect("waitingroom:queue", slug=event.slug)
    passes.replace(request, event_id=event.pk, token=token)
    until = selectors.pass_expiry(user=request.user, event=event)
    messages.success(
        request,
        _(
            "C'est votre tour ! Choisissez vos billets et payez avant %(time)s : votre accès "
            "est prolongé tant que vous êtes au paiement."
        )
        % {"time": formats.time_format(timezone.localtime(until), "H:i")},
    )
    return redirect(_offers_url(event))


@require_safe
def fairness(request, slug):
    """« Équité de la file »: the commitment, then the seed and the line, so that anyone can
    redo the draw."""
    event = get_object_or_404(Event, slug=slug, is_published=True)
    # The line's head only: the whole of it (100,000 entries and more) is the file's.
    record = selectors.fairness_record(event=event, limit=50)
    if record is None:
        return redirect(_offers_url(event))
    own = None
    if request.user.is_authenticated and record.entry_ids is not None:
        entry = selectors.current_entry(user=request.user, event=event)
        place = selectors.line_of(event_id=event.pk, entry=entry, now=timezone.now()).poll.place
        if place is not None:
            own = (entry, place + 1)
    context = {"event": event, "record": record, "own": own}
    return render(request, "waitingroom/fairness.html", context)


@require_safe
def fairness_entries(request, slug):
    """The line in order, one entry a line: the file to redo the draw with."""
    event = get_object_or_404(Event, slug=slug, is_published=True)
    record = selectors.fairness_record(event=event)
    if record is None or record.entry_ids is None:
        return redirect("waitingroom:fairness", slug=slug)
    response = HttpResponse(
        "".join(f"{entry}\n" for entry in record.entry_ids), content_type="text/plain"
    )
    response["Content-Disposition"] = f'attachment; filename="file-{event.slug}.txt"'
    return response
