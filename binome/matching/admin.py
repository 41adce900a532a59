from django.contrib import admin

from binome.matching.models import MatchExclusion, MatchingRun, MatchingSettings, MentorOffer


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "max_km", "min_score", "reply_days"]


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "progress", "created_at", "published_at"]
    list_filter = ["state"]
    exclude = ["problem", "result"]
    # The state changes only through binome.matching.services (transition table and log).
    readonly_fields = [
        "state",
        "state_changed_at",
        "task_id",
        "progress",
        "failure",
        "error",
        "started_at",
        "finished_at",
        "published_at",
        "published_by",
        "greedy",
        "stats",
    ]


@admin.register(MatchExclusion)
class MatchExclusionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "created_at"]
    list_filter = ["source"]
    raw_id_fields = ["mentor", "mentee", "created_by"]


@admin.register(MentorOffer)
class MentorOfferAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sent_at", "reminded_at", "escalated_at", "answered_at"]
    raw_id_fields = ["pair", "run"]
    exclude = ["token"]
