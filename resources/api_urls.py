"""/api/v1/ routes of the resources app (API.md). Included from recovery_site/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("resources/", api.ResourceListApi.as_view(), name="api-resources"),
    path("resources/<id:resource_id>/", api.ResourceDetailApi.as_view(), name="api-resource"),
    path("referrals/", api.ReferralListApi.as_view(), name="api-referrals"),
    path("referrals/<id:referral_id>/follow-ups/", api.FollowUpCreateApi.as_view(), name="api-referral-follow-ups"),
    path("curriculum/modules/", api.ModuleListApi.as_view(), name="api-curriculum-modules"),
    path("me/curriculum/", api.MyCurriculumApi.as_view(), name="api-my-curriculum"),
    path("me/curriculum/<id:module_id>/done/", api.MyModuleDoneApi.as_view(), name="api-my-module-done"),
]
