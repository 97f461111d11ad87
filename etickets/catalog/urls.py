from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("offres/", views.offer_list, name="offer_list"),
    path("offres/<slug:slug>/", views.offer_detail, name="offer_detail"),
]
