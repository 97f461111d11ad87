from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .faq import SECTIONS


@require_safe
def faq(request):
    return render(request, "support/faq.html", {"sections": SECTIONS})


def _legal_page(request, page):
    """Legal texts are written once per language, not translated string by string."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    templates = [f"support/legal/{page}.{language}.html", f"support/legal/{page}.fr.html"]
    return render(request, templates)


@require_safe
def terms_of_use(request):
    return _legal_page(request, "terms_of_use")


@require_safe
def terms_of_sale(request):
    return _legal_page(request, "terms_of_sale")


@require_safe
def legal_notice(request):
    return _legal_page(request, "legal_notice")


@require_safe
def privacy(request):
    return _legal_page(request, "privacy")
