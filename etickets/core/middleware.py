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
