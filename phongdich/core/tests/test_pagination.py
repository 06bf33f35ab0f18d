"""The links of a keyset-paged page keep its filters and never count the table (D4)."""

from __future__ import annotations

from django.test import RequestFactory

from phongdich.core.pagination import filter_params, page_links


def test_first_page_with_a_next_page_keeps_the_filters_D4() -> None:
    request = RequestFactory().get("/cases/", {"status": "confirmed", "unit": ""})
    params = filter_params(request, ("status", "unit", "q"))
    assert params == {"status": "confirmed"}
    assert page_links(request, params, "abc") == {
        "params": "status=confirmed",
        "next_url": "?status=confirmed&after=abc",
        "first_url": "",
    }


def test_last_page_after_the_first_links_back_to_the_first_D4() -> None:
    request = RequestFactory().get("/cases/", {"status": "confirmed", "after": "abc"})
    links = page_links(request, filter_params(request, ("status",)), None)
    assert links == {"params": "status=confirmed", "next_url": "", "first_url": "?status=confirmed"}
    assert page_links(request, {}, 42)["next_url"] == "?after=42"
