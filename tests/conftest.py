"""Personas: Maya (a client) in Riverbend Recovery, Jordan her peer mentor, Dr. Ana Reyes her
clinician, Sam the program staff, Lee her mother (family). Omar is an outsider: a staff member
of another program (Harbor House), with his own client Priya and clinician Dr. Kim there."""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from members.choices import CareRole, Goal, Role
from members.models import CareTeamMember, ClientProfile
from members.tokens import token_issue
from tests.factories import OrganizationFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI a missing service is a failure, never a silent skip."""
    if not IN_CI:
        return
    problems = []
    if not settings.IS_POSTGRES:
        problems.append("DATABASE_URL must point at PostgreSQL in CI")
    if not _redis_reachable():
        problems.append("REDIS_URL must point at a reachable Redis in CI")
    if chromium_path() is None:
        problems.append("Chromium (/usr/bin/chromium) is required for the browser tests in CI")
    if problems:
        pytest.exit("CI services missing: " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_reasons = {}
    if not _redis_reachable() or settings.IS_POSTGRES is False:
        skip_reasons["celery_worker"] = "needs REDIS_URL and PostgreSQL (set by .ci/run)"
    if not settings.IS_POSTGRES:
        skip_reasons["postgres"] = "needs PostgreSQL (DATABASE_URL)"
    if not _redis_reachable():
        skip_reasons["redis"] = "needs a reachable Redis (REDIS_URL)"
    if chromium_path() is None:
        skip_reasons["e2e"] = "needs Chromium at /usr/bin/chromium"
    for item in items:
        for marker, reason in skip_reasons.items():
            if marker in item.keywords:
                if IN_CI:
                    raise pytest.UsageError(f"{item.nodeid} cannot run in CI: {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _eager_celery(settings):  # type: ignore[no-untyped-def]
    """Unit tests run tasks in-process; tests/integration starts a real worker instead."""
    from recovery_site.celery import app

    # Celery reads the Django-namespaced key first, so that is the one to change.
    previous = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):  # type: ignore[no-untyped-def]
    """PBKDF2 is slow on purpose; tests check behaviour, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test():  # type: ignore[no-untyped-def]
    """A Spanish request (or a test that activates Spanish) must not leave Spanish on for the
    next test in the same process."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="riverbend", name="Riverbend Recovery", timezone="America/Chicago", allow_self_signup=True)


@pytest.fixture
def other_org(db):  # type: ignore[no-untyped-def]
    return OrganizationFactory(slug="harbor", name="Harbor House", timezone="America/New_York", allow_self_signup=True)


@pytest.fixture
def maya(org):  # type: ignore[no-untyped-def]
    user = UserFactory(email="maya@example.org", display_name="Maya", role=Role.CLIENT, organization=org)
    ClientProfile.objects.filter(user=user).update(
        goal=Goal.MODERATION, pathways=["smart", "harm_reduction"], languages=["en", "es"], formats=["video", "phone"]
    )
    user.refresh_from_db()
    return user


@pytest.fixture
def jordan(org):  # type: ignore[no-untyped-def]
    return UserFactory(email="jordan@example.org", display_name="Jordan", role=Role.MENTOR, organization=org)


@pytest.fixture
def dr_reyes(org):  # type: ignore[no-untyped-def]
    return UserFactory(email="reyes@example.org", display_name="Dr. Ana Reyes", role=Role.CLINICIAN, organization=org)


@pytest.fixture
def sam(org):  # type: ignore[no-untyped-def]
    return UserFactory(email="sam@example.org", display_name="Sam", role=Role.STAFF, organization=org)


@pytest.fixture
def lee(org):  # type: ignore[no-untyped-def]
    return UserFactory(email="lee@example.org", display_name="Lee", role=Role.FAMILY, organization=org)


@pytest.fixture
def omar(other_org):  # type: ignore[no-untyped-def]
    """The outsider: staff of another program."""
    return UserFactory(email="omar@example.org", display_name="Omar", role=Role.STAFF, organization=other_org)


@pytest.fixture
def priya(other_org):  # type: ignore[no-untyped-def]
    return UserFactory(email="priya@example.org", display_name="Priya", role=Role.CLIENT, organization=other_org)


@pytest.fixture
def dr_kim(other_org):  # type: ignore[no-untyped-def]
    return UserFactory(email="kim@example.org", display_name="Dr. Kim", role=Role.CLINICIAN, organization=other_org)


@pytest.fixture
def care_team(maya, jordan, dr_reyes, lee):  # type: ignore[no-untyped-def]
    """Maya's care team: Dr. Reyes (with Maya's treatment consent), Jordan, and Lee."""
    from django.utils import timezone

    ClientProfile.objects.filter(user=maya).update(treatment_consent_at=timezone.now(), treatment_consent_version="2026-11")
    maya.refresh_from_db()
    for member, role in ((dr_reyes, CareRole.CLINICIAN), (jordan, CareRole.MENTOR), (lee, CareRole.FAMILY)):
        CareTeamMember.objects.create(organization=maya.organization, client=maya, member=member, role=role)
    return maya


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    """api(user) -> an APIClient signed in with that user's real token; api() is anonymous."""

    def make(user=None):  # type: ignore[no-untyped-def]
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user).key}")
        return client

    return make
