from django.contrib import admin

from binome.notifications.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "category", "state", "attempts", "sent_at"]
    list_filter = ["state", "category"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
