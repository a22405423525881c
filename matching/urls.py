"""Web pages of the matching app. Included from recovery_site/urls.py."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("mentor/", views.find_mentor, name="find-mentor"),
    path("mentor/request/", views.request_create, name="find-mentor-request"),
    path("mentor/choose/", views.choose, name="find-mentor-choose"),
    path("matches/<int:match_id>/end/", views.match_end, name="match-end"),
    path("proposals/", views.mentor_proposals, name="mentor-proposals"),
    path("proposals/<int:match_id>/accept/", views.proposal_answer, {"answer": "accept"}, name="proposal-accept"),
    path("proposals/<int:match_id>/decline/", views.proposal_answer, {"answer": "decline"}, name="proposal-decline"),
    path("mentees/<int:match_id>/contacts/", views.contact_log, name="contact-log"),
    path("staff/matching/", views.matching_runs, name="matching-runs"),
]
