"""Response plans per level (R6): the list of agencies lacking a plan is exactly right, scoped, filtered and
counted; attachments must be PDFs within the size limit; a new version keeps the old; pages, export, API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from phongdich.command.models import ResponsePlan, ResponsePlanVersion
from phongdich.command.selectors import missing_counts, missing_plans_page
from phongdich.command.services import plan_record
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.orgs.models import Organisation

from .conftest import pdf

pytestmark = pytest.mark.django_db

# Which levels each organisation has a plan for, then the expected "lacking" rows for each level filter.
HAVE = {"ubnd_city": {1, 2, 3, 4}, "school": {1, 2}, "hospital": {4}, "enterprise": set()}
CASES = [
    (None, {"school": [3, 4], "hospital": [1, 2, 3], "enterprise": [1, 2, 3, 4]}),
    (1, {"hospital": [1, 2, 3], "enterprise": [1, 2, 3, 4]}),
    (2, {"hospital": [1, 2, 3], "enterprise": [1, 2, 3, 4]}),
    (3, {"school": [3, 4], "hospital": [1, 2, 3], "enterprise": [1, 2, 3, 4]}),
    (4, {"school": [3, 4], "enterprise": [1, 2, 3, 4]}),
]


@pytest.fixture
def recorded(orgs: Any, cast: Any, plan_data: dict[str, Any]) -> dict[str, Organisation]:
    by_key = {
        "ubnd_city": orgs.ubnd_city,
        "school": orgs.school,
        "hospital": orgs.hospital,
        "enterprise": orgs.enterprise,
    }
    for key, levels in HAVE.items():
        for level in levels:
            plan_record(actor=cast.alice, organisation=by_key[key], level=level, **plan_data)
    return by_key


@pytest.mark.parametrize(("level", "expected"), CASES)
def test_missing_plan_list_exact_per_level_R6(
    recorded: dict[str, Organisation], cast: Any, level: int | None, expected: dict[str, list[int]]
) -> None:
    names = {org.pk: key for key, org in recorded.items()}
    page = missing_plans_page(user=cast.alice, level=level)
    assert {names[row.organisation.pk]: row.missing for row in page.items} == expected
    assert page.next_after is None


def test_missing_counts_per_level_R6(recorded: dict[str, Organisation], cast: Any) -> None:
    counts = missing_counts(user=cast.alice)
    assert counts == {"total": 4, "any": 3, "1": 2, "2": 2, "3": 3, "4": 2}


def test_missing_list_scoped_head_district_province_R6(recorded: dict[str, Organisation], cast: Any, tree: Any) -> None:
    def keys(user: Any, **filters: Any) -> set[str]:
        names = {org.pk: key for key, org in recorded.items()}
        return {names[row.organisation.pk] for row in missing_plans_page(user=user, **filters).items}

    assert keys(cast.oanh) == {"enterprise"}  # an organisation head: their own
    assert keys(cast.dan) == {"school"}  # the city's district officer: the city's organisations
    assert keys(cast.alice) == {"school", "hospital", "enterprise"}  # the province: all
    assert keys(cast.alice, district=tree.pho_yen) == {"enterprise"}
    assert keys(cast.alice, kind="hospital") == {"hospital"}
    assert missing_counts(user=cast.dan)["total"] == 2  # UBND city and the school


def test_missing_list_pages_by_keyset_R6(recorded: dict[str, Organisation], cast: Any) -> None:
    first = missing_plans_page(user=cast.alice, limit=2)
    assert len(first.items) == 2
    assert first.next_after is not None
    second = missing_plans_page(user=cast.alice, limit=2, after=first.next_after)
    seen = [r.organisation.pk for r in first.items + second.items]
    assert len(seen) == len(set(seen)) == 3


def test_new_version_keeps_the_old_and_the_attachment_R6(orgs: Any, cast: Any, plan_data: dict[str, Any]) -> None:
    first = plan_record(actor=cast.alice, organisation=orgs.school, level=3, attachment=pdf(), **plan_data)
    old_file = first.attachment.name
    second = plan_record(
        actor=orgs.tuan, organisation=orgs.school, level=3, **{**plan_data, "title": "Phương án sửa đổi"}
    )
    assert second.pk == first.pk
    assert second.version == 2
    assert second.title == "Phương án sửa đổi"
    assert second.attachment.name == old_file  # no new file: the PDF carries over
    versions = list(ResponsePlanVersion.objects.filter(plan=second).order_by("version"))
    assert [(v.version, v.title) for v in versions] == [(1, plan_data["title"]), (2, "Phương án sửa đổi")]
    third = plan_record(actor=orgs.tuan, organisation=orgs.school, level=3, attachment=pdf("moi.pdf"), **plan_data)
    assert third.attachment.name != old_file
    assert ResponsePlanVersion.objects.get(plan=third, version=1).attachment.name == old_file  # the old file kept
    assert ResponsePlan.objects.filter(organisation=orgs.school).count() == 1
    assert AuditLog.objects.filter(object_type="command.responseplan").count() == 3


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("plan.docx"), "Chỉ nhận tệp PDF"),
        (lambda: pdf("plan.pdf", b"PK\x03\x04 not a pdf"), "Chỉ nhận tệp PDF"),
        (lambda: pdf("plan.pdf", b"%PDF-1.4" + b"0" * 2048), "Tệp quá lớn"),
        (lambda: pdf("plan.pdf", b""), "Tệp rỗng"),
    ],
)
def test_attachment_must_be_a_pdf_within_the_limit_R6(
    orgs: Any, cast: Any, plan_data: dict[str, Any], settings: Any, upload: Any, message: str
) -> None:
    settings.COMMAND_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed, match=message) as exc:
        plan_record(actor=cast.alice, organisation=orgs.school, level=1, attachment=upload(), **plan_data)
    assert exc.value.field == "attachment"
    assert not ResponsePlan.objects.exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"title": " "}, "title"),
        ({"approved_by": ""}, "approved_by"),
        ({"level": 5}, "level"),
        ({"content": ""}, "content"),
    ],
)
def test_plan_refuses_bad_input_R6(
    orgs: Any, cast: Any, plan_data: dict[str, Any], override: dict[str, Any], field: str
) -> None:
    data = {"level": 1, **plan_data, **override}
    with pytest.raises(ValidationFailed) as exc:
        plan_record(actor=cast.alice, organisation=orgs.school, **data)
    assert exc.value.field == field


def test_who_may_record_a_plan_R6(orgs: Any, cast: Any, plan_data: dict[str, Any]) -> None:
    plan_record(actor=orgs.tuan, organisation=orgs.school, level=1, **plan_data)  # its head
    plan_record(actor=cast.dan, organisation=orgs.school, level=2, **plan_data)  # the district above
    plan_record(actor=cast.cuong, organisation=orgs.school, level=3, **plan_data)  # the commune it is in
    for user in (cast.chi, cast.oanh, cast.hoa, orgs.tuan):
        with pytest.raises(PermissionDenied):
            plan_record(
                actor=user, organisation=orgs.enterprise if user is orgs.tuan else orgs.school, level=4, **plan_data
            )


def test_pages_plans_missing_org_plans_and_form_R6(
    client: Any, orgs: Any, cast: Any, plan_data: dict[str, Any]
) -> None:
    client.force_login(orgs.tuan)
    response = client.get(reverse("command:plans_missing"))
    assert response.status_code == 200
    assert "Trường Tiểu học Quán Triều" in response.content.decode()
    assert "Công ty TNHH Mẫu" not in response.content.decode()  # out of the head's scope
    url = reverse("command:plan_edit", kwargs={"uid": orgs.school.uid, "level": 2})
    bad = client.post(url, {**plan_data, "approved_on": "2021-11-10", "attachment": pdf("x.pdf", b"not a pdf")})
    assert bad.status_code == 400
    assert "Chỉ nhận tệp PDF" in bad.content.decode()
    ok = client.post(url, {**plan_data, "approved_on": "2021-11-10", "attachment": pdf()})
    assert ok.status_code == 302
    page = client.get(reverse("command:org_plans", kwargs={"uid": orgs.school.uid}))
    assert "Còn thiếu 3 phương án" in page.content.decode()
    version = ResponsePlanVersion.objects.get()
    file = client.get(reverse("command:plan_file", kwargs={"uid": version.uid}))
    assert file.status_code == 200
    assert b"".join(file.streaming_content).startswith(b"%PDF")
    client.force_login(cast.oanh)
    assert client.get(reverse("command:plan_file", kwargs={"uid": version.uid})).status_code == 404
    assert client.get(reverse("command:org_plans", kwargs={"uid": orgs.school.uid})).status_code == 404
    assert client.post(url, {**plan_data, "approved_on": "2021-11-10"}).status_code == 404


def test_missing_plans_export_is_audited_R6(client: Any, recorded: dict[str, Organisation], cast: Any) -> None:
    client.force_login(cast.alice)
    response = client.get(reverse("command:plans_missing_export"), {"level": "4"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="thieu-phuong-an-')
    line = AuditLog.objects.filter(action="export").latest("id")
    assert line.detail["rows"] == 2
    assert line.detail["level"] == 4


def test_api_missing_and_record_R6(
    client: Any, recorded: dict[str, Organisation], cast: Any, plan_data: dict[str, Any], orgs: Any
) -> None:
    client.force_login(cast.dan)
    response = client.get("/api/v1/command/plans/missing/", {"level": "3"})
    assert response.status_code == 200
    body = response.json()
    assert [r["organisation"]["name"] for r in body["results"]] == ["Trường Tiểu học Quán Triều"]
    assert body["counts"]["3"] == 1
    assert client.get("/api/v1/command/plans/missing/", {"level": "7"}).status_code == 400
    data = {
        **plan_data,
        "approved_on": "2021-11-10",
        "organisation": str(orgs.school.uid),
        "level": 3,
        "attachment": pdf(),
    }
    created = client.post("/api/v1/command/plans/", data)
    assert created.status_code == 201
    assert created.json()["has_attachment"] is True
    bad = client.post("/api/v1/command/plans/", {**data, "level": 4, "attachment": pdf("a.pdf", b"GIF89a")})
    assert bad.status_code == 400
    assert "attachment" in bad.json()
    out = client.post("/api/v1/command/plans/", {**data, "organisation": str(orgs.enterprise.uid), "attachment": pdf()})
    assert out.status_code == 400
    assert "organisation" in out.json()
