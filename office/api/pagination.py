"""Page-number pagination with a bounded count (DESIGN.md, "The REST API"), and keyset (cursor)
pages for the lists that are walked deep or whole.

``BoundedCountPaginator`` is Django's ``Paginator`` whose count stops at ``EXACT_COUNT_LIMIT + 1``
and runs as ``SELECT count(*) FROM (SELECT id … WHERE … LIMIT n)``: no ORDER BY, no joins only the
page needs, no annotations that are not filters. The API (``OfficePagination``) and the HTML
pages (``office.pages.page_of``) both use it.

``RecordPagination`` (the flows' lists, ``office.workflow.api.RecordViewSet``) answers page
numbers exactly like ``OfficePagination``; given ``?cursor=`` it answers the rows after the
cursor's row in the list's own ordering (keyset: an index range, however deep), with ``next`` a
cursor link. A cursor is signed, so a junk or altered one is a 400, never a 500."""

from __future__ import annotations

from collections import OrderedDict

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Counting a million visible rows exactly costs hundreds of milliseconds; above this the count
# is a lower bound and the response says so.
EXACT_COUNT_LIMIT = 10_000


def counted(rows: QuerySet) -> QuerySet:
    """What a count needs of ``rows``: their ids in no order (the filters stay, the select_related,
    the selected annotations and the ORDER BY go)."""
    rows = rows.order_by()
    query = rows.query
    if query.combinator or query.distinct_fields or query.group_by is not None or query.values_select:
        return rows  # a union, DISTINCT ON, a GROUP BY or a values() row: counted as it is
    return rows.values("pk")


def rows_slice(rows, bottom: int, top: int):
    """``rows[bottom:top]``, the ids first: the ordering index (which carries what ``visible_to``
    reads) finds them without touching a row it will not show, then only those rows are read, in
    the same order. A plain slice would fetch every row it skips and every row it rejects."""
    if not isinstance(rows, QuerySet) or not rows.ordered or rows.query.combinator or rows.query.values_select:
        return rows[bottom:top]
    return rows.filter(pk__in=rows.values("pk")[bottom:top])


# From this row on a page and its count read one walk of the list's ordering (``deep_page``).
DEEP_PAGE_FROM = 1_000


class BoundedCountPaginator(Paginator):
    """A ``Paginator`` whose ``count`` is exact up to ``EXACT_COUNT_LIMIT``; above it the count is
    ``EXACT_COUNT_LIMIT + 1`` ("more than") and ``count_exact`` is false."""

    count_exact = True
    count_limit = EXACT_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if not hasattr(object_list, "query"):
            return len(object_list)
        limit = EXACT_COUNT_LIMIT  # read here, so a test can lower it
        bounded = counted(object_list)[: limit + 1].count()
        self._bounded(bounded, limit)
        return bounded

    def _bounded(self, count: int, limit: int) -> None:
        self.count_exact = count <= limit
        self.count_limit = limit

    def page(self, number):
        """Django's page, but a lower-bound count does not cut the last page short: its rows
        are there all the same."""
        if (page := self.deep_page(number)) is not None:
            return page
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count_exact and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_slice(self.object_list, bottom, top), number, self)

    def deep_page(self, number):
        """A page from row ``DEEP_PAGE_FROM`` to the count's limit, with its count, from one walk:
        the ids of the first ``limit + 1`` rows in the list's order (the ordering index, which
        carries what ``visible_to`` reads). The count and the page's offset would each walk the
        same rows; None when the page is not such a page (or the count is known)."""
        rows, limit = self.object_list, EXACT_COUNT_LIMIT
        if "count" in self.__dict__ or not isinstance(rows, QuerySet) or not rows.ordered:
            return None
        if rows.query.combinator or rows.query.values_select or rows.query.distinct_fields:
            return None
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return None
        bottom = (wanted - 1) * self.per_page
        if bottom < DEEP_PAGE_FROM or bottom + self.per_page > limit:
            return None
        ids = list(rows.values_list("pk", flat=True)[: limit + 1])
        self.__dict__["count"] = len(ids)
        self._bounded(len(ids), limit)
        number = self.validate_number(number)  # past the end: 404 as any page (EmptyPage)
        bottom = (number - 1) * self.per_page
        shown = ids[bottom : bottom + self.per_page]
        if self.count_exact and bottom + self.per_page + self.orphans >= len(ids):
            shown = ids[bottom:]
        return self._get_page(rows.filter(pk__in=shown), number, self)

    @property
    def count_limit_text(self) -> str:
        """The limit as a page prints it when the count is a lower bound: ``10,000``."""
        return f"{self.count_limit:,}"


class OfficePagination(PageNumberPagination):
    django_paginator_class = BoundedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return self.paginated(
            paginator.count, paginator.count_exact, self.get_next_link(), self.get_previous_link(), data
        )

    @staticmethod
    def paginated(count: int, count_exact: bool, next_link, previous_link, data) -> Response:
        return Response(
            OrderedDict(
                [
                    ("count", count),
                    ("count_exact", count_exact),
                    ("next", next_link),
                    ("previous", previous_link),
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


# --- Keyset pages ---------------------------------------------------------------------------------

CURSOR_SALT = "office.api.pagination.cursor"


class InvalidCursor(serializers.ValidationError):
    def __init__(self):
        super().__init__({"cursor": [_("翻页游标无效：请从列表第一页（cursor 为空）重新开始，并沿 next 链接翻页。")]})


class Key:
    """One term of a list's ordering: a field path (``updated_at``, ``number__year``), its
    direction, and whether it can be NULL (PostgreSQL sorts NULL last ascending, first descending)."""

    def __init__(self, model, name: str, descending: bool):
        self.name, self.descending = name, descending
        self.path = [model._meta.pk.name if part == "pk" else part for part in name.split("__")]
        opts, self.nullable = model._meta, False
        try:
            for index, part in enumerate(self.path):
                field = opts.get_field(part)
                self.nullable |= bool(getattr(field, "null", False))
                if field.is_relation:
                    if index == len(self.path) - 1:
                        raise ImproperlyConfigured(f"Keyset pages cannot order by the relation {name!r}.")
                    opts = field.related_model._meta
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"Keyset pages cannot order by {name!r}.") from exc
        self.field = field

    @property
    def ordering(self) -> str:
        return ("-" if self.descending else "") + self.name

    def value_of(self, row):
        for part in self.path:
            row = getattr(row, part) if row is not None else None
        return row

    def encode(self, value):
        if value is None or isinstance(value, bool | int | float | str):
            return value
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    def decode(self, value):
        return None if value is None else self.field.to_python(value)

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def after(self, value) -> Q | None:
        """Rows after ``value`` on this key alone (None: none)."""
        if value is None:  # NULL comes first descending, last ascending
            return Q(**{f"{self.name}__isnull": False}) if self.descending else None
        after = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        if self.nullable and not self.descending:
            after |= Q(**{f"{self.name}__isnull": True})
        return after


def keys_of(queryset: QuerySet) -> list[Key]:
    """The list's ordering (its ``order_by``, else the model's), made total with the primary key."""
    query = queryset.query
    terms = list(query.order_by) or (list(query.get_meta().ordering) if query.default_ordering else [])
    keys = []
    for term in terms:
        if isinstance(term, OrderBy) and isinstance(term.expression, F):
            term = ("-" if term.descending else "") + term.expression.name
        if not isinstance(term, str) or term == "?":
            raise ImproperlyConfigured(f"Keyset pages need an ordering by fields, not {term!r}.")
        keys.append(Key(queryset.model, term.lstrip("-"), term.startswith("-")))
    pk = queryset.model._meta.pk.name
    if not any(key.path == [pk] for key in keys):
        keys.append(Key(queryset.model, pk, keys[-1].descending if keys else False))
    return keys


def rows_after(keys: list[Key], values: list) -> Q:
    """``(k1, k2, …) > (v1, v2, …)`` in the keys' directions, written so that the leading key is
    an index range (``k1 <= v1`` descending) and the others only settle ties."""
    condition = Q(pk__in=[])
    for index, key in enumerate(keys):
        after = key.after(values[index])
        if after is None:
            continue
        ties = Q()
        for earlier, value in zip(keys[:index], values[:index], strict=True):
            ties &= earlier.equal(value)
        condition |= ties & after
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        condition &= Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": value})
    return condition


class RecordPagination(OfficePagination):
    """Page numbers as ``OfficePagination``; with ``?cursor=`` (empty for the first page) keyset
    pages in the list's ordering, ``next`` a cursor link and ``previous`` null."""

    cursor_query_param = "cursor"
    cursor_actions = ("list",)
    cursor_query_description = gettext_lazy(
        "键集翻页（适合深翻页和逐页读取全部记录）：传空值 cursor= 取第一页，之后沿 next 链接（其中带有游标）"
        "翻页，直到 next 为 null；顺序与列表默认顺序相同，给出 cursor 时忽略 page，previous 为 null。"
        "游标不透明且带签名：无效或被改动的游标答 400（code: invalid，errors.cursor）。"
    )
    keyset = False

    def cursor_parameters(self, view) -> tuple[str, ...]:
        """The query parameters this paginator reads on ``view``'s action beyond page numbers."""
        return (self.cursor_query_param,) if getattr(view, "action", None) in self.cursor_actions else ()

    def uses_cursor(self, request, view) -> bool:
        return bool(self.cursor_parameters(view)) and self.cursor_query_param in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = self.uses_cursor(request, view)
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        keys = keys_of(queryset)
        rows = queryset.order_by(*(key.ordering for key in keys))
        token = request.query_params[self.cursor_query_param]
        if token:
            rows = rows.filter(rows_after(keys, self.decode(token, queryset.model, keys)))
        page = list(rows_slice(rows, 0, size + 1))
        self.counter = BoundedCountPaginator(queryset, size)
        self.next_cursor = self.encode(page[size - 1], queryset.model, keys) if len(page) > size else None
        return page[:size]

    def get_paginated_response(self, data):
        if not self.keyset:
            return super().get_paginated_response(data)
        return self.paginated(self.counter.count, self.counter.count_exact, self.get_next_link(), None, data)

    def get_next_link(self):
        if not self.keyset:
            return super().get_next_link()
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    @staticmethod
    def salt(model) -> str:
        return f"{CURSOR_SALT}:{model._meta.label_lower}"

    def encode(self, row, model, keys: list[Key]) -> str:
        payload = {"k": [key.ordering for key in keys], "v": [key.encode(key.value_of(row)) for key in keys]}
        return signing.dumps(payload, salt=self.salt(model), compress=True)

    def decode(self, token: str, model, keys: list[Key]) -> list:
        """The cursor's key values; a cursor that is not ours, altered, or from another ordering is
        refused (400)."""
        try:
            payload = signing.loads(token, salt=self.salt(model))
            if payload["k"] != [key.ordering for key in keys] or len(payload["v"]) != len(keys):
                raise InvalidCursor()
            return [key.decode(value) for key, value in zip(keys, payload["v"], strict=True)]
        except (signing.BadSignature, DjangoValidationError, KeyError, TypeError, ValueError) as exc:
            raise InvalidCursor() from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        if self.cursor_parameters(view):
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": str(self.cursor_query_description),
                    "schema": {"type": "string"},
                }
            )
        return parameters
