"""Clusters and the isolation day: services, rules, database constraints, scope and audit (C3, C4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, Cluster, ClusterStatus, DetectedIn
from phongdich.cases.services import (
    CLUSTER_CLOSED,
    CLUSTER_NOT_IN_SCOPE,
    CLUSTER_PLACE_REQUIRED,
    DATE_IN_FUTURE,
    ISOLATED_BEFORE_DETECTION,
    case_assign_cluster,
    case_register,
    case_set_isolated_on,
    case_transition,
    cluster_create,
    cluster_update,
)
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import Premises
from phongdich.orgs.services import premises_create

from .conftest import at, make_person

DAY = date(2021, 11, 3)


def _confirmed(unit: Any, *, detected_in: str = DetectedIn.COMMUNITY, **extra: Any) -> Case:
    return case_register(
        actor=None,
        person=make_person(unit),
        status=CaseStatus.CONFIRMED,
        detected_in=detected_in,
        sampling_date=DAY,
        confirmed_at=at(DAY),
        **extra,
    )


@pytest.fixture
def factory_cluster(cast: Any, tree: Any) -> Cluster:
    return cluster_create(actor=cast.alice, name="Ổ dịch công ty mẫu", start_date=DAY, organisation=cast.enterprise)


def test_cluster_takes_its_unit_from_the_place_C3(cast: Any, tree: Any) -> None:
    workshop = premises_create(organisation=cast.enterprise, name="Xưởng may 2", kind=Premises.Kind.WORKSHOP)
    at_org = cluster_create(actor=None, name="A", start_date=DAY, organisation=cast.enterprise)
    at_premises = cluster_create(actor=None, name="B", start_date=DAY, premises=workshop)
    at_hamlet = cluster_create(actor=None, name="C", start_date=DAY, place_unit=tree.xom1)
    assert at_org.unit == tree.dac_son
    assert at_org.place == cast.enterprise
    assert at_premises.unit == tree.dac_son
    assert at_premises.organisation == cast.enterprise
    assert at_premises.place == workshop
    assert at_hamlet.unit == tree.xom1
    assert at_hamlet.place == tree.xom1
    assert at_org.status == ClusterStatus.ACTIVE
    assert at_org.closed_on is None
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_uid=str(at_org.uid)).exists()


def test_cluster_needs_a_place_in_service_and_database_C3(tree: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        cluster_create(actor=None, name="Không nơi", start_date=DAY)
    assert exc.value.message == CLUSTER_PLACE_REQUIRED
    with pytest.raises(ValidationFailed):
        cluster_create(actor=None, name="Cấp huyện", start_date=DAY, place_unit=tree.pho_yen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cluster.objects.create(name="Không nơi", unit=tree.dac_son, start_date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cluster.objects.create(name="X", unit=tree.dac_son, place_unit=tree.dac_son, start_date=DAY, status="closed")
    assert not Cluster.objects.exists()


def test_cluster_dates_and_closing_C3(factory_cluster: Cluster, cast: Any) -> None:
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        cluster_create(actor=None, name="Sau", start_date=future, organisation=cast.enterprise)
    assert exc.value.field == "start_date"
    assert exc.value.message == DATE_IN_FUTURE
    common = {"name": "Ổ dịch công ty mẫu", "start_date": DAY, "organisation": cast.enterprise}
    with pytest.raises(ValidationFailed) as exc:
        cluster_update(actor=cast.alice, cluster=factory_cluster, status="closed", **common)
    assert exc.value.field == "closed_on"
    with pytest.raises(ValidationFailed) as exc:
        cluster_update(
            actor=cast.alice, cluster=factory_cluster, status="closed", closed_on=DAY - timedelta(days=1), **common
        )
    assert exc.value.field == "closed_on"
    closed_on = DAY + timedelta(days=28)
    cluster_update(actor=cast.alice, cluster=factory_cluster, status="closed", closed_on=closed_on, **common)
    assert factory_cluster.status == ClusterStatus.CLOSED
    assert factory_cluster.closed_on == closed_on
    reopened = cluster_update(actor=cast.alice, cluster=factory_cluster, status="active", **common)
    assert reopened.is_active
    assert reopened.closed_on is None


def test_cluster_scope_C3(factory_cluster: Cluster, cast: Any, tree: Any) -> None:
    # Dân has the city; the factory is in Phổ Yên.
    with pytest.raises(NotInScope) as exc:
        cluster_create(actor=cast.dan, name="Ngoài địa bàn", start_date=DAY, organisation=cast.enterprise)
    assert exc.value.message == CLUSTER_NOT_IN_SCOPE
    case = _confirmed(tree.dac_son)
    with pytest.raises(NotInScope):
        case_assign_cluster(actor=cast.dan, case=case, cluster=factory_cluster)
    assert cluster_create(actor=cast.dan, name="Tổ 1", start_date=DAY, place_unit=tree.xom1).unit == tree.xom1


def test_case_assign_cluster_and_take_out_audited_C3(factory_cluster: Cluster, cast: Any, tree: Any) -> None:
    case = _confirmed(tree.dac_son)
    before = AuditLog.objects.filter(action=AuditAction.UPDATE).count()
    case_assign_cluster(actor=cast.alice, case=case, cluster=factory_cluster)
    assert list(factory_cluster.cases.all()) == [case]
    # Assigning the same cluster again changes nothing and writes no audit line.
    case_assign_cluster(actor=cast.alice, case=case, cluster=factory_cluster)
    assert AuditLog.objects.filter(action=AuditAction.UPDATE).count() == before + 1
    case_assign_cluster(actor=cast.alice, case=case, cluster=None)
    case.refresh_from_db()
    assert case.cluster is None
    assert AuditLog.objects.filter(action=AuditAction.UPDATE).count() == before + 2


def test_closed_cluster_and_discarded_case_refused_C3(factory_cluster: Cluster, cast: Any, tree: Any) -> None:
    suspected = case_register(actor=None, person=make_person(tree.dac_son), detected_in=DetectedIn.COMMUNITY)
    discarded = case_transition(actor=None, case=suspected, to=CaseStatus.DISCARDED, on_date=DAY)
    with pytest.raises(ValidationFailed):
        case_assign_cluster(actor=None, case=discarded, cluster=factory_cluster)
    cluster_update(
        actor=None,
        cluster=factory_cluster,
        name=factory_cluster.name,
        start_date=DAY,
        organisation=cast.enterprise,
        status="closed",
        closed_on=DAY,
    )
    case = _confirmed(tree.dac_son)
    with pytest.raises(ValidationFailed) as exc:
        case_assign_cluster(actor=None, case=case, cluster=factory_cluster)
    assert exc.value.message == CLUSTER_CLOSED
    case.refresh_from_db()
    assert case.cluster is None


def test_cluster_is_protected_while_it_has_cases_C3(factory_cluster: Cluster, tree: Any) -> None:
    from django.db.models import ProtectedError

    _confirmed(tree.dac_son, cluster=factory_cluster)
    with pytest.raises(ProtectedError):
        factory_cluster.delete()


def test_register_with_isolation_day_C4(tree: Any) -> None:
    case = _confirmed(tree.dac_son, isolated_on=DAY + timedelta(days=1))
    assert case.isolated_on == DAY + timedelta(days=1)


@pytest.mark.parametrize(
    ("detected_in", "isolated_days_from_sampling", "error_field"),
    [
        (DetectedIn.COMMUNITY, 0, None),
        (DetectedIn.COMMUNITY, 2, None),
        # Found in the community: they cannot have been isolated before the sample was taken.
        (DetectedIn.COMMUNITY, -1, "isolated_on"),
        (DetectedIn.HEALTH_FACILITY, -3, "isolated_on"),
        # Found in quarantine: isolated before, up to the longest quarantine and monitoring (28 days).
        (DetectedIn.QUARANTINE, -10, None),
        (DetectedIn.QUARANTINE, -28, None),
        (DetectedIn.QUARANTINE, -29, "isolated_on"),
        (DetectedIn.ENTRY, -20, None),
    ],
)
def test_isolation_day_rules_C4(
    tree: Any, detected_in: str, isolated_days_from_sampling: int, error_field: str | None
) -> None:
    isolated_on = DAY + timedelta(days=isolated_days_from_sampling)
    if error_field is None:
        assert _confirmed(tree.dac_son, detected_in=detected_in, isolated_on=isolated_on).isolated_on == isolated_on
    else:
        with pytest.raises(ValidationFailed) as exc:
            _confirmed(tree.dac_son, detected_in=detected_in, isolated_on=isolated_on)
        assert exc.value.field == error_field
        assert not Case.objects.exists()


def test_isolation_day_not_in_future_and_set_later_C4(tree: Any, cast: Any) -> None:
    case = _confirmed(tree.quan_trieu)
    with pytest.raises(ValidationFailed) as exc:
        case_set_isolated_on(actor=cast.alice, case=case, isolated_on=timezone.localdate() + timedelta(days=1))
    assert exc.value.message == DATE_IN_FUTURE
    with pytest.raises(ValidationFailed) as exc:
        case_set_isolated_on(actor=cast.alice, case=case, isolated_on=DAY - timedelta(days=1))
    assert exc.value.message == ISOLATED_BEFORE_DETECTION
    with pytest.raises(NotInScope):
        case_set_isolated_on(actor=cast.chi, case=case, isolated_on=DAY)
    case_set_isolated_on(actor=cast.cuong, case=case, isolated_on=DAY)
    case.refresh_from_db()
    assert case.isolated_on == DAY
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, summary__contains=case.case_code).exists()
    case_set_isolated_on(actor=cast.cuong, case=case, isolated_on=None)
    case.refresh_from_db()
    assert case.isolated_on is None
