from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_security

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("language/", views.language_set, name="language-set"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/<int:step>/", views.onboarding, name="onboarding-step"),
    path("profile/", views.profile, name="profile"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/family/<int:membership_id>/remove/", views.privacy_family_remove, name="privacy-family-remove"),
    path("privacy/revoke/<int:consent_id>/", views.privacy_revoke, name="privacy-revoke"),
    path("account/export/", views.account_export, name="account-export"),
    path("account/data/", views.account_data, name="account-data"),
    path("account/close/", views.account_close, name="account-close"),
    path("account/two-factor/", views_security.two_factor_page, name="two-factor"),
    path("account/password/", views_security.password_change_page, name="password-change"),
    path("staff/users/", views.staff_users, name="staff-users"),
    path("staff/mentors/", views.staff_mentors, name="staff-mentors"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/<int:client_id>/", views.client_detail_page, name="client-detail"),
    path(
        "password-reset/",
        views_security.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="registration/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
