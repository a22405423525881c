"""What a viewer sees of a client's record: one definition used by the API and the pages.

Other apps add to the summary (last check-in, attendance, mentor, flags) by registering a
provider that answers for many clients at once, so lists stay a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .choices import CareRole
from .models import User
from .selectors import ClientView, care_team_for_client

# Profile fields by relation. Substances and the recovery start date are clinical: only the
# client and their treating clinicians see them. Mentors see what matching uses plus the
# member's own words about what they are working toward; family see nothing by default.
MATCHING_FIELDS = (
    "goal",
    "pathways",
    "languages",
    "gender",
    "mentor_gender",
    "mentor_gender_required",
    "formats",
    "availability",
    "experience_tags",
)
FIELDS_BY_RELATION: dict[str, tuple[str, ...]] = {
    "self": (*MATCHING_FIELDS, "working_toward", "recovery_start", "substances", "show_sober_days"),
    "clinician": (*MATCHING_FIELDS, "working_toward", "recovery_start", "substances"),
    "staff": MATCHING_FIELDS,
    CareRole.MENTOR.value: ("goal", "pathways", "languages", "formats", "availability", "experience_tags", "working_toward"),
    CareRole.FAMILY.value: (),
}

SummaryProvider = Callable[[User, Sequence[User]], dict[int, dict[str, Any]]]
_summary_providers: list[SummaryProvider] = []


def register_summary_provider(fn: SummaryProvider) -> None:
    """fn(viewer, clients) -> {client_id: {field: value}}; must not query per client."""
    _summary_providers.append(fn)


def summaries_for(viewer: User, clients: Sequence[User]) -> dict[int, dict[str, Any]]:
    merged: dict[int, dict[str, Any]] = {c.pk: {} for c in clients}
    for provider in _summary_providers:
        for pk, data in provider(viewer, clients).items():
            merged.setdefault(pk, {}).update(data)
    return merged


def profile_fields_for(view: ClientView) -> tuple[str, ...]:
    if view.relation == "clinician" and not view.scopes:
        return ()  # on the team, but no treatment consent yet
    return FIELDS_BY_RELATION.get(view.relation, ())


def care_team_visible(view: ClientView) -> bool:
    """Who treats a member is part of their record: family see only what the member shares."""
    return view.relation != CareRole.FAMILY.value


def client_summary(client: User, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    profile = getattr(client, "client_profile", None)
    return {
        "id": client.pk,
        "display_name": client.display_name,
        "pronouns": client.pronouns,
        "timezone": client.timezone,
        "joined_at": client.date_joined,
        "onboarded": bool(profile and profile.onboarded_at),
        **(extra or {}),
    }


def client_detail(view: ClientView) -> dict[str, Any]:
    client = view.client
    profile = getattr(client, "client_profile", None)
    fields = profile_fields_for(view)
    data = client_summary(client, summaries_for(view.viewer, [client]).get(client.pk))
    data["relation"] = view.relation
    data["shared_with_you"] = sorted(view.scopes)
    data["profile"] = {name: getattr(profile, name) for name in fields} if profile else {}
    if profile and view.relation in ("self", "clinician", "staff"):
        data["profile"]["treatment_consent"] = profile.treatment_consent
    data["care_team"] = (
        [
            {
                "id": m.pk,
                "user": {"id": m.member_id, "display_name": m.member.display_name},
                "role": m.role,
                "started_at": m.started_at,
            }
            for m in care_team_for_client(client=client)
        ]
        if care_team_visible(view)
        else []
    )
    return data
