"""Keyset pagination: pages of a large list without counting the whole table."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Cursor pages ordered by the primary key (newest first unless a view says otherwise)."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return super().get_paginated_response_schema(schema)
