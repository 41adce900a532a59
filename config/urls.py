from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # Everyone may switch language (visitors, mentors on their links, staff); Django's view
    # checks `next` with url_has_allowed_host_and_scheme and falls back to "/".
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("binome.www.urls")),
]
if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
