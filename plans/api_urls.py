"""/api/v1/ routes of the plans app (API.md). Included from recovery_site/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("clients/<id:client_id>/plan/", api.PlanApi.as_view(), name="api-plan"),
    path("clients/<id:client_id>/plan/backup/", api.PlanBackupApi.as_view(), name="api-plan-backup"),
    path("clients/<id:client_id>/plan/goals/", api.PlanGoalsApi.as_view(), name="api-plan-goals"),
    path("plan-goals/<id:goal_id>/", api.PlanGoalApi.as_view(), name="api-plan-goal"),
    path("plan-goals/<id:goal_id>/steps/", api.PlanGoalStepsApi.as_view(), name="api-plan-goal-steps"),
    path("plan-steps/<id:step_id>/done/", api.PlanStepDoneApi.as_view(), name="api-plan-step-done"),
    path("me/milestones/", api.MyMilestonesApi.as_view(), name="api-my-milestones"),
]
