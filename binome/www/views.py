from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from binome.geo import places


@login_not_required
@require_GET
def place_search(request):
    """Autocomplete for towns and postcodes (public data, no personal data)."""
    query = request.GET.get("q", "").strip()[:60]
    results = places.search(query, limit=10) if len(query) >= 2 else []
    return JsonResponse({"results": [{"key": p.key, "label": p.label} for p in results]})
