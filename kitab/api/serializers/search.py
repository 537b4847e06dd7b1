"""Search: the query parameters and the result (hits and facets)."""

from __future__ import annotations

from rest_framework import serializers

from kitab.search.types import FACET_NAMES, SORT_ORDERS

MAX_LIMIT = 100


class _SearchQueryBase(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", help_text="The search query.")
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=MAX_LIMIT)
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000)
    sort = serializers.ChoiceField(choices=SORT_ORDERS, required=False, default="relevance")
    facets = serializers.BooleanField(required=False, default=True, help_text="Count facet values.")


# One optional, repeatable parameter per facet (`?language=eng&language=tur`): values of one facet are ORed,
# different facets ANDed.
SearchQuerySerializer = type("SearchQuerySerializer", (_SearchQueryBase,), {
    name: serializers.ListField(child=serializers.CharField(), required=False,
                                help_text=f"Facet filter on {name}; repeat for several values.")
    for name in FACET_NAMES
})


class HitSerializer(serializers.Serializer):
    record_id = serializers.IntegerField()
    control_number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField())
    year = serializers.IntegerField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    material_type = serializers.CharField()
    available = serializers.BooleanField()
    score = serializers.FloatField()
    library = serializers.CharField()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    hits = HitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
    approximate_facets = serializers.ListField(child=serializers.CharField())
    took_ms = serializers.FloatField()
