"""Page-number pagination with a bounded count (DESIGN.md, "The REST API")."""

from collections import OrderedDict

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# Counting a million visible rows exactly costs hundreds of milliseconds; above this the count
# is a lower bound and the response says so.
EXACT_COUNT_LIMIT = 10_000


class BoundedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not hasattr(object_list, "query"):
            return len(object_list)
        bounded = object_list[: EXACT_COUNT_LIMIT + 1].count()
        self.count_exact = bounded <= EXACT_COUNT_LIMIT
        return bounded


class OfficePagination(PageNumberPagination):
    django_paginator_class = BoundedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            OrderedDict(
                [
                    ("count", paginator.count),
                    ("count_exact", getattr(paginator, "count_exact", True)),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "false when count is a lower bound (more than 10000 rows).",
        }
        response["required"] = ["count", "count_exact", "results"]
        return response
