"""Server-rendered pages of members, one module per topic: accounts, home, profiles (onboarding
and profile), privacy, staff, clients. Views are thin: a form, one selector or service, a
template. Every read of a client's record goes through members.access."""

from .accounts import LoginView, account_close, account_data, account_export, landing, logout_view, signup
from .clients import client_detail_page, client_list
from .home import home, optional_url
from .language import language_set
from .privacy import privacy, privacy_family_remove, privacy_revoke
from .profiles import onboarding, profile
from .staff import staff_mentors, staff_users

__all__ = [
    "LoginView",
    "account_close",
    "account_data",
    "account_export",
    "client_detail_page",
    "client_list",
    "home",
    "landing",
    "language_set",
    "logout_view",
    "onboarding",
    "optional_url",
    "privacy",
    "privacy_family_remove",
    "privacy_revoke",
    "profile",
    "signup",
    "staff_mentors",
    "staff_users",
]
