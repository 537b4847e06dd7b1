"""/api/v1/: search, records and items (public read), patrons, loans and holds (staff); the OpenAPI schema."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authentication import SessionAuthentication

from .authentication import ApplicationTokenAuthentication
from .views import catalogue, circulation, holds, patrons, search
from .views.fallback import unknown_url

app_name = "api"

SCHEMA_SETTINGS = {
    "TITLE": "Kitab REST API",
    "DESCRIPTION": "Search, records, items, patrons, loans and holds. See docs/api.md. Machine clients "
                   "authenticate with an application token (`Authorization: Bearer <token>`) whose scopes must "
                   "include the operation's `x-kitab-scope`.",
    "VERSION": "1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

urlpatterns = [
    path("v1/search/", search.SearchView.as_view(), name="search"),
    path("v1/records/", catalogue.RecordListView.as_view(), name="records"),
    path("v1/records/<int:pk>/", catalogue.RecordDetailView.as_view(), name="record"),
    path("v1/records/<int:pk>/marcxml", catalogue.RecordMarcXmlView.as_view(), name="record-marcxml"),
    path("v1/records/<int:pk>.mrc", catalogue.RecordIso2709View.as_view(), name="record-iso2709"),
    path("v1/records/<int:pk>/items/", catalogue.RecordItemsView.as_view(), name="record-items"),
    path("v1/items/<str:barcode>/", catalogue.ItemDetailView.as_view(), name="item"),
    path("v1/patrons/", patrons.PatronListView.as_view(), name="patrons"),
    path("v1/patrons/<int:pk>/", patrons.PatronDetailView.as_view(), name="patron"),
    path("v1/loans/", circulation.LoanListView.as_view(), name="loans"),
    path("v1/loans/checkin/", circulation.CheckinView.as_view(), name="checkin"),
    path("v1/loans/<int:pk>/renew/", circulation.RenewView.as_view(), name="renew"),
    path("v1/holds/", holds.HoldListView.as_view(), name="holds"),
    path("v1/holds/<int:pk>/", holds.HoldDetailView.as_view(), name="hold"),
    path("v1/schema/", SpectacularAPIView.as_view(
        custom_settings=SCHEMA_SETTINGS, authentication_classes=[ApplicationTokenAuthentication, SessionAuthentication]
    ), name="schema"),
    # Anything else under /api/ is a JSON 404, never the OPAC's HTML page.
    re_path(r"", unknown_url, name="not-found"),
]
