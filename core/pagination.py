"""One way to page a list in the API, and its shape in the schema.

Every list endpoint answers the envelope of DRF's ``PageNumberPagination`` (``PAGE_SIZE`` rows a page, ``?page=``
from 1): ``{"count", "next", "previous", "results"}``. ``paginate`` gives that answer, ``page_of`` its schema, so
the documented shape cannot drift from the one served. A page that does not exist (``?page=0``, past the end, not
a number) is DRF's 404 ``{"detail": "Invalid page."}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination as DRFPageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class PageNumberPagination(DRFPageNumberPagination):
    """DRF's, but an empty ``?page=`` is an invalid page (404) rather than silently the first."""

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return 1
        return paginator.num_pages if number in self.last_page_strings else number


def paginate(request: Request, rows: Iterable[Any], serialize: Callable[[Sequence[Any]], Any]) -> Response:
    """The page ``?page=`` asks for of ``rows`` (an ordered queryset or list), each page serialized at once by
    ``serialize`` (so a serializer can compute per-page figures in constant queries)."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(serialize(page))


_PAGES: dict[type[serializers.BaseSerializer], type[serializers.Serializer]] = {}


def page_of(row: type[serializers.BaseSerializer], name: str = "") -> type[serializers.Serializer]:
    """The schema of a page of ``row``s: ``MissionSerializer`` → ``MissionPageSerializer`` (component
    ``MissionPage``; ``name="Domain"`` keeps a component's published name, ``DomainPage``). One class per row
    serializer, so the schema has one component per list shape."""
    if row not in _PAGES:
        name = (name or row.__name__.removesuffix("Serializer")) + "PageSerializer"
        _PAGES[row] = type(name, (serializers.Serializer,), {
            "__module__": row.__module__,
            "__doc__": f"A page of {row.__name__.removesuffix('Serializer')} rows.",
            "count": serializers.IntegerField(min_value=0, help_text="Rows in the whole list, all pages."),
            "next": serializers.URLField(allow_null=True, help_text="The next page's URL; null on the last."),
            "previous": serializers.URLField(allow_null=True, help_text="The previous page's URL; null on the first."),
            "results": row(many=True),
        })
    return _PAGES[row]
