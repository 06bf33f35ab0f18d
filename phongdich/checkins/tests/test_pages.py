"""Pages: the public scan page (M1, C4) and the officials' code and poster pages (M1)."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from phongdich.checkins.models import PremisesCode
from phongdich.checkins.services import premises_code_issue, premises_code_revoke
from phongdich.core.models import AuditLog
from phongdich.orgs.models import Premises
from phongdich.orgs.services import premises_create

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> int:
    """Page objects of a PDF, looking inside its compressed object streams too."""
    text = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.DOTALL):
        try:
            text += zlib.decompress(stream)
        except zlib.error:
            continue
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", text))


# --- The public scan page -------------------------------------------------------------------


def test_scan_page_and_everything_it_loads_stays_under_50_kb_C4(client: Client, workshop_code: PremisesCode) -> None:
    response = client.get(f"/c/{workshop_code.token}/")
    assert response.status_code == 200
    html = response.content
    assert "Xưởng may số 1".encode() in html
    # What the page loads: no stylesheet, no image, no framework — one small script of our own.
    # (Links to other pages, such as the personal health QR, are not loaded.)
    loaded = re.findall(rb'src="(/[^"]+)"', html)
    assert [u.decode() for u in loaded] == ["/static/phongdich/checkins/scan.js"]
    assert b'href="/qr/"' in html
    assert b"<link" not in html
    assert b"<img" not in html
    script = finders.find("phongdich/checkins/scan.js")
    assert script
    with open(script, "rb") as handle:
        total = len(html) + len(handle.read())
    assert total < 50 * 1024, total


def test_revoked_poster_says_so_with_410_M1(client: Client, workshop_code: PremisesCode) -> None:
    premises_code_revoke(actor=None, code=workshop_code, reason="in lại")
    response = client.get(f"/c/{workshop_code.token}/")
    assert response.status_code == 410
    assert "Mã QR này đã bị thu hồi" in response.content.decode()


def test_forged_poster_token_is_404_with_vietnamese_page_M1(client: Client, workshop_code: PremisesCode) -> None:
    token = workshop_code.token
    forged = token[:-1] + ("x" if token[-1] != "x" else "y")  # one character off (a token may end in "x")
    response = client.get(f"/c/{forged}/")
    assert response.status_code == 404
    assert "Mã QR không hợp lệ" in response.content.decode()


def test_closed_premises_is_410_M1(client: Client, workshop_code: PremisesCode) -> None:
    premises = workshop_code.premises
    premises.is_active = False
    premises.save()
    response = client.get(f"/c/{workshop_code.token}/")
    assert response.status_code == 410
    assert "ngừng sử dụng" in response.content.decode()


# --- Officials' pages -----------------------------------------------------------------------


def test_org_head_issues_revokes_and_reissues_from_the_page_M1(client: Client, cast: Any, workshop: Premises) -> None:
    client.force_login(cast.oanh)
    index = client.get("/checkins/")
    assert index.status_code == 200
    assert cast.enterprise.name in index.content.decode()
    page = client.get(f"/checkins/org/{cast.enterprise.uid}/")
    assert "chưa có mã QR" in page.content.decode()
    client.post(f"/checkins/premises/{workshop.uid}/issue/")
    first = PremisesCode.objects.active().get(premises=workshop)
    page = client.get(f"/checkins/org/{cast.enterprise.uid}/").content.decode()
    assert f"/c/{first.token}/" in page
    client.post(f"/checkins/premises/{workshop.uid}/issue/", {"reason": "áp phích bị rách"})
    second = PremisesCode.objects.active().get(premises=workshop)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.reason == "áp phích bị rách"
    client.post(f"/checkins/premises/{workshop.uid}/revoke/", {"reason": "chuyển địa điểm"})
    assert not PremisesCode.objects.active().filter(premises=workshop).exists()
    assert AuditLog.objects.filter(actor=cast.oanh, object_type="checkins.premisescode").count() == 4


def test_outsiders_cannot_see_or_change_codes_M1(client: Client, cast: Any, workshop: Premises) -> None:
    client.force_login(cast.chi)  # a commune officer of Quang Vinh; the workshop is in Phổ Yên
    assert client.get(f"/checkins/org/{cast.enterprise.uid}/").status_code == 404
    assert client.post(f"/checkins/premises/{workshop.uid}/issue/").status_code == 404
    assert not PremisesCode.objects.exists()


def test_hamlet_head_sees_but_may_not_issue_M1(client: Client, cast: Any, tree: Any) -> None:
    from phongdich.orgs.models import OrganisationKind
    from phongdich.orgs.services import organisation_create

    org = organisation_create(name="Trường Mầm non Hoa Sen", kind=OrganisationKind.SCHOOL, unit=tree.xom1)
    premises = premises_create(organisation=org, name="Cổng trường", kind=Premises.Kind.GATE)
    client.force_login(cast.hoa)
    page = client.get(f"/checkins/org/{org.uid}/")
    assert page.status_code == 200
    assert "Cấp mã QR" not in page.content.decode()
    assert client.post(f"/checkins/premises/{premises.uid}/issue/").status_code == 403
    assert not PremisesCode.objects.exists()


def test_poster_pdf_has_the_qr_url_and_is_audited_M1(client: Client, cast: Any, workshop_code: PremisesCode) -> None:
    client.force_login(cast.oanh)
    response = client.get(f"/checkins/premises/{workshop_code.premises.uid}/poster.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _pages(response.content) == 1
    assert AuditLog.objects.filter(actor=cast.oanh, action="export", object_uid=str(workshop_code.uid)).exists()


def test_poster_html_has_title_names_and_site_url_M1(workshop_code: PremisesCode, settings: Any) -> None:
    from django.template.loader import render_to_string

    from phongdich.checkins.posters import qr_svg_uri, scan_url

    settings.SITE_URL = "https://phongdich.thainguyen.gov.vn"
    url = scan_url(workshop_code)
    assert url == f"https://phongdich.thainguyen.gov.vn/c/{workshop_code.token}/"
    html = render_to_string(
        "checkins/poster.html",
        {"pages": [{"code": workshop_code, "premises": workshop_code.premises, "url": url, "qr": qr_svg_uri(url)}]},
    )
    for text in ("QUÉT MÃ QR KHI RA VÀO", "Xưởng may số 1", "Công ty TNHH Mẫu", url, "data:image/svg+xml"):
        assert text in html


def test_district_pdf_has_one_page_per_active_code_M1(
    client: Client, cast: Any, tree: Any, workshop_code: PremisesCode
) -> None:
    canteen = premises_create(organisation=cast.enterprise, name="Nhà ăn ca", kind=Premises.Kind.CANTEEN)
    premises_code_issue(actor=None, premises=canteen)
    old_line = premises_create(organisation=cast.enterprise, name="Xưởng cũ", kind=Premises.Kind.WORKSHOP)
    premises_code_revoke(actor=None, code=premises_code_issue(actor=None, premises=old_line))
    client.force_login(cast.alice)
    response = client.get(f"/checkins/district/{tree.pho_yen.uid}/posters.pdf")
    assert response.status_code == 200
    assert _pages(response.content) == 2
    # The city district has no premises with codes: a message, no empty PDF.
    empty = client.get(f"/checkins/district/{tree.city.uid}/posters.pdf", follow=True)
    assert "Chưa có địa điểm nào" in empty.content.decode()
    client.force_login(cast.dan)  # district officer of the city, not of Phổ Yên
    assert client.get(f"/checkins/district/{tree.pho_yen.uid}/posters.pdf").status_code == 404


def test_scan_page_is_limited_per_address_too_C4(client: Client, workshop_code: PremisesCode, settings: Any) -> None:
    settings.CHECKIN_RATE_PER_MINUTE = 5
    settings.CHECKIN_RATE_WINDOW_SECONDS = 86_400
    statuses = [client.get(f"/c/{workshop_code.token}/").status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    busy = client.get(f"/c/{workshop_code.token}/")
    assert "Quá nhiều yêu cầu từ địa chỉ này" in busy.content.decode()
    # The API keeps its own count: the page's burst does not use it up.
    assert client.post("/api/v1/checkins", data="{}", content_type="application/json").status_code == 400
