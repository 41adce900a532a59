from django.utils.functional import SimpleLazyObject

SESSION_KEY = "current_organisation_id"


def get_current_membership(request):
    """The active membership the user picked (or their first one), or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = (
        user.memberships.filter(is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    wanted = request.session.get(SESSION_KEY)
    if wanted:
        chosen = next((m for m in memberships if m.organisation_id == wanted), None)
        if chosen:
            return chosen
    return next(iter(memberships), None)


class CurrentOrganisationMiddleware:
    """Sets ``request.membership`` and ``request.organisation`` (lazily, one query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: get_current_membership(request))
        request.organisation = SimpleLazyObject(
            lambda: request.membership.organisation if request.membership else None
        )
        return self.get_response(request)
