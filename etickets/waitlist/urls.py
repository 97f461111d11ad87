from django.urls import path

from . import views

app_name = "waitlist"

urlpatterns = [
    path("liste-attente/", views.my_entries, name="list"),
    path("liste-attente/rejoindre/<slug:slug>/", views.join, name="join"),
    path("liste-attente/<id:entry_id>/quitter/", views.leave, name="leave"),
]
