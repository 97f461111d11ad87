from django.urls import path

from . import views

app_name = "gate"

urlpatterns = [
    path("controle/", views.choose_gate, name="scanner"),
    path("controle/scan/", views.manual_scan, name="manual_scan"),
]
