"""/api/v1/ routes of the matching app (API.md). Included from recovery_site/api_urls.py."""

from django.urls import path

from . import api

urlpatterns: list = [
    path("match-requests/", api.MatchRequestCreateApi.as_view(), name="api-match-requests"),
    path("match-requests/<id:request_id>/suggestions/", api.SuggestionsApi.as_view(), name="api-match-suggestions"),
    path("match-requests/<id:request_id>/choose/", api.ChooseApi.as_view(), name="api-match-choose"),
    path("matches/", api.MatchListApi.as_view(), name="api-matches"),
    path("matches/<id:match_id>/accept/", api.MatchAcceptApi.as_view(), name="api-match-accept"),
    path("matches/<id:match_id>/decline/", api.MatchDeclineApi.as_view(), name="api-match-decline"),
    path("matches/<id:match_id>/end/", api.MatchEndApi.as_view(), name="api-match-end"),
    path("matches/<id:match_id>/contacts/", api.ContactListApi.as_view(), name="api-match-contacts"),
    path("matching/runs/", api.MatchingRunApi.as_view(), name="api-matching-runs"),
]
