"""The Django admin is for platform operators (is_staff superusers), not program users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AccessLog, AuditEvent, CareTeamMember, ClientProfile, ConsentGrant, MentorProfile, Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "timezone", "allow_self_signup")
    search_fields = ("slug", "name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "role", "organization", "is_active")
    list_filter = ("role", "organization", "is_active")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "pronouns", "phone", "role", "organization", "timezone")}),
        ("Status", {"fields": ("is_active", "deactivated_at", "erasure_due_at", "erased_at")}),
        ("Platform", {"fields": ("is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "display_name", "role", "organization", "password1", "password2")}),
    )


for model in (ClientProfile, MentorProfile, CareTeamMember, ConsentGrant):
    admin.site.register(model)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "client", "resource")
    list_filter = ("resource",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the record of who read what is not editable


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
