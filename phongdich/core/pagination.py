"""Keyset pagination: pages of a large list without counting the whole table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Cursor pages ordered by the primary key (newest first unless a view says otherwise)."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return super().get_paginated_response_schema(schema)


def page_links(request: HttpRequest, params: Mapping[str, str], next_after: str | int | None) -> dict[str, str]:
    """What a keyset-paged page's template needs: the filters as a query string (``params``), the
    next page's address (``next_url``, empty on the last page) and the first page's (``first_url``,
    empty on the first page)."""
    return {
        "params": urlencode(params),
        "next_url": f"?{urlencode({**params, 'after': next_after})}" if next_after else "",
        "first_url": f"?{urlencode(params)}" if request.GET.get("after") else "",
    }


def filter_params(request: HttpRequest, keys: Iterable[str]) -> dict[str, str]:
    """The filters among ``keys`` that the request sets (empty ones are left out)."""
    return {k: request.GET[k] for k in keys if request.GET.get(k)}
