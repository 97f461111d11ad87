from django.urls import path, re_path

from etickets.core.handlers import QUEUE_POLL_PATH

from . import views

app_name = "waitingroom"

urlpatterns = [
    path("file-attente/<slug:slug>/", views.queue_page, name="queue"),
    path("file-attente/<slug:slug>/equite/", views.fairness, name="fairness"),
    path("file-attente/<slug:slug>/equite/file.txt", views.fairness_entries, name="entries"),
    path("file-attente/<id:event_id>/entrer/", views.enter, name="enter"),
    # Matched before Django too, to take the short middleware chain (core/handlers.py).
    re_path(QUEUE_POLL_PATH, views.poll, name="poll"),
]
