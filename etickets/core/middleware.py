from django.conf import settings
from django.utils import translation


class SiteLanguageMiddleware:
    """Serve French unless the visitor chose another language with the switcher.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: the site
    is French first, and English is a choice the visitor makes (stored in the language cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


class PermissionsPolicyMiddleware:
    """Deny powerful browser features the site does not use."""

    POLICY = "accelerometer=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


class ApiGuardMiddleware:
    """For the API (``/api/``), in both stacks (etickets.core.handlers): the host is checked
    against ALLOWED_HOSTS, which the bearer-token stack has no other middleware to do, and no
    answer is kept by a browser or a proxy (tokens, tickets' codes, personal data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        request.get_host()  # DisallowedHost: a 400, as the site's own stack answers
        response = self.get_response(request)
        # As written, not through patch_cache_control: this runs on every scan and purchase.
        response.headers["Cache-Control"] = "private, no-store"
        return response
