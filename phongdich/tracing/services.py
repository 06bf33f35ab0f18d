"""Writes for contact tracing (C4): record a contact, derive F-levels, rebuild chains, quarantine F1s.

Every write by an officer runs in one transaction with its audit line. ``actor=None`` is the system
(demo, commands, background tasks); any other actor must have both people in scope.

Derived data (``ContactLevel``, ``ChainSnapshot``/``ChainNode``) is rebuilt per chain — the connected
component of the contact graph around the people concerned — by ``tracing_refresh`` (both),
``levels_refresh`` or ``chains_rebuild``. Officers' writes queue ``tracing_refresh`` in the
background once their transaction commits (``tasks.refresh_people``); so do changes of cases and of
quarantine episodes (signals in ``apps.py``).

Levels: confirmed cases are F0; a person exposed to an F0 inside the F0's window (``rules``) is F1;
a person exposed to an F1 while the F1 could be infectious (from the day of their own qualifying
exposure) until the F1 is isolated (first quarantine episode) is F2; and so on. Exposure is a
meeting, so links count both ways for the levels; the level is the shortest such path. When a
contact becomes a confirmed case it is F0 and everything below it moves up.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.cases.models import CONFIRMED_STATUSES, Case
from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError, NotInScope, ValidationFailed
from phongdich.core.models import AuditAction
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.people.models import Person
from phongdich.quarantine.models import Episode
from phongdich.quarantine.services import episode_start

from .models import ChainNode, ChainSnapshot, Contact, ContactLevel, ExposureType, F1WindowRule, LevelReason
from .rules import NoWindowRule, Window, anchor_day, days_before_on

SELF_CONTACT = _("Một người không thể là người tiếp xúc của chính mình.")
DATES_REVERSED = _("Ngày tiếp xúc đầu tiên không được sau ngày tiếp xúc cuối cùng.")
DATE_IN_FUTURE = _("Ngày không được ở tương lai.")
BAD_EXPOSURE = _("Hình thức tiếp xúc không hợp lệ.")
DUPLICATE = _("Đã ghi nhận tiếp xúc giữa hai người này.")
PERSON_NOT_IN_SCOPE = _("Người này không thuộc địa bàn của bạn.")
PERSON_MERGED = _("Hồ sơ này đã được gộp vào hồ sơ khác.")
SOURCE_NOT_INDEX = _("Người nguồn phải là người có ca bệnh hoặc người tiếp xúc đã được ghi nhận.")
PREMISES_OTHER_ORG = _("Địa điểm không thuộc cơ quan, doanh nghiệp đã chọn.")
NOT_F1 = _("Người này không phải F1.")

CHUNK = 2000
NODE_BATCH = 2000


def _chunks(values: Sequence[int] | set[int], size: int = CHUNK) -> Iterator[list[int]]:
    items = sorted(values)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _queue_refresh(person_ids: Iterable[int]) -> None:
    """After the current transaction commits, rebuild the levels and chains around these people."""
    ids = sorted({int(p) for p in person_ids})
    if not ids:
        return
    keys = ContactLevel.objects.filter(person_id__in=ids).values("chain_key")
    ChainSnapshot.objects.filter(key__in=keys).update(dirty=True)

    def queue() -> None:
        from .tasks import refresh_people

        refresh_people.delay(ids)

    transaction.on_commit(queue)


# --- recording contacts -----------------------------------------------------------------------


def _check_scope(actor: Any, person: Person, field_name: str) -> None:
    if actor is None:
        return
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise NotInScope(PERSON_NOT_IN_SCOPE, field=field_name)


def contact_record(
    *,
    actor: Any,
    source: Person,
    contact: Person,
    exposure_type: str,
    first_exposure: date,
    last_exposure: date | None = None,
    organisation: Organisation | None = None,
    premises: Premises | None = None,
    place_unit: Unit | None = None,
    place_text: str = "",
    notes: str = "",
) -> Contact:
    """Record that ``contact`` was exposed to ``source`` (a case's person, or an F1 for an F2 link)."""
    last_exposure = last_exposure or first_exposure
    if source.pk == contact.pk:
        raise ValidationFailed(SELF_CONTACT, field="contact")
    if exposure_type not in ExposureType.values:
        raise ValidationFailed(BAD_EXPOSURE, field="exposure_type")
    if first_exposure > last_exposure:
        raise ValidationFailed(DATES_REVERSED, field="last_exposure")
    if last_exposure > timezone.localdate():
        raise ValidationFailed(DATE_IN_FUTURE, field="last_exposure")
    for name, person in (("source", source), ("contact", contact)):
        if person.merged_into_id is not None:
            raise ValidationFailed(PERSON_MERGED, field=name)
    if premises is not None:
        if organisation is None:
            organisation = premises.organisation
        elif premises.organisation_id != organisation.pk:
            raise ValidationFailed(PREMISES_OTHER_ORG, field="premises")
    _check_scope(actor, source, "source")
    _check_scope(actor, contact, "contact")
    if not (Case.objects.filter(person=source).exists() or Contact.objects.filter(contact=source).exists()):
        raise ValidationFailed(SOURCE_NOT_INDEX, field="source")
    pair = Q(source=source, contact=contact) | Q(source=contact, contact=source)
    with transaction.atomic():
        if Contact.objects.filter(pair).exists():
            raise ValidationFailed(DUPLICATE, field="contact")
        row = Contact(
            source=source,
            contact=contact,
            exposure_type=exposure_type,
            organisation=organisation,
            premises=premises,
            place_unit=place_unit,
            place_text=place_text.strip()[:255],
            first_exposure=first_exposure,
            last_exposure=last_exposure,
            notes=notes.strip(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationFailed(DUPLICATE, field="contact") from None
        audit(
            actor=actor,
            action=AuditAction.CREATE,
            obj=row,
            summary=f"{source.full_name} → {contact.full_name} ({row.get_exposure_type_display()})",
            detail={
                "exposure_type": exposure_type,
                "first": first_exposure.isoformat(),
                "last": last_exposure.isoformat(),
            },
        )
        _queue_refresh([source.pk, contact.pk])
    return row


def contact_delete(*, actor: Any, contact: Contact) -> None:
    """Remove a contact recorded in error (both people in scope); levels and chains follow."""
    _check_scope(actor, contact.source, "source")
    _check_scope(actor, contact.contact, "contact")
    with transaction.atomic():
        ids = [contact.source_id, contact.contact_id]
        audit(
            actor=actor,
            action=AuditAction.DELETE,
            obj=contact,
            summary=f"{contact.source.full_name} → {contact.contact.full_name}",
        )
        contact.delete()
        _queue_refresh(ids)


# --- the contact graph ------------------------------------------------------------------------


@dataclass
class Graph:
    """Contacts around some people: adjacency (both ways) and the links as recorded."""

    adjacency: dict[int, list[tuple[int, date, date]]] = field(default_factory=lambda: defaultdict(list))
    # As recorded: source → the contacts they named (who may have been infected by whom).
    named: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    links: dict[int, tuple[int, int, date, date]] = field(default_factory=dict)
    people: set[int] = field(default_factory=set)
    named_by_someone: set[int] = field(default_factory=set)
    units: dict[int, int] = field(default_factory=dict)  # person → residence unit
    # How the people were found: everyone (``everything``), by last chain key (``keys``, ``known``)
    # and one by one (``people - known``) — the other reads follow the same ways.
    everything: bool = False
    keys: set[int] = field(default_factory=set)
    known: set[int] = field(default_factory=set)

    def by_people(self, queryset: Any, person_field: str) -> Iterator[Any]:
        """``queryset`` restricted to this graph's people, as a few batched querysets."""
        if self.everything:
            yield queryset
            return
        for chunk in _chunks(self.keys):
            yield queryset.filter(**{f"{person_field}__tracing_level__chain_key__in": chunk})
        for chunk in _chunks(self.people - self.known):
            yield queryset.filter(**{f"{person_field}__in": chunk})

    def add(self, pk: int, source: int, contact: int, first: date, last: date) -> bool:
        if pk in self.links:
            return False
        self.links[pk] = (source, contact, first, last)
        self.adjacency[source].append((contact, first, last))
        self.adjacency[contact].append((source, first, last))
        self.named[source].append(contact)
        self.named_by_someone.add(contact)
        self.people.update((source, contact))
        return True

    def components(self) -> list[list[int]]:
        seen: set[int] = set()
        result = []
        for start in sorted(self.people):
            if start in seen:
                continue
            seen.add(start)
            members = [start]
            queue = deque([start])
            while queue:
                p = queue.popleft()
                for q, _f, _l in self.adjacency[p]:
                    if q not in seen:
                        seen.add(q)
                        members.append(q)
                        queue.append(q)
            result.append(sorted(members))
        return result


_LINK_FIELDS = (
    "pk",
    "source_id",
    "contact_id",
    "first_exposure",
    "last_exposure",
    "source__residence_unit_id",
    "contact__residence_unit_id",
)


def _add_rows(graph: Graph, rows: Any, seen: set[int], found: set[int]) -> None:
    for pk, s, c, first, last, s_unit, c_unit in rows:
        if graph.add(pk, s, c, first, last):
            graph.units[s], graph.units[c] = s_unit, c_unit
            for p in (s, c):
                if p not in seen:
                    seen.add(p)
                    found.add(p)


def load_graph(person_ids: Iterable[int] | None = None) -> Graph:
    """The chains of these people (every contact reachable from them), or of everyone (``None``).

    The contacts of the chains they were in at the last refresh are read through their chain key
    (a join, not a list of every person), then the search goes on one by one from the people
    found outside those chains (chains that have just merged).
    """
    graph = Graph()
    if person_ids is None:
        graph.everything = True
        _add_rows(graph, Contact.objects.values_list(*_LINK_FIELDS).iterator(chunk_size=5000), set(), set())
        return graph
    seeds = {int(p) for p in person_ids}
    for chunk in _chunks(seeds):
        graph.keys.update(ContactLevel.objects.filter(person_id__in=chunk).values_list("chain_key", flat=True))
    for chunk in _chunks(graph.keys):
        graph.known.update(ContactLevel.objects.filter(chain_key__in=chunk).values_list("person_id", flat=True))
    seen = seeds | graph.known
    found: set[int] = set()
    for chunk in _chunks(graph.keys):
        for side in ("source", "contact"):
            rows = Contact.objects.filter(**{f"{side}__tracing_level__chain_key__in": chunk}).values_list(*_LINK_FIELDS)
            _add_rows(graph, rows, seen, found)
    frontier = (seeds - graph.known) | found
    while frontier:
        found = set()
        for chunk in _chunks(frontier):
            rows = Contact.objects.filter(Q(source_id__in=chunk) | Q(contact_id__in=chunk)).values_list(*_LINK_FIELDS)
            _add_rows(graph, rows, seen, found)
        frontier = found
    return graph


# --- levels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    pk: int
    person_id: int
    code: str
    status: str
    onset: date | None
    sampling: date | None
    confirmation: date | None
    isolated_on: date | None
    cluster_id: int | None
    confirmed: bool


def _case_field(name: str) -> bool:
    return any(f.name == name for f in Case._meta.get_fields())


def _cases(graph: Graph) -> tuple[dict[int, CaseFacts], dict[int, CaseFacts]]:
    """Per person: their latest confirmed case (F0), and their latest case of any status (shown)."""
    has_isolated, has_cluster = _case_field("isolated_on"), _case_field("cluster")
    names = ["pk", "person_id", "case_code", "status", "onset_date", "sampling_date", "confirmation_date"]
    names += ["isolated_on"] if has_isolated else []
    names += ["cluster_id"] if has_cluster else []
    rows = []
    for qs in graph.by_people(Case.objects.all(), "person"):
        rows.extend(qs.values(*names))
    rows.sort(key=lambda r: r["pk"])
    confirmed: dict[int, CaseFacts] = {}
    latest: dict[int, CaseFacts] = {}
    for row in rows:
        if row["person_id"] not in graph.people:
            continue
        facts = CaseFacts(
            pk=row["pk"],
            person_id=row["person_id"],
            code=row["case_code"],
            status=row["status"],
            onset=row["onset_date"],
            sampling=row["sampling_date"],
            confirmation=row["confirmation_date"],
            isolated_on=row.get("isolated_on"),
            cluster_id=row.get("cluster_id"),
            confirmed=row["status"] in CONFIRMED_STATUSES,
        )
        latest[facts.person_id] = facts
        if facts.confirmed:
            confirmed[facts.person_id] = facts
    return confirmed, latest


def _episodes(graph: Graph) -> dict[int, list[tuple[date, date | None]]]:
    spans: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for qs in graph.by_people(Episode.objects.all(), "person"):
        for person_id, start, released in qs.values_list("person_id", "start_date", "released_on"):
            if person_id in graph.people:
                spans[person_id].append((start, released))
    for value in spans.values():
        value.sort()
    return spans


def _isolation(spans: list[tuple[date, date | None]], since: date, explicit: date | None = None) -> date | None:
    """The day a person was isolated, on or after ``since``: an explicit date, else a quarantine episode.

    An episode already running on ``since`` isolates from ``since`` itself.
    """
    candidates = [explicit] if explicit is not None else []
    for start, released in spans:
        if start <= since and (released is None or released >= since):
            candidates.append(since)
        elif start >= since:
            candidates.append(start)
            break
    return min(candidates) if candidates else None


@dataclass(frozen=True)
class Derived:
    person_id: int
    level: int | None
    reason: str
    index_case_id: int | None
    via_id: int | None
    exposed_from: date | None
    isolated_on: date | None
    chain_key: int


def derive_levels(
    *,
    members: Sequence[int],
    graph: Graph,
    f0: dict[int, CaseFacts],
    episodes: dict[int, list[tuple[date, date | None]]],
    rules: Sequence[F1WindowRule],
) -> dict[int, Derived]:
    """The levels of one chain (pure over what was loaded): breadth-first from every F0 at once."""
    key = min(members)
    level: dict[int, int] = {}
    window: dict[int, Window | None] = {}
    via: dict[int, int | None] = {}
    index: dict[int, int] = {}
    exposed: dict[int, date | None] = {}
    isolated: dict[int, date | None] = {}
    current: list[int] = []
    for p in members:
        case = f0.get(p)
        if case is None:
            continue
        anchor = anchor_day(onset=case.onset, sampling=case.sampling, confirmation=case.confirmation)
        w: Window | None = None
        if anchor is not None:
            try:
                n = days_before_on(anchor, rules)
            except NoWindowRule:
                n = None
            if n is not None:
                start = date.fromordinal(anchor.toordinal() - n)
                iso = _isolation(episodes.get(p, []), start, case.isolated_on)
                w = Window(start=start, end=iso)
                isolated[p] = iso
        level[p], window[p], via[p], index[p], exposed[p] = 0, w, None, case.pk, None
        current.append(p)
    k = 0
    while current:
        best: dict[int, tuple[date, int]] = {}
        for p in sorted(current):
            w = window[p]
            if w is None:
                continue
            for q, first, last in graph.adjacency[p]:
                if q in level:
                    continue
                day = w.first_shared_day(first, last)
                if day is not None and (q not in best or (day, p) < best[q]):
                    best[q] = (day, p)
        k += 1
        current = []
        for q, (day, p) in best.items():
            iso = _isolation(episodes.get(q, []), day)
            level[q], via[q], index[q], exposed[q], isolated[q] = k, p, index[p], day, iso
            window[q] = Window(start=day, end=iso)
            current.append(q)
    has_case = bool(index)
    result = {}
    for p in members:
        if p in level:
            reason = LevelReason.CASE if level[p] == 0 else LevelReason.WITHIN
            result[p] = Derived(p, level[p], reason, index[p], via[p], exposed.get(p), isolated.get(p), key)
        else:
            reason = LevelReason.OUTSIDE if has_case else LevelReason.NO_CASE
            result[p] = Derived(p, None, reason, None, None, None, None, key)
    return result


_LEVEL_FIELDS = ("level", "reason", "index_case_id", "via_id", "exposed_from", "isolated_on", "chain_key")


def _write_levels(derived: dict[int, Derived], drop: set[int], graph: Graph) -> int:
    """Store the derived rows (only those that changed) and drop the rows of ``drop``; rows changed.

    The stored rows are compared as plain tuples; model objects are made only for what changes.
    """
    changed = 0
    existing: dict[int, tuple[Any, ...]] = {}
    fields = ("person_id", "pk", *_LEVEL_FIELDS)
    if graph.everything:
        batches: list[Any] = [ContactLevel.objects.all()]
    else:
        batches = [ContactLevel.objects.filter(chain_key__in=chunk) for chunk in _chunks(graph.keys)]
        batches += [
            ContactLevel.objects.filter(person_id__in=chunk) for chunk in _chunks((set(derived) | drop) - graph.known)
        ]
    for qs in batches:
        for row in qs.values_list(*fields).iterator(chunk_size=5000):
            existing[row[0]] = row[1:]
    to_update: list[ContactLevel] = []
    to_create: list[ContactLevel] = []
    now = timezone.now()
    for p, d in derived.items():
        values = (d.level, d.reason, d.index_case_id, d.via_id, d.exposed_from, d.isolated_on, d.chain_key)
        current = existing.get(p)
        if current is not None and current[1:] == values:
            continue
        row = ContactLevel(
            person_id=p,
            within_window=d.level is not None,
            derived_at=now,
            **dict(zip(_LEVEL_FIELDS, values, strict=True)),
        )
        if current is None:
            to_create.append(row)
        else:
            row.pk = current[0]
            to_update.append(row)
    ContactLevel.objects.bulk_create(to_create, batch_size=NODE_BATCH)
    ContactLevel.objects.bulk_update(to_update, [*_LEVEL_FIELDS, "within_window", "derived_at"], batch_size=NODE_BATCH)
    changed += len(to_create) + len(to_update)
    gone = [p for p in drop if p not in derived and p in existing]
    for chunk in _chunks(gone):
        changed += ContactLevel.objects.filter(person_id__in=chunk).delete()[0]
    return changed


# --- chains -----------------------------------------------------------------------------------


def _layout(
    members: Sequence[int], graph: Graph, levels: dict[int, Derived], latest: dict[int, CaseFacts]
) -> list[tuple[int, int, int, int | None]]:
    """A layered layout: (person, generation, position, parent) — who named whom, as a tree.

    Roots are the people nobody named as their contact (the chain's first cases), cases first;
    each person's children are the contacts they named, placed in the order of their parents so
    that siblings sit together. People reached only against the direction of the records (a
    cycle, or a source named later by one of its contacts) are then attached to a neighbour.
    """

    def order(p: int) -> tuple[bool, int, int]:
        return (levels[p].level != 0, levels[p].index_case_id or 0, p)

    roots = sorted((p for p in members if p not in graph.named_by_someone), key=order)
    if not roots:
        roots = [min(members, key=order)]
    placed: dict[int, tuple[int, int, int | None]] = {}
    per_generation: dict[int, int] = defaultdict(int)

    def place(p: int, g: int, parent: int | None) -> None:
        placed[p] = (g, per_generation[g], parent)
        per_generation[g] += 1

    def spread(queue: deque[int], neighbours: Any) -> None:
        while queue:
            p = queue.popleft()
            g = placed[p][0]
            for q in sorted({q for q in neighbours(p) if q not in placed}, key=lambda q: (q not in latest, q)):
                place(q, g + 1, p)
                queue.append(q)

    for r in roots:
        place(r, 0, None)
    spread(deque(roots), lambda p: graph.named[p])
    if len(placed) < len(members):
        spread(deque(sorted(placed, key=lambda p: placed[p][:2])), lambda p: (q for q, _f, _l in graph.adjacency[p]))
    return [(p, g, pos, parent) for p, (g, pos, parent) in placed.items()]


@dataclass
class _LinkStats:
    count: int = 0
    first: date | None = None
    last: date | None = None

    def add(self, first: date, last: date) -> None:
        self.count += 1
        self.first = first if self.first is None or first < self.first else self.first
        self.last = last if self.last is None or last > self.last else self.last


def _chain_rows(
    members: Sequence[int],
    graph: Graph,
    levels: dict[int, Derived],
    latest: dict[int, CaseFacts],
    f0: dict[int, CaseFacts],
    units: dict[int, int],
    links: _LinkStats,
) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """The snapshot's fields and its nodes, as tuples ``(person, *_NODE_FIELDS)``, for one chain."""
    layout = _layout(members, graph, levels, latest)
    children: dict[int, int] = defaultdict(int)
    for _p, _g, _pos, parent in layout:
        if parent is not None:
            children[parent] += 1
    clusters = sorted({latest[p].cluster_id for p in members if p in latest and latest[p].cluster_id})  # type: ignore[type-var]
    cases = [f0[p] for p in members if p in f0]
    first_case = min(cases, key=lambda c: (c.confirmation or date.max, c.pk)) if cases else None
    roots = [p for p, g, _pos, _parent in layout if g == 0]
    generations = 1 + max(g for _p, g, _pos, _parent in layout)
    per_generation = [0] * generations
    for _p, g, _pos, _parent in layout:
        per_generation[g] += 1
    level_counts: dict[str, int] = defaultdict(int)
    for p in members:
        d = levels[p]
        level_counts[f"F{d.level}" if d.level is not None else d.reason] += 1
    fields = {
        "size": len(members),
        "case_count": len(cases),
        "contact_count": links.count,
        "generations": generations,
        "cluster_ids": clusters,
        "first_case_code": first_case.code if first_case else "",
        "first_date": links.first,
        "last_date": links.last,
        "unit_id": units.get(first_case.person_id if first_case else roots[0]),
        "json": {"per_generation": per_generation, "levels": dict(level_counts), "clusters": clusters},
        "dirty": False,
        "computed_at": timezone.now(),
    }
    nodes = []
    for p, g, pos, parent in layout:
        case = latest.get(p)
        # (person, *_NODE_FIELDS)
        nodes.append(
            (
                p,
                g,
                pos,
                parent,
                levels[p].level,
                case.pk if case else None,
                case.code if case else "",
                case.status if case else "",
                case.cluster_id if case else None,
                units[p],
                children[p],
            )
        )
    return fields, nodes


_CHAIN_FIELDS = [
    "size",
    "case_count",
    "contact_count",
    "generations",
    "cluster_ids",
    "first_case_code",
    "first_date",
    "last_date",
    "unit_id",
    "json",
    "dirty",
    "computed_at",
]


def _write_chains(rows: dict[int, tuple[dict[str, Any], list[tuple[Any, ...]]]]) -> None:
    """Store the snapshots (by key) and replace their nodes, in batches."""
    existing: dict[int, ChainSnapshot] = {}
    for chunk in _chunks(set(rows)):
        for snapshot in ChainSnapshot.objects.filter(key__in=chunk):
            existing[snapshot.key] = snapshot
    to_update: list[ChainSnapshot] = []
    to_create: list[ChainSnapshot] = []
    for key, (fields, _nodes) in rows.items():
        snapshot = existing.get(key) or ChainSnapshot(key=key)
        for name, value in fields.items():
            setattr(snapshot, name, value)
        snapshot.updated_at = fields["computed_at"]
        (to_update if snapshot.pk else to_create).append(snapshot)
    ChainSnapshot.objects.bulk_update(to_update, [*_CHAIN_FIELDS, "updated_at"], batch_size=500)
    ChainSnapshot.objects.bulk_create(to_create, batch_size=500)
    ids: dict[int, int] = {}
    for chunk in _chunks(set(rows)):
        ids.update(ChainSnapshot.objects.filter(key__in=chunk).values_list("key", "pk"))
    # Nodes: only what changed is written (a new contact in a large chain moves few nodes).
    current: dict[tuple[int, int], tuple[Any, ...]] = {}
    for chunk in _chunks(set(ids.values())):
        for row in ChainNode.objects.filter(chain_id__in=chunk).values_list(
            "chain_id", "person_id", "pk", *_NODE_FIELDS
        ):
            current[(row[0], row[1])] = row[2:]
    to_create_nodes: list[ChainNode] = []
    to_update_nodes: list[ChainNode] = []
    renew: list[int] = []  # chains whose nodes are mostly new: delete and insert (faster than updates)
    keep: set[int] = set()

    def node(chain_id: int, values: tuple[Any, ...], pk: int | None = None) -> ChainNode:
        return ChainNode(
            pk=pk, chain_id=chain_id, person_id=values[0], **dict(zip(_NODE_FIELDS, values[1:], strict=True))
        )

    for key, (_fields, nodes) in rows.items():
        chain_id = ids[key]
        creates, updates, kept = [], [], []
        for values in nodes:
            old = current.get((chain_id, values[0]))
            if old is None:
                creates.append(values)
                continue
            kept.append(old[0])
            if values[1:] != old[1:]:
                updates.append((values, old[0]))
        if len(updates) > RENEW_AFTER and len(updates) * 20 > len(nodes):
            renew.append(chain_id)
            to_create_nodes.extend(node(chain_id, values) for values in nodes)
            continue
        keep.update(kept)
        to_create_nodes.extend(node(chain_id, values) for values in creates)
        to_update_nodes.extend(node(chain_id, values, pk) for values, pk in updates)
    for chunk in _chunks(renew):
        ChainNode.objects.filter(chain_id__in=chunk).delete()
    renewed = set(renew)
    gone = [
        values[0] for (chain_id, _p), values in current.items() if chain_id not in renewed and values[0] not in keep
    ]
    for chunk in _chunks(gone):
        ChainNode.objects.filter(pk__in=chunk).delete()
    ChainNode.objects.bulk_update(to_update_nodes, _NODE_FIELDS, batch_size=NODE_BATCH)
    ChainNode.objects.bulk_create(to_create_nodes, batch_size=NODE_BATCH)


RENEW_AFTER = 200
_NODE_FIELDS = [
    "generation",
    "position",
    "parent_id",
    "level",
    "case_id",
    "case_code",
    "status",
    "cluster_id",
    "unit_id",
    "children",
]


@dataclass(frozen=True)
class RefreshResult:
    chains: int
    levels_changed: int
    chains_built: int
    chains_removed: int


def _refresh(person_ids: Iterable[int] | None, *, levels: bool, chains: bool) -> RefreshResult:
    """Derive levels (and layouts) of the chains of ``person_ids`` (``None``: all) and store what changed.

    Reads are batched over all the chains concerned, so a full rebuild costs a few queries per
    thousand people rather than several per chain.
    """
    seeds = None if person_ids is None else {int(p) for p in person_ids}
    graph = load_graph(seeds)
    components = graph.components()
    old_keys: set[int] = set(graph.keys)
    if person_ids is None:
        old_keys.update(ChainSnapshot.objects.values_list("key", flat=True))
    else:
        for chunk in _chunks((graph.people | (seeds or set())) - graph.known):
            old_keys.update(ContactLevel.objects.filter(person_id__in=chunk).values_list("chain_key", flat=True))
    rules = list(F1WindowRule.objects.all())
    f0, latest = _cases(graph)
    episodes = _episodes(graph)
    units = graph.units
    component_of: dict[int, int] = {}
    for members in components:
        key = min(members)
        for p in members:
            component_of[p] = key
    stats: dict[int, _LinkStats] = defaultdict(_LinkStats)
    for source, _contact, first, last in graph.links.values():
        stats[component_of[source]].add(first, last)
    derived: dict[int, Derived] = {}
    chain_rows: dict[int, tuple[dict[str, Any], list[tuple[Any, ...]]]] = {}
    for members in components:
        part = derive_levels(members=members, graph=graph, f0=f0, episodes=episodes, rules=rules)
        derived.update(part)
        if chains:
            key = min(members)
            chain_rows[key] = _chain_rows(members, graph, part, latest, f0, units, stats[key])
    new_keys = {min(members) for members in components}
    changed = removed = 0
    with transaction.atomic():
        if levels:
            drop = (seeds or set()) - graph.people
            if person_ids is None:
                # Everything was rebuilt: rows of people no longer in any chain go.
                drop = set(ContactLevel.objects.values_list("person_id", flat=True)) - graph.people
            changed += _write_levels(derived, drop, graph)
        if chains:
            _write_chains(chain_rows)
            for chunk in _chunks(old_keys - new_keys):
                removed += ChainSnapshot.objects.filter(key__in=chunk).delete()[1].get(ChainSnapshot._meta.label, 0)
    return RefreshResult(
        chains=len(components), levels_changed=changed, chains_built=len(chain_rows), chains_removed=removed
    )


def levels_refresh(*, person_ids: Iterable[int] | None = None) -> RefreshResult:
    """Re-derive the F-levels of the chains of these people (``None``: every chain)."""
    return _refresh(person_ids, levels=True, chains=False)


def chains_rebuild(*, person_ids: Iterable[int] | None = None) -> RefreshResult:
    """Rebuild the snapshots and layouts of the chains of these people (``None``: every chain)."""
    return _refresh(person_ids, levels=False, chains=True)


def tracing_refresh(*, person_ids: Iterable[int] | None = None) -> RefreshResult:
    """Levels and chains of these people's chains, in one pass (what the background task runs)."""
    return _refresh(person_ids, levels=True, chains=True)


def tracing_queue_refresh(*, person_ids: Iterable[int]) -> None:
    """Queue ``tracing_refresh`` for these people once the current transaction commits (debounced)."""
    _queue_refresh(person_ids)


# --- quarantine of F1 -------------------------------------------------------------------------


@dataclass
class F1QuarantineResult:
    started: list[Episode] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


def f1_quarantine(
    *,
    actor: Any,
    people: Iterable[Person],
    kind: str,
    start_date: date,
    facility: Any = None,
    vaccination: str = "none",
) -> F1QuarantineResult:
    """Put recorded F1s into quarantine through ``quarantine.services.episode_start``, one by one.

    A centralised quarantine needs ``facility``; home quarantine takes none. Each person is its own
    transaction: a refusal (not an F1, already in quarantine, facility full …) is reported with its
    message and the others go on.
    """
    result = F1QuarantineResult()
    for person in people:
        row = ContactLevel.objects.select_related("index_case").filter(person=person).first()
        if row is None or row.level != 1:
            result.refused.append((person, str(NOT_F1)))
            continue
        code = row.index_case.case_code if row.index_case else ""
        try:
            episode = episode_start(
                actor=actor,
                person=person,
                kind=kind,
                facility=facility,
                start_date=start_date,
                vaccination=vaccination,
                reason=str(_("F1 của ca %(code)s") % {"code": code}),
            )
        except ApplicationError as exc:
            result.refused.append((person, str(exc.message)))
        else:
            result.started.append(episode)
    return result
