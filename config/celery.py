"""Celery: e-mails and PDFs leave the request when REDIS_URL is set (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("etickets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
