"""Tracing pages (C4): home, contacts list (filters, scope, export audited), recording a contact from a case,
F1 not yet in quarantine with the quarantine action, chains list and the chain page; query counts pinned."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from phongdich.core.models import AuditAction, AuditLog
from phongdich.quarantine.models import Episode, EpisodeKind
from phongdich.tracing.models import ChainSnapshot, Contact, ContactLevel, ExposureType
from phongdich.tracing.services import contact_record

from .conftest import make_person


def login(client: Client, user: Any, cast: Any) -> Client:
    assert client.login(username=user.username, password=cast.password)
    return client


def test_home_lists_chains_and_unquarantined_f1_C4(client: Client, cast: Any, chain: dict[str, Any]) -> None:
    login(client, cast.cuong, cast)
    page = client.get(reverse("tracing:clusters")).content.decode()
    assert chain["case"].case_code in page
    assert chain["a"].full_name in page  # the F1, not yet quarantined
    assert reverse("tracing:contacts") in page
    assert reverse("tracing:chains") in page


def listed(page: str, person: Any) -> bool:
    """Whether ``person`` is listed as a contact (their name links to their page)."""
    return reverse("people:detail", args=[person.uid]) in page


def test_contacts_list_filters_and_scope_C4(client: Client, cast: Any, chain: dict[str, Any]) -> None:
    a, b, c = chain["a"], chain["b"], chain["c"]
    login(client, cast.cuong, cast)
    page = client.get(reverse("tracing:contacts")).content.decode()
    assert listed(page, a)
    assert listed(page, b)
    assert listed(page, c)
    page = client.get(reverse("tracing:contacts"), {"level": "2"}).content.decode()
    assert listed(page, b)
    assert not listed(page, a)
    page = client.get(reverse("tracing:contacts"), {"level": "outside"}).content.decode()
    assert listed(page, c)
    assert not listed(page, b)
    page = client.get(reverse("tracing:contacts"), {"index_case": chain["case"].case_code, "level": "1"}).content
    assert listed(page.decode(), a)
    assert not listed(page.decode(), b)
    page = client.get(reverse("tracing:contacts"), {"unquarantined": "on"}).content.decode()
    assert listed(page, a)
    assert not listed(page, b)
    assert not listed(page, c)
    page = client.get(reverse("tracing:contacts"), {"person": str(a.uid)}).content.decode()
    assert listed(page, a)
    assert listed(page, b)
    assert not listed(page, c)
    # chi (Quang Vinh) sees only the link to C, who lives there; not X → A, A → B.
    login(client, cast.chi, cast)
    page = client.get(reverse("tracing:contacts")).content.decode()
    assert listed(page, c)
    assert not listed(page, b)
    assert not listed(page, a)
    assert b.full_name not in page


def test_contacts_list_query_count_flat_C4(client: Client, cast: Any, chain: dict[str, Any]) -> None:
    login(client, cast.dan, cast)
    client.get(reverse("tracing:contacts"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("tracing:contacts")).status_code == 200
    for _i in range(15):
        contact_record(
            actor=None,
            source=chain["x"],
            contact=make_person(chain["x"].residence_unit),
            exposure_type=ExposureType.GATHERING,
            first_exposure=date(2021, 11, 9),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("tracing:contacts")).status_code == 200
    assert len(many) == len(few)


def test_contacts_export_is_audited_C4(client: Client, cast: Any, chain: dict[str, Any]) -> None:
    login(client, cast.cuong, cast)
    response = client.get(reverse("tracing:contacts-export"), {"level": "1"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Người nguồn"
    assert [r[1] for r in rows[1:]] == [chain["a"].full_name]
    assert rows[1][5] == "F1"
    line = AuditLog.objects.get(actor=cast.cuong, action=AuditAction.EXPORT, object_type="tracing.contact")
    assert line.detail["rows"] == 1
    assert line.detail["level"] == "1"
    response = client.get(reverse("tracing:chains-export"))
    assert response.status_code == 200
    assert AuditLog.objects.filter(
        actor=cast.cuong, action=AuditAction.EXPORT, object_type="tracing.chainsnapshot"
    ).exists()


def test_record_contact_from_case_page_C4(
    client: Client, cast: Any, chain: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    login(client, cast.cuong, cast)
    new = make_person(chain["x"].residence_unit, "Vương Thị Mới")
    url = reverse("tracing:contact-create", args=[chain["case"].uid])
    page = client.get(url, {"q": "Vương Thị"}).content.decode()
    assert new.full_name in page
    assert f"?contact={new.uid}" in page
    form = {
        "contact": str(new.uid),
        "exposure_type": "vehicle",
        "first_exposure": "2021-11-09",
        "place_text": "Xe khách",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302
    row = Contact.objects.get(contact=new)
    assert row.source == chain["x"]
    assert row.place_text == "Xe khách"
    assert ContactLevel.objects.get(person=new).level == 1
    # Bad input: reversed dates — a Vietnamese message on the form, nothing stored.
    other = make_person(chain["x"].residence_unit)
    bad = {
        "contact": str(other.uid),
        "exposure_type": "meal",
        "first_exposure": "2021-11-09",
        "last_exposure": "2021-11-08",
    }
    page = client.post(url, bad).content.decode()
    assert "Ngày tiếp xúc đầu tiên không được sau ngày tiếp xúc cuối cùng." in page
    assert not Contact.objects.filter(contact=other).exists()
    # An unknown person: a message, nothing stored.
    response = client.post(url, {**bad, "contact": "00000000-0000-0000-0000-000000000001"}, follow=True)
    assert "Không tìm thấy người này trong địa bàn." in response.content.decode()
    # Another commune's officer cannot open the case's form.
    login(client, cast.chi, cast)
    assert client.get(url).status_code == 404


def test_f1_page_puts_selected_f1_into_quarantine_C4(
    client: Client, cast: Any, chain: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    login(client, cast.cuong, cast)
    page = client.get(reverse("tracing:f1")).content.decode()
    assert chain["a"].full_name in page
    assert chain["b"].full_name not in page
    form = {
        "person": [str(chain["a"].uid)],
        "kind": EpisodeKind.HOME,
        "start_date": "2021-11-13",
        "vaccination": "none",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tracing:f1"), form, follow=True)
    assert "Đã đưa 1 người vào cách ly." in response.content.decode()
    assert Episode.objects.get(person=chain["a"]).kind == EpisodeKind.HOME
    page = client.get(reverse("tracing:f1")).content.decode()
    assert "Mọi F1 đã ghi nhận đều đã được cách ly." in page
    # Centralised without a facility: the quarantine service's message, no episode.
    d = make_person(chain["x"].residence_unit)
    with django_capture_on_commit_callbacks(execute=True):
        contact_record(actor=None, source=chain["x"], contact=d, exposure_type="meal", first_exposure=date(2021, 11, 9))
    form = {"person": [str(d.uid)], "kind": EpisodeKind.CENTRALISED, "start_date": "2021-11-13", "vaccination": "none"}
    response = client.post(reverse("tracing:f1"), form, follow=True)
    assert "Cách ly tập trung cần chọn cơ sở cách ly." in response.content.decode()
    assert not Episode.objects.filter(person=d).exists()


def test_chains_list_and_chain_page_scoped_C4(client: Client, cast: Any, chain: dict[str, Any], tree: Any) -> None:
    snapshot = ChainSnapshot.objects.get()
    login(client, cast.chi, cast)  # C lives in Quang Vinh: chi sees the chain, without the others' names
    page = client.get(reverse("tracing:chains")).content.decode()
    assert reverse("tracing:chain", args=[snapshot.uid]) in page
    page = client.get(reverse("tracing:chain", args=[snapshot.uid])).content.decode()
    assert 'id="chain-graph"' in page
    assert "phongdich/tracing/chain.js" in page
    # An officer of a commune with nobody of the chain gets 404.
    from phongdich.core.models import User
    from phongdich.orgs.models import Role
    from phongdich.orgs.services import role_assign

    ds = User.objects.create_user(username="son", password=cast.password)
    role_assign(user=ds, role=Role.COMMUNE_OFFICER, unit=tree.dac_son)
    login(client, ds, cast)
    assert client.get(reverse("tracing:chain", args=[snapshot.uid])).status_code == 404
    assert reverse("tracing:chain", args=[snapshot.uid]) not in client.get(reverse("tracing:chains")).content.decode()
    login(client, cast.alice, cast)
    page = client.get(reverse("tracing:chains"), {"min_size": "5"}).content.decode()
    assert reverse("tracing:chain", args=[snapshot.uid]) not in page
    page = client.get(reverse("tracing:chains"), {"unit": str(tree.quang_vinh.uid)}).content.decode()
    assert reverse("tracing:chain", args=[snapshot.uid]) in page


def test_person_page_shows_tracing_section_C4(client: Client, cast: Any, chain: dict[str, Any]) -> None:
    login(client, cast.cuong, cast)
    page = client.get(reverse("people:detail", args=[chain["b"].uid])).content.decode()
    assert 'id="panel-tracing"' in page
    assert "F2" in page
    assert chain["a"].full_name in page
    assert reverse("tracing:contact-create-person", args=[chain["b"].uid]) in page


def test_pages_need_login_C4(client: Client, db: Any) -> None:
    for name in ("tracing:clusters", "tracing:contacts", "tracing:chains", "tracing:f1"):
        assert client.get(reverse(name)).status_code == 302


def test_f1_page_exports_the_unquarantined_f1_audited_C4(client: Client, cast: Any, chain: dict[str, Any]) -> None:
    login(client, cast.cuong, cast)
    page = client.get(reverse("tracing:f1")).content.decode()
    link = f"{reverse('tracing:contacts-export')}?level=1&amp;unquarantined=on"
    assert link in page
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = {row[1] for row in rows[1:]}
    assert chain["a"].full_name in names  # the F1 not yet quarantined
    assert chain["b"].full_name not in names  # an F2
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=cast.cuong).exists()
