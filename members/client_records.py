"""What a viewer sees of a client's record: one definition used by the API and the pages.

Other apps add to the summary (last check-in, attendance, mentor, flags) by registering a
provider that answers for many clients at once, so lists stay a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .access import (
    ClientView,
    access_log_record_many,
    care_team_visible,
    client_scopes_for_many,
    profile_fields_for,
    treatment_consent_visible,
)
from .models import User
from .selectors import care_team_for_client

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


# The profile fields a list row shows, when the viewer may see them at all (profile_fields_for).
LIST_PROFILE_FIELDS = ("goal",)


def client_rows(*, viewer: User, clients: Sequence[User]) -> list[dict[str, Any]]:
    """The rows of a client list, for the API and the pages alike: each member's summary, what
    she shares with the viewer and the list's profile fields the viewer may see of her (the same
    rule as her page). Listing them is written to each member's access log as a "summary" read."""
    extras = summaries_for(viewer, clients)
    seen = client_scopes_for_many(viewer=viewer, clients=clients)
    access_log_record_many(viewer=viewer, clients=clients, resource="summary")
    rows = []
    for client in clients:
        relation, scopes = seen.get(client.pk, ("", frozenset()))
        view = ClientView(client=client, viewer=viewer, relation=relation, scopes=scopes)
        profile = getattr(client, "client_profile", None)
        fields = [name for name in LIST_PROFILE_FIELDS if name in profile_fields_for(view)] if profile else []
        row = client_summary(client, extras.get(client.pk))
        row["shared_with_you"] = sorted(scopes)
        row["profile"] = {name: getattr(profile, name) for name in fields}
        rows.append(row)
    return rows


def client_detail(view: ClientView) -> dict[str, Any]:
    client = view.client
    profile = getattr(client, "client_profile", None)
    fields = profile_fields_for(view)
    data = client_summary(client, summaries_for(view.viewer, [client]).get(client.pk))
    data["relation"] = view.relation
    data["shared_with_you"] = sorted(view.scopes)
    data["profile"] = {name: getattr(profile, name) for name in fields} if profile else {}
    if profile and treatment_consent_visible(view):
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
