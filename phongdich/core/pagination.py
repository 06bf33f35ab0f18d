"""Keyset pagination: pages of a large list without counting the whole table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


@dataclass(frozen=True)
class Page:
    """One keyset page of a server-rendered list: ``next_after`` is the key of the last row when there
    are more rows (no COUNT of the whole list), None on the last page."""

    items: list[Any]
    next_after: Any = None


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


def query_limit(request: Request, default: int = KeysetPagination.page_size) -> int:
    """The API's ``?limit=`` (a page size), or a 400 with the field error when it is not a number."""
    try:
        return int(request.query_params.get("limit", str(default)))
    except ValueError:
        raise serializers.ValidationError({"limit": [_("Phải là số nguyên.")]}) from None


def next_page_url(request: Request, after: str | int | None) -> str | None:
    """The API's next page: the same query with ``after`` set, or None on the last page."""
    if not after:
        return None
    params = request.query_params.copy()
    params["after"] = str(after)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
