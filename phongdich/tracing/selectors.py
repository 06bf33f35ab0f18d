"""Reads for contact tracing (C4), always through the user's scope (D4).

A contact is visible when its contact person or its source person is visible
(``Person.objects.for_user``). A chain is visible when one of its people lives in the user's units.
Lists are keyset pages without counts; the chain graph is served a page of nodes at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from phongdich.cases.models import Case
from phongdich.core.audit import audit
from phongdich.core.ids import parse_uuid
from phongdich.core.models import AuditAction
from phongdich.core.text import fold
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person
from phongdich.quarantine.models import Episode

from .models import ChainNode, ChainSnapshot, Contact, ContactLevel

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
GRAPH_PAGE = 500
MAX_GRAPH_PAGE = 1000

LEVEL_FILTERS = ("0", "1", "2", "3", "outside")


def in_quarantine_q(person_field: str, since_field: str) -> Exists:
    """Whether the person has a quarantine episode that had not ended by ``since`` (started or still open)."""
    return Exists(
        Episode.objects.filter(person_id=OuterRef(person_field)).filter(
            Q(released_on__isnull=True) | Q(released_on__gte=OuterRef(since_field))
        )
    )


def visible_contacts(user: Any) -> QuerySet[Contact]:
    """Contacts whose contact person or source person the user may see (the rule of ``Person.for_user``).

    Written on the people's units and organisations directly (small subqueries), not through a
    subquery of every visible person, so a province-wide list stays an index walk.
    """
    scope = scope_for(user)
    if scope.everything:
        return Contact.objects.all()
    conditions: list[Q] = []
    if scope.unit_paths:
        units = scope.units().values("pk")
        conditions += [Q(contact__residence_unit__in=units), Q(source__residence_unit__in=units)]
    if scope.org_paths:
        orgs = Organisation.objects.filter(reduce(or_, (Q(path__startswith=p) for p in scope.org_paths))).values("pk")
        conditions += [Q(contact__organisation__in=orgs), Q(source__organisation__in=orgs)]
    if not conditions:
        return Contact.objects.none()
    return Contact.objects.filter(reduce(or_, conditions))


@dataclass(frozen=True)
class ContactFilters:
    level: str = ""
    index_case: Case | None = None
    person: Person | None = None
    unit: Unit | None = None
    unquarantined: bool = False
    exposure_type: str = ""


def contact_queryset(*, user: Any, filters: ContactFilters | None = None) -> QuerySet[Contact]:
    f = filters or ContactFilters()
    qs = visible_contacts(user)
    if f.level == "outside":
        qs = qs.filter(contact__tracing_level__level__isnull=True)
    elif f.level == "3":
        qs = qs.filter(contact__tracing_level__level__gte=3)
    elif f.level in LEVEL_FILTERS:
        qs = qs.filter(contact__tracing_level__level=int(f.level))
    if f.index_case is not None:
        qs = qs.filter(contact__tracing_level__index_case=f.index_case)
    if f.person is not None:
        qs = qs.filter(Q(source=f.person) | Q(contact=f.person))
    if f.unit is not None:
        qs = qs.filter(contact__residence_unit__in=Unit.objects.subtree(f.unit).values("pk"))
    if f.exposure_type:
        qs = qs.filter(exposure_type=f.exposure_type)
    if f.unquarantined:
        qs = qs.filter(contact__tracing_level__level=1).exclude(
            in_quarantine_q("contact_id", "contact__tracing_level__exposed_from")
        )
    return qs.select_related(
        "source",
        "contact",
        "contact__residence_unit",
        "contact__tracing_level",
        "contact__tracing_level__index_case",
        "organisation",
        "premises",
        "place_unit",
    )


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_after: str | None


def _after_pk(model: Any, after: str | None) -> int | None:
    key = parse_uuid(after) if after else None
    if key is None:
        return None
    pk: int | None = model.objects.filter(uid=key).values_list("pk", flat=True).first()
    return pk


def contact_list(
    *, user: Any, filters: ContactFilters | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """One keyset page of contacts, newest first; ``after`` is the uid of the last one of the page before."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = contact_queryset(user=user, filters=filters)
    pk = _after_pk(Contact, after)
    if pk is not None:
        qs = qs.filter(pk__lt=pk)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def f1_unquarantined_queryset(*, user: Any, unit: Unit | None = None) -> QuerySet[ContactLevel]:
    """F1s (people, once each) in the user's scope with no quarantine episode since their exposure."""
    people = Person.objects.for_user(user)
    if unit is not None:
        people = people.filter(residence_unit__in=Unit.objects.subtree(unit).values("pk"))
    return (
        ContactLevel.objects.filter(level=1, person__in=people.values("pk"))
        .exclude(in_quarantine_q("person_id", "exposed_from"))
        .select_related("person", "person__residence_unit", "index_case", "via")
    )


def f1_unquarantined_list(
    *, user: Any, unit: Unit | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """One keyset page of F1s not yet in quarantine (``after``: the position token of the page before)."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = f1_unquarantined_queryset(user=user, unit=unit)
    if after:
        person_pk = _after_pk(Person, after)
        if person_pk is not None:
            qs = qs.filter(person_id__lt=person_pk)
    rows = list(qs.order_by("-person_id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].person.uid) if more and rows else None)


# --- chains -----------------------------------------------------------------------------------


def visible_chains(user: Any) -> QuerySet[ChainSnapshot]:
    scope = scope_for(user)
    if scope.everything:
        return ChainSnapshot.objects.all()
    nodes = scope.filter(ChainNode.objects.all(), unit_field="unit", org_field=None)
    return ChainSnapshot.objects.filter(pk__in=nodes.values("chain_id"))


@dataclass(frozen=True)
class ChainFilters:
    cluster_id: int | None = None
    unit: Unit | None = None
    min_size: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    with_case: bool = False


def chain_queryset(*, user: Any, filters: ChainFilters | None = None) -> QuerySet[ChainSnapshot]:
    f = filters or ChainFilters()
    qs = visible_chains(user)
    if f.cluster_id is not None:
        qs = qs.filter(pk__in=ChainNode.objects.filter(cluster_id=f.cluster_id).values("chain_id"))
    if f.unit is not None:
        units = Unit.objects.subtree(f.unit).values("pk")
        qs = qs.filter(pk__in=ChainNode.objects.filter(unit__in=units).values("chain_id"))
    if f.min_size:
        qs = qs.filter(size__gte=f.min_size)
    if f.date_from is not None:
        qs = qs.filter(last_date__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(first_date__lte=f.date_to)
    if f.with_case:
        qs = qs.filter(case_count__gt=0)
    return qs.select_related("unit")


def chain_list(
    *, user: Any, filters: ChainFilters | None = None, after: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """One keyset page of chains, largest first; ``after`` is the uid of the last chain of the page before."""
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    qs = chain_queryset(user=user, filters=filters)
    key = parse_uuid(after) if after else None
    if key is not None:
        last = ChainSnapshot.objects.filter(uid=key).values_list("size", "pk").first()
        if last is not None:
            qs = qs.filter(Q(size__lt=last[0]) | Q(size=last[0], pk__lt=last[1]))
    rows = list(qs.order_by("-size", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def chain_get(*, user: Any, uid: Any) -> ChainSnapshot:
    key = parse_uuid(uid)
    chain = visible_chains(user).filter(uid=key).select_related("unit").first() if key else None
    if chain is None:
        raise Http404
    return chain


def cluster_names(cluster_ids: list[int]) -> dict[int, str]:
    """Names of the clusters (``cases.Cluster``, when that model exists)."""
    from django.apps import apps

    try:
        model = apps.get_model("cases", "Cluster")
    except LookupError:
        return {}
    if not cluster_ids:
        return {}
    names = {f.name for f in model._meta.get_fields()}
    label = "name" if "name" in names else "pk"
    return {pk: str(value) for pk, value in model.objects.filter(pk__in=cluster_ids).values_list("pk", label)}


def cluster_choices(user: Any, limit: int = 200) -> list[tuple[str, str]]:
    """Clusters in the user's scope to filter chains by, newest first (uid, name)."""
    from django.apps import apps

    try:
        model = apps.get_model("cases", "Cluster")
    except LookupError:
        return []
    qs = scope_for(user).filter(model.objects.all(), unit_field="unit", org_field=None)
    return [(str(u), str(n)) for u, n in qs.order_by("-pk").values_list("uid", "name")[:limit]]


def cluster_id_for(uid: Any) -> int | None:
    from django.apps import apps

    key = parse_uuid(uid)
    try:
        model = apps.get_model("cases", "Cluster")
    except LookupError:
        return None
    if key is None:
        return None
    pk: int | None = model.objects.filter(uid=key).values_list("pk", flat=True).first()
    return pk


@dataclass(frozen=True)
class GraphPage:
    chain: ChainSnapshot
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    clusters: list[dict[str, Any]]
    next_after: str | None
    hidden_leaves: bool


def _cursor(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        g, p = (int(x) for x in text.split("-", 1))
    except ValueError:
        return None
    return g, p


def chain_graph(
    *,
    user: Any,
    chain: ChainSnapshot,
    max_generation: int | None = None,
    hide_leaves: bool = False,
    q: str = "",
    after: str | None = None,
    limit: int = GRAPH_PAGE,
) -> GraphPage:
    """A page of a chain's nodes in layout order (generation, position) and the links among them.

    The work is proportional to the page: one range of the layout index, the parents of the page's
    nodes and the recorded contacts among them. Names are shown only for people in the user's scope.
    """
    limit = max(1, min(int(limit), MAX_GRAPH_PAGE))
    scope = scope_for(user)
    qs = ChainNode.objects.filter(chain=chain)
    if max_generation is not None:
        qs = qs.filter(generation__lte=max_generation)
    if hide_leaves:
        # F2 and further contacts who infected nobody recorded: folded into their parent.
        qs = qs.exclude(case__isnull=True, children=0, generation__gte=2)
    q = (q or "").strip()[:60]
    if q:
        folded = fold(q)
        qs = qs.filter(Q(case_code__istartswith=q) | Q(person__name_folded__startswith=folded))
    cursor = _cursor(after)
    if cursor is not None:
        g, p = cursor
        qs = qs.filter(Q(generation__gt=g) | Q(generation=g, position__gt=p))
    rows = list(qs.order_by("generation", "position").select_related("person", "parent", "unit")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    cluster_index = {cid: i for i, cid in enumerate(chain.cluster_ids or [])}
    names = cluster_names(list(cluster_index))
    nodes = []
    for n in rows:
        visible = scope.contains_unit(n.unit)
        nodes.append(
            {
                "id": str(n.person.uid),
                "code": n.case_code,
                "name": n.person.full_name if visible else "",
                "level": n.level,
                "status": n.status,
                "gen": n.generation,
                "pos": n.position,
                "parent": str(n.parent.uid) if n.parent else None,
                "children": n.children,
                "cluster": cluster_index.get(n.cluster_id) if n.cluster_id else None,
                "unit": n.unit.name,
                "in_scope": visible,
            }
        )
    ids = [n.person_id for n in rows]
    uid_of = {n.person_id: str(n.person.uid) for n in rows}
    edges = []
    if ids:
        links = Contact.objects.filter(source_id__in=ids, contact_id__in=ids).values_list(
            "source_id", "contact_id", "exposure_type", "first_exposure", "last_exposure"
        )
        for s, c, kind, first, last in links:
            edges.append(
                {"from": uid_of[s], "to": uid_of[c], "type": kind, "first": first.isoformat(), "last": last.isoformat()}
            )
    clusters = [{"index": i, "name": names.get(cid, f"#{i + 1}")} for cid, i in cluster_index.items()]
    next_after = f"{rows[-1].generation}-{rows[-1].position}" if more and rows else None
    return GraphPage(
        chain=chain, nodes=nodes, edges=edges, clusters=clusters, next_after=next_after, hidden_leaves=hide_leaves
    )


# --- one person -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonTracing:
    person: Person
    level: ContactLevel | None
    sources: list[Contact]
    contacts: list[Contact]
    chain: ChainSnapshot | None
    in_quarantine: bool


def person_tracing(*, user: Any, person: Person, limit: int = 20) -> PersonTracing:
    """What tracing knows about a person already resolved through the scope (their page's section)."""
    level = ContactLevel.objects.select_related("index_case", "via").filter(person=person).first()
    sources = list(
        Contact.objects.filter(contact=person)
        .select_related("source", "contact", "contact__tracing_level", "place_unit")
        .order_by("-pk")[:limit]
    )
    contacts = list(
        Contact.objects.filter(source=person)
        .select_related("source", "contact", "contact__tracing_level", "place_unit")
        .order_by("-pk")[:limit]
    )
    chain = ChainSnapshot.objects.filter(key=level.chain_key).first() if level else None
    since = level.exposed_from if level and level.exposed_from else date.min
    in_quarantine = (
        Episode.objects.filter(person=person).filter(Q(released_on__isnull=True) | Q(released_on__gte=since)).exists()
    )
    return PersonTracing(person, level, sources, contacts, chain, in_quarantine)


def person_levels(*, user: Any, uid: Any) -> PersonTracing:
    """A person's tracing record by uid (in scope, else 404); an audited read."""
    key = parse_uuid(uid)
    person = Person.objects.for_user(user).filter(uid=key).select_related("residence_unit").first() if key else None
    if person is None:
        raise Http404
    audit(
        actor=user,
        action=AuditAction.READ,
        obj=person,
        summary=f"{person.full_name} ({person.birth_year}): truy vết",
    )
    return person_tracing(user=user, person=person)
