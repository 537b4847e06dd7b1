from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("staff/authorities/", include("kitab.authorities.urls")),
    path("staff/batches/", include("kitab.imports.urls")),
    path("staff/", include("kitab.staff.urls")),
    path("api/", include("kitab.api.urls")),
    # Protocol endpoints answer with and without a trailing slash: harvesters and SRU clients use both.
    re_path(r"^oai/?", include("kitab.protocols.oaipmh.urls")),
    re_path(r"^sru/?", include("kitab.protocols.sru.urls")),
    # OPAC: lists and the cart, comments, search history and saved searches (own apps, own namespaces).
    path("", include("kitab.lists.urls")),
    path("", include("kitab.comments.urls")),
    path("", include("kitab.savedsearches.urls")),
    path("", include("kitab.opac.urls")),
]
