from django.contrib import admin

from .models import Delivery, Notification, NotificationPreference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ("channel", "status", "attempts", "scheduled_for", "claimed_at", "sent_at", "last_error")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "priority", "read_at")
    list_filter = ("kind", "priority")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("notification", "channel", "status", "attempts", "scheduled_for", "sent_at")
    list_filter = ("status", "channel")


admin.site.register(NotificationPreference)
