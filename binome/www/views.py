from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from binome.geo import places

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


@login_not_required
@require_GET
def place_search(request):
    """Autocomplete for towns and postcodes (public data, no personal data)."""
    query = request.GET.get("q", "").strip()[:60]
    results = places.search(query, limit=10) if len(query) >= 2 else []
    return JsonResponse({"results": [{"key": p.key, "label": p.label} for p in results]})


@login_not_required
@require_GET
@cache_control(max_age=60 * 60 * 24 * 7, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the pages link to."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
