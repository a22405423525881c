from django.contrib import admin

from .models import Attendance, Enrollment, MeetingType, RecoveryGroup, Session


@admin.register(RecoveryGroup)
class RecoveryGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "kind", "visibility", "attendance_mode", "rrule", "timezone", "archived_at")
    list_filter = ("kind", "visibility", "attendance_mode")
    search_fields = ("name",)
    filter_horizontal = ("facilitators", "meeting_types")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("group", "starts_at", "status", "moved", "original_start")
    list_filter = ("status", "moved")
    raw_id_fields = ("group",)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("group", "member", "status", "waitlist_seq")
    list_filter = ("status",)
    raw_id_fields = ("group", "member", "added_by")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("session", "member", "status", "recorded_at")
    list_filter = ("status",)
    raw_id_fields = ("session", "member", "recorded_by")


admin.site.register(MeetingType)
