"""Web pages of the resources app. Included from recovery_site/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("resources/", views.resource_directory, name="resources"),
    path("resources/manage/", views.resource_manage, name="resources-manage"),
    path("resources/manage/<int:resource_id>/", views.resource_edit, name="resource-edit"),
    path("clients/<int:client_id>/referrals/", views.referral_create, name="referral-create"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:referral_id>/follow-up/", views.referral_follow_up, name="referral-follow-up"),
    path("curriculum/", views.curriculum, name="curriculum"),
    path("curriculum/manage/", views.curriculum_manage, name="curriculum-manage"),
    path("curriculum/manage/<int:module_id>/", views.curriculum_module_edit, name="curriculum-module-edit"),
    path("curriculum/manage/<int:module_id>/delete/", views.curriculum_module_delete, name="curriculum-module-delete"),
    path("curriculum/<int:module_id>/", views.curriculum_module, name="curriculum-module"),
    path("curriculum/<int:module_id>/done/", views.curriculum_done, name="curriculum-done"),
]
