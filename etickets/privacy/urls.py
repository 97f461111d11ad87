from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("compte/donnees/", views.my_data, name="my_data"),
    path("compte/donnees/archive/", views.request_export, name="request_export"),
    path(
        "compte/donnees/archive/<uuid:export_id>/",
        views.download_export,
        name="download_export",
    ),
    path("compte/supprimer/", views.delete_account, name="delete_account"),
]
