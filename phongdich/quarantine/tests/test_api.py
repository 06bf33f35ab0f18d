"""Quarantine API: facilities, episodes (list/create), audited retrieve, release, acknowledge."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from phongdich.core.models import AuditLog
from phongdich.quarantine.models import EpisodeKind, Handover

from .conftest import make_person


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_start_list_retrieve_release_acknowledge_Q1_Q3(tree: Any, cast: Any, facility: Any) -> None:
    person = make_person(tree.quan_trieu)
    client = api(cast.cuong)
    facilities = client.get(reverse("api:quarantine-facilities")).json()
    assert [(f["name"], f["occupancy"], f["capacity"]) for f in facilities] == [(facility.name, 0, 2)]
    payload = {
        "person": str(person.uid),
        "kind": EpisodeKind.CENTRALISED,
        "facility": str(facility.uid),
        "start_date": "2021-07-14",
        "reason": "F1",
    }
    response = client.post(reverse("api:quarantine-episodes"), payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["planned_end"], body["rule"]) == ("2021-07-27", "Công văn 5599/BYT-MT (14/07/2021)")
    again = client.post(reverse("api:quarantine-episodes"), payload, format="json")
    assert again.status_code == 400
    assert "person" in again.json()
    listed = client.get(reverse("api:quarantine-episodes")).json()
    assert [e["uid"] for e in listed["results"]] == [body["uid"]]
    assert api(cast.chi).get(reverse("api:quarantine-episodes")).json()["results"] == []
    detail = reverse("api:quarantine-episode", args=[body["uid"]])
    assert client.get(detail).status_code == 200
    assert AuditLog.objects.filter(actor=cast.cuong, action="read", object_uid=body["uid"]).exists()
    assert api(cast.chi).get(detail).status_code == 404
    release = client.post(
        reverse("api:quarantine-release", args=[body["uid"]]), {"on": "2021-07-28"}, format="json"
    ).json()
    assert release["released"]["status"] == "released"
    assert (release["next_episode"]["kind"], release["next_episode"]["planned_end"]) == ("home", "2021-08-10")
    handover = Handover.objects.get()
    url = reverse("api:quarantine-handover-acknowledge", args=[handover.uid])
    assert api(cast.chi).post(url).status_code == 404
    ack = client.post(url).json()
    assert ack["acknowledged_at"] is not None
    assert ack["overdue"] is False
    assert client.post(url).status_code == 400


def test_field_errors_Q3(tree: Any, cast: Any) -> None:
    client = api(cast.cuong)
    person = make_person(tree.quan_trieu)
    response = client.post(
        reverse("api:quarantine-episodes"),
        {"person": str(person.uid), "kind": "centralised", "start_date": str(date(2021, 11, 1))},
        format="json",
    )
    assert response.status_code == 400
    assert "facility" in response.json()
    response = client.post(reverse("api:quarantine-episodes"), {"kind": "x"}, format="json")
    assert response.status_code == 400
    assert {"person", "kind", "start_date"} <= set(response.json())


def test_facility_create_is_scoped_and_checked_Q1(tree: Any, cast: Any) -> None:
    from phongdich.quarantine.models import Facility

    url = reverse("api:quarantine-facilities")
    data = {"name": "Khách sạn Sông Cầu", "kind": "hotel", "unit": str(tree.quan_trieu.uid), "capacity": 30}
    refused = api(cast.chi).post(url, data, format="json")
    assert refused.status_code == 400
    assert "unit" in refused.json()
    assert api(cast.hoa).post(url, {**data, "unit": str(tree.xom1.uid)}, format="json").status_code in (400, 403)
    assert api(cast.cuong).post(url, {**data, "capacity": 0}, format="json").status_code == 400
    assert not Facility.objects.exists()
    created = api(cast.cuong).post(url, data, format="json")
    assert created.status_code == 201
    assert (created.json()["name"], created.json()["occupancy"], created.json()["ready"]) == (data["name"], 0, True)
    assert [f["name"] for f in api(cast.cuong).get(url).json()] == [data["name"]]
