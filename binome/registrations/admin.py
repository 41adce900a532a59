from django.contrib import admin

from binome.registrations.models import (
    Offer,
    Registration,
    RegistrationConsent,
    RoutingAttempt,
)


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


@admin.register(RegistrationConsent)
class RegistrationConsentAdmin(admin.ModelAdmin):
    """A record of what was agreed: read only."""

    list_display = ["registration", "kind", "given_by", "stated_by", "at", "version", "mentee"]
    list_filter = ["kind", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
