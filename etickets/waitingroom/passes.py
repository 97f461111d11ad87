"""A buyer's admission passes on the site's pages: kept in the session (the API's callers send
theirs as ``X-Queue-Pass``). A pass names its account and event and is signed, so a copy is
useless to anyone else (services.check_admission)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .selectors import pass_event_id
from .services import QueueRequired

SESSION_KEY = "queue_passes"


def of_request(request: HttpRequest) -> list[str]:
    """The passes of the request's session."""
    return list(request.session.get(SESSION_KEY, []))


def keep(request: HttpRequest, tokens: list[str]) -> None:
    """Remember ``tokens`` as the session's passes (only when they changed: no session write
    for nothing)."""
    if request.session.get(SESSION_KEY, []) != tokens:
        request.session[SESSION_KEY] = tokens


def replace(request: HttpRequest, *, event_id: int, token: str) -> None:
    """Keep ``token`` as the session's pass for ``event_id``, instead of any older one."""
    kept = [t for t in of_request(request) if pass_event_id(t) != event_id]
    keep(request, [*kept, token])


def send_to_queue(request: HttpRequest, refusal: QueueRequired) -> HttpResponse:
    """The queue's page, told why (the cart stays as it is); htmx is told to go there."""
    messages.info(request, str(refusal))
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = refusal.queue_url
        return response
    return redirect(refusal.queue_url)
