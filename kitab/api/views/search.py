"""GET /api/v1/search/: the catalogue search, public (anonymous callers are throttled)."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from kitab.search import services as search_services
from kitab.search.types import FACET_NAMES, SearchRequest

from ..base import ApiView
from ..permissions import AnonSearchThrottle
from ..serializers.common import ErrorSerializer
from ..serializers.search import SearchQuerySerializer, SearchResultSerializer


class SearchView(ApiView):
    throttle_classes = (AnonSearchThrottle,)
    required_scopes: ClassVar[dict[str, str]] = {"GET": "search:read"}

    @extend_schema(operation_id="search", parameters=[SearchQuerySerializer],
                   responses={200: SearchResultSerializer, 400: ErrorSerializer, 422: ErrorSerializer,
                              429: ErrorSerializer})
    def get(self, request: Request) -> Response:
        """Search the catalogue: hits, the total and the facet counts."""
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = {name: data[name] for name in FACET_NAMES if data.get(name)}
        result = search_services.search(SearchRequest(
            query=data["q"], filters=filters, limit=data["limit"], offset=data["offset"], sort=data["sort"],
            facets=data["facets"]))
        return Response(SearchResultSerializer(result).data)
