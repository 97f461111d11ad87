from django.urls import path

from . import views

app_name = "cart"

urlpatterns = [
    path("panier/", views.cart_page, name="cart"),
    path("panier/ajouter/<slug:slug>/", views.add, name="add"),
    path("panier/lignes/<id:offer_id>/", views.update, name="update"),
    path("panier/lignes/<id:offer_id>/supprimer/", views.remove, name="remove"),
    path("panier/vider/", views.clear, name="clear"),
    path("panier/revente/<id:listing_id>/", views.add_resale, name="add_resale"),
    path("panier/revente/<id:listing_id>/supprimer/", views.remove_resale, name="remove_resale"),
]
