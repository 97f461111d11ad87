"""E-mails: HTML plus plain text, in the recipient's language, sent after the transaction.

Each e-mail is three templates: ``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``
(the latter extending ``emails/base.html``). They are rendered here, in the web process, and
handed to the ``deliver_email`` job: through Celery when Redis is configured, at once otherwise.
"""

import base64
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.db import transaction
from django.template import Engine
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import deliver_email


@cache
def _text_engine() -> Engine:
    """The project's templates without HTML escaping, for subjects and plain-text bodies."""
    default = Engine.get_default()
    return Engine(
        dirs=default.dirs,
        app_dirs=default.app_dirs,
        libraries=default.libraries,
        autoescape=False,
    )


def send_templated_email(
    name: str,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """``attachments``: (filename, content, MIME type) of each file to join."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(_text_engine().render_to_string(f"{name}_subject.txt", context).split())
        text = _text_engine().render_to_string(f"{name}.txt", context)
        html = render_to_string(f"{name}.html", context)
    files = [[name, base64.b64encode(data).decode(), kind] for name, data, kind in attachments]
    transaction.on_commit(lambda: deliver_email.delay(subject, text, html, [to], files))
