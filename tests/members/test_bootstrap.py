"""API.md "Bootstrap": create_organization (idempotent on SLUG) and seed_demo (safe twice)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from members.choices import Goal, Role, VettingStatus
from members.models import AuditEvent, ClientProfile, MentorProfile, Organization, User

pytestmark = pytest.mark.django_db


def create(*args):
    out = StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


ARGS = [
    "riverside",
    "--name",
    "Riverside Clinic",
    "--admin-email",
    "Admin@Riverside.org",
    "--admin-password",
    "Sturdy-admin-2026",
]


def test_create_organization_makes_the_program_and_its_first_staff_user():
    output = create(*ARGS, "--self-signup", "--timezone", "America/Denver")
    assert "Created organization riverside" in output
    org = Organization.objects.get(slug="riverside")
    assert org.name == "Riverside Clinic" and org.allow_self_signup and org.timezone == "America/Denver"
    admin = User.objects.get(email="admin@riverside.org")
    assert admin.organization == org and admin.role == Role.STAFF and not admin.is_staff  # not a Django-admin operator
    assert AuditEvent.objects.filter(action="organization.create", target_id=org.pk).exists()
    r = APIClient().post("/api/v1/auth/token/", {"email": "admin@riverside.org", "password": "Sturdy-admin-2026"}, format="json")
    assert r.status_code == 200
    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    r = staff.post("/api/v1/users/", {"email": "doc@riverside.org", "display_name": "Doc", "role": "clinician"}, format="json")
    assert r.status_code == 201


def test_create_organization_is_idempotent_on_slug():
    create(*ARGS)
    output = create("riverside", "--name", "Other", "--admin-email", "b@riverside.org", "--admin-password", "Sturdy-admin-2027")
    assert "already exists" in output
    assert Organization.objects.get(slug="riverside").name == "Riverside Clinic"
    assert not User.objects.filter(email="b@riverside.org").exists()


def test_without_self_signup_the_program_refuses_online_signups():
    create(*ARGS)
    body = {
        "organization": "riverside",
        "email": "m@x.org",
        "password": "Long-enough-2026",
        "display_name": "M",
        "timezone": "UTC",
    }
    assert APIClient().post("/api/v1/signup/", body, format="json").status_code == 403


@pytest.mark.parametrize(
    "args",
    [
        ["bad", "--name", "B", "--admin-email", "a@b.org", "--admin-password", "Sturdy-admin-2026", "--timezone", "Mars/Base"],
        ["weak", "--name", "W", "--admin-email", "a@b.org", "--admin-password", "short"],
        ["not a slug", "--name", "N", "--admin-email", "a@b.org", "--admin-password", "Sturdy-admin-2026"],
    ],
)
def test_create_organization_reports_bad_input_and_creates_nothing(args):
    with pytest.raises(CommandError):
        create(*args)
    assert not Organization.objects.exists() and not User.objects.exists()


def test_create_organization_refuses_an_email_already_in_use(maya):
    with pytest.raises(CommandError):
        create("riverside", "--name", "R", "--admin-email", "maya@example.org", "--admin-password", "Sturdy-admin-2026")
    assert not Organization.objects.filter(slug="riverside").exists()


def test_seed_demo_makes_a_believable_program_and_is_safe_twice():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    org = Organization.objects.get(slug="demo")
    clients = User.objects.filter(organization=org, role=Role.CLIENT)
    assert 35 <= clients.count() <= 45
    assert ClientProfile.objects.filter(user__in=clients, goal=Goal.MODERATION).count() >= 3
    assert any("es" in p.languages for p in ClientProfile.objects.filter(user__in=clients))
    mentors = MentorProfile.objects.filter(organization=org)
    assert 10 <= mentors.count() <= 14 and mentors.filter(status=VettingStatus.PENDING).exists()
    assert User.objects.filter(organization=org, role=Role.CLINICIAN).count() == 3
    assert User.objects.filter(organization=org, role=Role.STAFF).count() == 1
    assert User.objects.filter(organization=org, role=Role.FAMILY).count() == 2
    users_before = User.objects.count()
    out2 = StringIO()
    call_command("seed_demo", stdout=out2)
    assert User.objects.count() == users_before
    assert "already exists" in out2.getvalue()
    r = APIClient().post(
        "/api/v1/auth/token/", {"email": "maya@demo.kinship.test", "password": "Kinship-demo-2026"}, format="json"
    )
    assert r.status_code == 200
