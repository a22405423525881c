"""A resource to offer after a check-in that shows trouble (checkins.providers support
registry): one from her program's directory, in her language when there is one."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from checkins.providers import SupportContext, SupportItem
from members.models import User

from .models import Category, Resource


def resource_support(client: User, context: SupportContext) -> list[SupportItem]:
    wanted = Category.MEETINGS if context.craving >= 7 or context.used == "yes" else Category.HEALTH
    resource = (
        Resource.objects.filter(
            organization_id=client.org_id, active=True, category__in=[wanted, Category.HEALTH, Category.MEETINGS]
        )
        .annotate(
            rank=Case(When(category=wanted, then=Value(0)), default=Value(1), output_field=IntegerField()),
            speaks=Case(
                When(languages__icontains=f'"{context.language}"', then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("speaks", "rank", "name")
        .only("name", "phone", "url")
        .first()
    )
    if resource is None:
        return []
    url = resource.url or (f"tel:{resource.phone}" if resource.phone else "/resources/")
    return [SupportItem(kind="resource", text=_("%(name)s can help.") % {"name": resource.name}, url=url)]
