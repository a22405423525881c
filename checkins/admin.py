from django.contrib import admin

from .models import Assessment, CheckIn, RiskFlag


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["client", "local_date", "mood", "craving", "used", "need_support"]
    list_filter = ["organization", "used", "need_support"]
    raw_id_fields = ["client"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["client", "instrument", "score", "band", "taken_at"]
    list_filter = ["organization", "instrument"]
    raw_id_fields = ["client"]


@admin.register(RiskFlag)
class RiskFlagAdmin(admin.ModelAdmin):
    list_display = ["client", "kind", "opened_at", "resolved_at"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["client", "resolved_by"]
