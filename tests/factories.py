"""factory_boy factories for variety; the named personas in conftest.py tell the stories."""

import factory
from factory.django import DjangoModelFactory

from members.choices import Role, VettingStatus
from members.models import ClientProfile, MentorProfile, Organization, User


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Program {n}")
    timezone = "America/Chicago"
    allow_self_signup = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("first_name")
    role = Role.CLIENT
    organization = factory.SubFactory(OrganizationFactory)
    timezone = "America/Chicago"
    password = factory.PostGenerationMethodCall("set_password", "Sturdy-pass-2026")

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        obj.save()
        if obj.role == Role.CLIENT:
            ClientProfile.objects.get_or_create(user=obj, defaults={"organization_id": obj.organization_id, **kwargs})
        elif obj.role == Role.MENTOR:
            defaults = {"organization_id": obj.organization_id, "status": VettingStatus.APPROVED, **kwargs}
            MentorProfile.objects.get_or_create(user=obj, defaults=defaults)
