from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("connexion/", views.login_view, name="login"),
    path("connexion/verification/", views.second_factor, name="second_factor"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        views.PasswordResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reinitialiser/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("compte/", views.account, name="account"),
    path("compte/profil/", views.profile, name="profile"),
    path("compte/adresse/<str:token>/", views.confirm_email_change, name="confirm_email_change"),
    path("compte/verification/", views.send_verification_link, name="send_verification_link"),
    path("compte/verification/<str:token>/", views.verify_email, name="verify_email"),
    path("compte/mot-de-passe/", views.password_change, name="password_change"),
    path("compte/securite/", views.security_settings, name="security"),
    path("compte/securite/activer/", views.enable_two_factor, name="enable_two_factor"),
    path(
        "compte/securite/codes-de-secours/",
        views.regenerate_recovery_codes,
        name="regenerate_recovery_codes",
    ),
    path(
        "compte/securite/codes-de-secours/telecharger/",
        views.download_recovery_codes,
        name="download_recovery_codes",
    ),
    path("compte/securite/desactiver/", views.disable_two_factor, name="disable_two_factor"),
    path(
        "compte/securite/jetons/<id:token_id>/revoquer/",
        views.revoke_api_token,
        name="revoke_api_token",
    ),
]
