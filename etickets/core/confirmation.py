"""The second step of an action that cannot be undone (« Vider le panier », « Régénérer le QR
code », a refund): a question saying what will happen, and the button that does it.

Its view answers a GET, or a POST that does not carry ``confirm=1`` (or the answer the
question named), with the question: a page,
or a <dialog> when htmx asks (site.js opens it). Only the question's own button posts
``confirm=1``, so a single click, a stray form or a replayed request never does the action.
"""

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails  # set by django-htmx's middleware


def confirmed(request: HttpRequest, *, answer: str = "1") -> bool:
    """Whether this request is the question's answer: a POST from its button. ``answer``: what
    the question was about (a refund's tickets and amount), so that a question answered after
    things changed is asked again, rather than taken as a yes to what it did not show."""
    return request.method == "POST" and request.POST.get("confirm") == answer


def ask(
    request: HtmxHttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    items: Sequence[str] = (),
    confirm_label: str,
    cancel_label: str,
    cancel_url: str,
    page_template: str = "core/confirm.html",
    answer: str = "1",
) -> HttpResponse:
    """The question, posting back to this URL. ``consequences``: what the action does, one
    sentence each; ``items``: what it applies to (tickets, cart lines); ``answer``: as for
    ``confirmed``."""
    context = {
        "answer": answer,
        "title": title,
        "consequences": consequences,
        "items": items,
        "confirm_label": confirm_label,
        "cancel_label": cancel_label,
        "cancel_url": cancel_url,
        "action_url": request.path,
    }
    template = "core/_confirm_dialog.html" if request.htmx else page_template
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def leave(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """To ``url`` instead of asking (nothing left to do, or a refusal already said in a
    message): a redirect, or for htmx, which wanted a dialog, a navigation of the whole page."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
