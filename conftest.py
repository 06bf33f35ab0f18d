"""Shared test fixtures: a small province and a cast of officers, one per role.

alice    province administrator (whole province)
dan      district officer of Thành phố Thái Nguyên
cuong    commune officer of Phường Quán Triều
chi      commune officer of Phường Quang Vinh (the out-of-scope officer for Quán Triều)
hoa      hamlet head of Xóm 1 (Quán Triều)
oanh     head of Công ty TNHH Mẫu (an enterprise in Phổ Yên)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# under one unless told it is safe (it is: the loop is Playwright's, not Django's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Tree:
    province: Any
    city: Any  # Thành phố Thái Nguyên
    pho_yen: Any
    quan_trieu: Any
    quang_vinh: Any
    dac_son: Any  # a commune of Phổ Yên
    xom1: Any  # a hamlet of Quán Triều


@pytest.fixture
def tree(db: Any) -> Tree:
    from phongdich.geo.models import Level, UnitType
    from phongdich.geo.services import unit_create

    p = unit_create(tree="2021", code="19", name="Tỉnh Thái Nguyên", level=Level.PROVINCE, unit_type=UnitType.TINH)
    city = unit_create(
        tree="2021",
        code="164",
        name="Thành phố Thái Nguyên",
        level=Level.DISTRICT,
        unit_type=UnitType.THANH_PHO,
        parent=p,
    )
    pho_yen = unit_create(
        tree="2021", code="172", name="Thị xã Phổ Yên", level=Level.DISTRICT, unit_type=UnitType.THI_XA, parent=p
    )
    qt = unit_create(
        tree="2021", code="05431", name="Phường Quán Triều", level=Level.COMMUNE, unit_type=UnitType.PHUONG, parent=city
    )
    qv = unit_create(
        tree="2021", code="05434", name="Phường Quang Vinh", level=Level.COMMUNE, unit_type=UnitType.PHUONG, parent=city
    )
    ds = unit_create(
        tree="2021", code="05857", name="Xã Đắc Sơn", level=Level.COMMUNE, unit_type=UnitType.XA, parent=pho_yen
    )
    x1 = unit_create(
        tree="2021", code="05431-01", name="Tổ dân phố 1", level=Level.HAMLET, unit_type=UnitType.TO_DAN_PHO, parent=qt
    )
    return Tree(p, city, pho_yen, qt, qv, ds, x1)


@dataclass
class Cast:
    alice: Any
    dan: Any
    cuong: Any
    chi: Any
    hoa: Any
    oanh: Any
    enterprise: Any
    password: str = "matkhau-thu-nghiem"


@pytest.fixture
def cast(tree: Tree) -> Cast:
    from phongdich.core.models import User
    from phongdich.orgs.models import OrganisationKind, Role
    from phongdich.orgs.services import organisation_create, role_assign

    password = "matkhau-thu-nghiem"

    def user(username: str, first: str) -> Any:
        return User.objects.create_user(username=username, password=password, first_name=first)

    enterprise = organisation_create(
        name="Công ty TNHH Mẫu", kind=OrganisationKind.ENTERPRISE, unit=tree.dac_son, address="KCN Yên Bình"
    )
    c = Cast(
        alice=user("alice", "Alice"),
        dan=user("dan", "Dân"),
        cuong=user("cuong", "Cường"),
        chi=user("chi", "Chi"),
        hoa=user("hoa", "Hoa"),
        oanh=user("oanh", "Oanh"),
        enterprise=enterprise,
        password=password,
    )
    role_assign(user=c.alice, role=Role.PROVINCE_ADMIN, unit=tree.province)
    role_assign(user=c.dan, role=Role.DISTRICT_OFFICER, unit=tree.city)
    role_assign(user=c.cuong, role=Role.COMMUNE_OFFICER, unit=tree.quan_trieu)
    role_assign(user=c.chi, role=Role.COMMUNE_OFFICER, unit=tree.quang_vinh)
    role_assign(user=c.hoa, role=Role.HAMLET_HEAD, unit=tree.xom1)
    role_assign(user=c.oanh, role=Role.ORGANISATION_HEAD, organisation=enterprise)
    return c


# --- The append-only audit log and transactional tests ---------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable() -> None:
    """Transactional tests (live_server) flush the database; let the flush empty the audit log too."""
    from phongdich.core.testing import allow_flushing_audit_log

    allow_flushing_audit_log()


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Transactional tests (live_server, transactional_db, ``django_db(transaction=True)``) flush the database
    when they end, which also empties the rows the data migrations seed (rule sets, vaccine products, test
    rules, holidays …). Each such test restores them first (serialized rollback), so a test never depends on
    whether another transactional test ran before it in the same process."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None:
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if kwargs.get("transaction") or "live_server" in names or "transactional_db" in names:
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """Keep the serialized seed rows on the connection class, not only on the connection object the test
    database was created with: a browser test (Playwright's greenlets) can leave the main thread with a new
    connection object, and the next transactional test would otherwise restore nothing."""
    from django.db import connections

    for conn in connections.all():
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents is not None:
            type(conn)._test_serialized_contents = contents  # type: ignore[attr-defined]


# --- Browser tests (Playwright with Debian's Chromium) -----------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(_chromium: Any) -> Iterator[Any]:
    """A fresh Chromium page (own cookies) in Vietnamese; pair it with ``live_server``."""
    context = _chromium.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def browser_login(live_server: Any) -> Callable[[Any, str, str], None]:
    """``browser_login(page, username, password)``: signs in through the real login form."""

    def login(page: Any, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()

    return login
