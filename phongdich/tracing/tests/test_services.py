"""Recording contacts and deriving F-levels (C4), through the services and the background task."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from phongdich.cases.models import CaseStatus
from phongdich.cases.services import case_transition
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.quarantine.models import Episode, EpisodeKind
from phongdich.quarantine.services import episode_start
from phongdich.tracing.models import ChainNode, ChainSnapshot, Contact, ContactLevel, ExposureType, LevelReason
from phongdich.tracing.services import contact_record, f1_quarantine, levels_refresh, tracing_refresh

from .conftest import confirm, make_person

HOUSEHOLD = ExposureType.HOUSEHOLD


def level(person: Any) -> int | None:
    return ContactLevel.objects.get(person=person).level


def test_f1_f2_derived_from_contacts_C4(chain: dict[str, Any]) -> None:
    x, a, b, c = chain["x"], chain["a"], chain["b"], chain["c"]
    assert level(x) == 0
    assert level(a) == 1
    assert level(b) == 2
    row_b = ContactLevel.objects.get(person=b)
    assert row_b.via_id == a.pk
    assert row_b.index_case_id == chain["case"].pk
    assert row_b.exposed_from == date(2021, 11, 9)
    row_c = ContactLevel.objects.get(person=c)
    assert row_c.level is None
    assert row_c.reason == LevelReason.OUTSIDE
    assert not row_c.within_window
    assert len({r.chain_key for r in ContactLevel.objects.all()}) == 1


def test_levels_rederived_when_f1_becomes_case_C4(chain: dict[str, Any], run_commits: Callable[..., Any]) -> None:
    a, b = chain["a"], chain["b"]
    d = make_person(chain["b"].residence_unit, "Hoàng Văn Dũng")
    run_commits(
        lambda: contact_record(
            actor=None, source=b, contact=d, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 10)
        )
    )
    assert (level(a), level(b), level(d)) == (1, 2, 3)
    # A is tested positive: A is F0, A's contacts F1, theirs F2 (the case signal queues the refresh).
    case_a = run_commits(lambda: confirm(a, onset=date(2021, 11, 11), day=date(2021, 11, 13)))
    assert (level(a), level(b), level(d)) == (0, 1, 2)
    assert ContactLevel.objects.get(person=b).index_case_id == case_a.pk


def test_suspected_case_becoming_confirmed_rederives_C4(tree: Any, run_commits: Callable[..., Any]) -> None:
    from phongdich.cases.models import DetectedIn
    from phongdich.cases.services import case_register

    s, t = make_person(tree.quan_trieu), make_person(tree.quan_trieu)
    case = run_commits(
        lambda: case_register(actor=None, person=s, detected_in=DetectedIn.COMMUNITY, onset_date=date(2021, 11, 10))
    )
    run_commits(
        lambda: contact_record(
            actor=None, source=s, contact=t, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 9)
        )
    )
    assert ContactLevel.objects.get(person=t).reason == LevelReason.NO_CASE
    run_commits(lambda: case_transition(actor=None, case=case, to=CaseStatus.CONFIRMED, on_date=date(2021, 11, 12)))
    assert (level(s), level(t)) == (0, 1)


def test_exposure_after_isolation_not_f1_C4(tree: Any, run_commits: Callable[..., Any]) -> None:
    x, late = make_person(tree.quan_trieu), make_person(tree.quan_trieu)
    run_commits(lambda: episode_start(actor=None, person=x, kind=EpisodeKind.HOME, start_date=date(2021, 11, 11)))
    run_commits(lambda: confirm(x, onset=date(2021, 11, 12), day=date(2021, 11, 13)))
    run_commits(
        lambda: contact_record(
            actor=None, source=x, contact=late, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 14)
        )
    )
    row = ContactLevel.objects.get(person=late)
    assert row.level is None
    assert row.reason == LevelReason.OUTSIDE
    assert ContactLevel.objects.get(person=x).isolated_on == date(2021, 11, 11)


def test_f2_window_ends_when_f1_quarantined_C4(chain: dict[str, Any], run_commits: Callable[..., Any]) -> None:
    a = chain["a"]
    late = make_person(a.residence_unit)
    run_commits(lambda: episode_start(actor=None, person=a, kind=EpisodeKind.HOME, start_date=date(2021, 11, 12)))
    run_commits(
        lambda: contact_record(
            actor=None, source=a, contact=late, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 13)
        )
    )
    assert ContactLevel.objects.get(person=late).level is None
    assert ContactLevel.objects.get(person=a).isolated_on == date(2021, 11, 12)
    assert level(chain["b"]) == 2  # B met A on 09/11, before A's quarantine


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"same": True}, "chính mình"),
        ({"first_exposure": date(2021, 11, 9), "last_exposure": date(2021, 11, 8)}, "không được sau"),
        ({"exposure_type": "telepathy"}, "Hình thức tiếp xúc không hợp lệ"),
        ({"first_exposure": date(2099, 1, 1)}, "tương lai"),
    ],
)
def test_bad_contact_refused_nothing_stored_C4(tree: Any, kwargs: dict[str, Any], message: str) -> None:
    x, a = make_person(tree.quan_trieu), make_person(tree.quan_trieu)
    confirm(x, onset=date(2021, 11, 10), day=date(2021, 11, 12))
    args: dict[str, Any] = {"exposure_type": HOUSEHOLD, "first_exposure": date(2021, 11, 8)}
    same = kwargs.pop("same", False)
    args.update(kwargs)
    with pytest.raises(ValidationFailed) as err:
        contact_record(actor=None, source=x, contact=x if same else a, **args)
    assert message in str(err.value.message)
    assert Contact.objects.count() == 0


def test_duplicate_and_non_index_source_refused_C4(chain: dict[str, Any], tree: Any) -> None:
    before = Contact.objects.count()
    with pytest.raises(ValidationFailed, match="Đã ghi nhận"):
        contact_record(
            actor=None, source=chain["a"], contact=chain["x"], exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 8)
        )
    stranger, other = make_person(tree.quan_trieu), make_person(tree.quan_trieu)
    with pytest.raises(ValidationFailed, match="Người nguồn phải là"):
        contact_record(
            actor=None, source=stranger, contact=other, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 8)
        )
    assert Contact.objects.count() == before


def test_contact_record_scoped_and_audited_C4(chain: dict[str, Any], cast: Any, tree: Any) -> None:
    x = chain["x"]
    neighbour = make_person(tree.quan_trieu)
    with pytest.raises(NotInScope):
        contact_record(
            actor=cast.chi, source=x, contact=neighbour, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 9)
        )
    row = contact_record(
        actor=cast.cuong, source=x, contact=neighbour, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 9)
    )
    assert row.recorded_by == cast.cuong
    assert AuditLog.objects.filter(actor=cast.cuong, action="create", object_uid=str(row.uid)).exists()


def test_f1_quarantine_home_and_refusals_C4(chain: dict[str, Any], cast: Any) -> None:
    a, b, c = chain["a"], chain["b"], chain["c"]
    result = f1_quarantine(actor=cast.alice, people=[a, b, c], kind=EpisodeKind.HOME, start_date=date(2021, 11, 13))
    assert [e.person for e in result.started] == [a]
    assert Episode.objects.get(person=a).kind == EpisodeKind.HOME
    assert {p for p, _m in result.refused} == {b, c}
    assert all("không phải F1" in m for _p, m in result.refused)
    again = f1_quarantine(actor=cast.alice, people=[a], kind=EpisodeKind.HOME, start_date=date(2021, 11, 13))
    assert not again.started
    assert "đang trong một đợt cách ly" in again.refused[0][1]


def test_f1_quarantine_centralised_needs_facility_C4(chain: dict[str, Any], cast: Any) -> None:
    result = f1_quarantine(
        actor=cast.alice, people=[chain["a"]], kind=EpisodeKind.CENTRALISED, start_date=date(2021, 11, 13)
    )
    assert not result.started
    assert "cần chọn cơ sở" in result.refused[0][1]
    assert not Episode.objects.filter(person=chain["a"]).exists()


def test_chain_snapshot_built_in_background_C4(chain: dict[str, Any]) -> None:
    x, a, b, c = chain["x"], chain["a"], chain["b"], chain["c"]
    snapshot = ChainSnapshot.objects.get()
    assert (snapshot.size, snapshot.case_count, snapshot.contact_count, snapshot.generations) == (4, 1, 3, 3)
    assert snapshot.first_case_code == chain["case"].case_code
    assert not snapshot.dirty
    assert snapshot.json["per_generation"] == [1, 2, 1]
    nodes = {n.person_id: n for n in ChainNode.objects.filter(chain=snapshot)}
    assert set(nodes) == {x.pk, a.pk, b.pk, c.pk}
    assert (nodes[x.pk].generation, nodes[x.pk].parent_id, nodes[x.pk].case_code) == (0, None, chain["case"].case_code)
    assert (nodes[a.pk].generation, nodes[a.pk].parent_id, nodes[a.pk].level) == (1, x.pk, 1)
    assert (nodes[b.pk].generation, nodes[b.pk].parent_id, nodes[b.pk].level) == (2, a.pk, 2)
    assert (nodes[c.pk].generation, nodes[c.pk].parent_id, nodes[c.pk].level) == (1, x.pk, None)
    assert nodes[x.pk].children == 2


def test_chains_merge_and_full_rebuild_idempotent_C4(
    chain: dict[str, Any], tree: Any, run_commits: Callable[..., Any]
) -> None:
    y = make_person(tree.quan_trieu)
    other = make_person(tree.quan_trieu)
    run_commits(lambda: confirm(y, onset=date(2021, 11, 10), day=date(2021, 11, 12)))
    run_commits(
        lambda: contact_record(
            actor=None, source=y, contact=other, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 9)
        )
    )
    assert ChainSnapshot.objects.count() == 2
    # B also met Y: the two chains are one.
    run_commits(
        lambda: contact_record(
            actor=None, source=y, contact=chain["b"], exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 9)
        )
    )
    assert ChainSnapshot.objects.count() == 1
    assert ChainSnapshot.objects.get().size == 6
    merged = ChainNode.objects.filter(chain=ChainSnapshot.objects.get())
    assert merged.count() == ChainNode.objects.count() == 6  # the other chain's nodes went with it
    assert sorted(merged.filter(generation=0).values_list("person_id", flat=True)) == sorted([chain["x"].pk, y.pk])
    assert level(chain["b"]) == 1  # now an F1 of Y
    result = tracing_refresh()
    assert result.chains == 1
    assert result.levels_changed == 0
    assert levels_refresh(person_ids=[chain["x"].pk]).levels_changed == 0


def test_case_isolation_day_ends_the_f1_window_C4(chain: dict[str, Any], run_commits: Callable[..., Any]) -> None:
    from phongdich.cases.services import case_set_isolated_on

    x = chain["x"]
    late = make_person(x.residence_unit)
    run_commits(
        lambda: contact_record(
            actor=None, source=x, contact=late, exposure_type=HOUSEHOLD, first_exposure=date(2021, 11, 12)
        )
    )
    assert level(late) == 1  # not isolated yet: the window is open
    run_commits(lambda: case_set_isolated_on(actor=None, case=chain["case"], isolated_on=date(2021, 11, 11)))
    assert level(late) is None  # exposed the day after the case's isolation
    assert level(chain["a"]) == 1  # exposed on 08/11, before it
    assert ContactLevel.objects.get(person=x).isolated_on == date(2021, 11, 11)


def test_chain_coloured_and_filtered_by_cluster_C4(
    chain: dict[str, Any], cast: Any, tree: Any, run_commits: Callable[..., Any]
) -> None:
    from phongdich.cases.services import case_assign_cluster, cluster_create
    from phongdich.tracing.selectors import ChainFilters, chain_graph, chain_list

    cluster = cluster_create(
        actor=None, name="Ổ dịch chợ Quán Triều", start_date=date(2021, 11, 10), place_unit=tree.quan_trieu
    )
    run_commits(lambda: case_assign_cluster(actor=None, case=chain["case"], cluster=cluster))
    snapshot = ChainSnapshot.objects.get()
    assert snapshot.cluster_ids == [cluster.pk]
    page = chain_graph(user=cast.alice, chain=snapshot)
    assert page.clusters == [{"index": 0, "name": "Ổ dịch chợ Quán Triều"}]
    assert [n["cluster"] for n in page.nodes if n["code"]] == [0]
    assert chain_list(user=cast.alice, filters=ChainFilters(cluster_id=cluster.pk)).items == [snapshot]
    assert chain_list(user=cast.alice, filters=ChainFilters(cluster_id=cluster.pk + 1)).items == []
