"""The chain page in a real browser (C4): the vanilla JS fetches the graph page and draws SVG nodes."""

from __future__ import annotations

from typing import Any

from phongdich.tracing.models import ChainSnapshot


def test_chain_page_draws_svg_nodes_in_the_browser_C4(
    cast: Any, chain: dict[str, Any], live_server: Any, browser_page: Any, browser_login: Any
) -> None:
    snapshot = ChainSnapshot.objects.get()
    page = browser_page
    browser_login(page, "cuong", cast.password)
    page.goto(f"{live_server.url}/tracing/")
    page.locator("main a", has_text=chain["case"].case_code).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/tracing/chains/{snapshot.uid}/")
    page.wait_for_selector("#chain-graph g.node")
    # F2 leaves are folded by default: X, A and C are drawn; B (an F2 who infected nobody recorded) is not.
    assert page.locator("#chain-graph g.node").count() == 3
    assert page.locator("#chain-graph g.node.case").count() == 1
    assert page.locator("#chain-graph text.more").all_text_contents() == ["+1"]  # A's folded F2
    assert chain["case"].case_code in page.locator("#chain-graph g.node.case title").text_content()
    assert page.locator("#chain-graph g.node.case text").first.text_content() == chain["case"].case_code.split("-")[-1]
    page.locator("#chain-leaves").uncheck()
    page.wait_for_function("document.querySelectorAll('#chain-graph g.node').length === 4")
    assert page.locator("#chain-graph line.edge").count() >= 3
    assert "Đang hiện 4 người" in page.locator("#chain-status").inner_text()
    page.fill("#chain-q", chain["case"].case_code)
    page.click("#chain-apply")
    page.wait_for_function("document.querySelectorAll('#chain-graph g.node').length === 1")
