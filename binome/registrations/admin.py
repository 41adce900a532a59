from django.contrib import admin

from binome.registrations.models import Offer, Registration, RoutingAttempt


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["programme", "side", "capacity", "starts_on", "ends_on", "is_active"]
    list_filter = ["side", "is_active"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "state", "organisation", "created_at"]
    list_filter = ["kind", "state"]
    # Identity fields are not searchable here: staff use the association inbox.
    readonly_fields = ["public_id", "dedup_key", "source_hash"]


@admin.register(RoutingAttempt)
class RoutingAttemptAdmin(admin.ModelAdmin):
    list_display = ["registration", "organisation", "outcome", "routed_at", "answered_at"]
    list_filter = ["outcome"]
