"""Reads of the person registry, always through the user's scope (D3, D4, M6).

Lists are keyset pages ordered by ``(name_folded, id)``: a page is an index range scan and
no query counts the table. The cursor handed to clients is the ``uid`` of the last row of a
page, never an integer key.

Search is diacritic-insensitive through the folded name columns and uses only indexed
equality and range conditions (a prefix ``p`` is ``p <= name_folded < successor(p)``), so it
stays fast at a million people on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.text import fold
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation

from .models import FOREIGNER_Q, Person, PersonQuerySet, StaffMembership
from .validators import looks_like_phone, normalise_phone

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_PASSPORT_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{6,9}$")


@dataclass(frozen=True)
class PersonPage:
    """One keyset page: the rows and, when more follow, the cursor (uid of the last row)."""

    items: list[Person]
    next_after: str | None


def _visible(user: Any) -> PersonQuerySet:
    return Person.objects.for_user(user).active()


def _with_display(qs: PersonQuerySet) -> PersonQuerySet:
    return qs.select_related("residence_unit", "organisation")


def _cursor(after: str | uuid.UUID | None) -> tuple[str, int] | None:
    """``(name_folded, id)`` of the row a page starts after; an unknown cursor starts from the top."""
    if after in (None, ""):
        return None
    try:
        uid = after if isinstance(after, uuid.UUID) else uuid.UUID(str(after))
    except ValueError:
        return None
    row = Person.objects.filter(uid=uid).values_list("name_folded", "id").first()
    return (row[0], row[1]) if row else None


def _after_q(cursor: tuple[str, int] | None) -> Q:
    if cursor is None:
        return Q()
    name, pk = cursor
    # The redundant ``name_folded >= name`` moves the start of the index range to the cursor.
    return Q(name_folded__gte=name) & (Q(name_folded__gt=name) | Q(name_folded=name, id__gt=pk))


def _page(qs: PersonQuerySet, *, after: str | uuid.UUID | None, limit: int) -> PersonPage:
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    rows = list(_with_display(qs.filter(_after_q(_cursor(after)))).order_by("name_folded", "id")[: limit + 1])
    return _finish(rows, limit)


def _finish(rows: list[Person], limit: int) -> PersonPage:
    more = len(rows) > limit
    rows = rows[:limit]
    return PersonPage(items=rows, next_after=str(rows[-1].uid) if more and rows else None)


def _successor(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _prefix_q(field: str, prefix: str) -> Q:
    # The range is what the index serves; ``startswith`` re-checks it under any collation.
    if ord(prefix[-1]) >= 0x10FFFF:
        return Q(**{f"{field}__gte": prefix, f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": _successor(prefix), f"{field}__startswith": prefix})


def person_list(
    *,
    user: Any,
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    after: str | uuid.UUID | None = None,
    limit: int = PAGE_SIZE,
    foreigners: bool = False,
) -> PersonPage:
    """People in the user's scope, by name; optionally in a unit's subtree or an organisation's."""
    qs = _visible(user)
    if unit is not None:
        qs = qs.in_unit(unit)
    if organisation is not None:
        qs = qs.filter(organisation__in=Organisation.objects.subtree(organisation).values("pk"))
    if foreigners:
        qs = qs.filter(FOREIGNER_Q)
    return _page(qs, after=after, limit=limit)


def foreigner_list(
    *, user: Any, unit: Unit | None = None, after: str | uuid.UUID | None = None, limit: int = PAGE_SIZE
) -> PersonPage:
    """Foreigners and illegal entrants in scope (M6)."""
    return person_list(user=user, unit=unit, after=after, limit=limit, foreigners=True)


def _identifier_q(q: str) -> Q | None:
    """An exact-match condition when the query looks like a CCCD, phone or passport number."""
    compact = re.sub(r"[\s.\-]", "", q)
    if compact.isdigit() and len(compact) in (9, 12):
        return Q(cccd=compact)
    if looks_like_phone(q):
        return Q(phone=normalise_phone(q))
    if _PASSPORT_LIKE.match(compact):
        return Q(passport_no=compact.upper())
    if compact.lstrip("+").isdigit():
        return Q(pk__in=[])  # a number that is none of the above matches nobody
    return None


def _search_q(q: str) -> Q:
    """The condition of a search as one filter (for exports; pages use ``person_search``)."""
    ident = _identifier_q(q)
    if ident is not None:
        return ident
    folded = fold(q)
    if not folded:
        return Q(pk__in=[])
    condition = _prefix_q("name_folded", folded)
    if " " not in folded:
        condition |= Q(given_name_folded=folded)
    return condition


def person_queryset(*, user: Any, q: str = "", unit: Unit | None = None, foreigners: bool = False) -> PersonQuerySet:
    """Every person in scope matching a list's filters, ordered by name (for exports)."""
    qs = _visible(user)
    if unit is not None:
        qs = qs.in_unit(unit)
    if foreigners:
        qs = qs.filter(FOREIGNER_Q)
    q = (q or "").strip()[:120]
    if q:
        qs = qs.filter(_search_q(q))
    return _with_display(qs).order_by("name_folded", "id")


def person_search(
    *,
    user: Any,
    q: str,
    limit: int = PAGE_SIZE,
    after: str | uuid.UUID | None = None,
    unit: Unit | None = None,
    foreigners: bool = False,
) -> PersonPage:
    """Find people in scope by name (diacritic-insensitive prefix), given name, CCCD, phone or passport.

    ``nguyen van a``, ``NGUYEN VAN A`` and ``Nguyễn Văn A`` all find ``Nguyễn Văn A``; a one-word
    query also matches the given name (``an`` finds ``Nguyễn Văn An``).
    """
    q = (q or "").strip()[:120]
    if not q:
        return person_list(user=user, unit=unit, after=after, limit=limit, foreigners=foreigners)
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    base = _visible(user)
    if unit is not None:
        base = base.in_unit(unit)
    if foreigners:
        base = base.filter(FOREIGNER_Q)
    ident = _identifier_q(q)
    if ident is not None:
        return _page(base.filter(ident), after=after, limit=limit)
    folded = fold(q)
    if not folded:
        return PersonPage(items=[], next_after=None)
    cursor = _cursor(after)
    branches = [base.filter(_prefix_q("name_folded", folded))]
    if " " not in folded:
        branches.append(base.filter(given_name_folded=folded))
    # Each branch is an ordered index range scan with a limit; merging them keeps the order.
    merged: dict[int, Person] = {}
    for branch in branches:
        for person in _with_display(branch.filter(_after_q(cursor))).order_by("name_folded", "id")[: limit + 1]:
            merged[person.pk] = person
    rows = sorted(merged.values(), key=lambda p: (p.name_folded, p.pk))[: limit + 1]
    return _finish(rows, limit)


def person_get(*, user: Any, uid: str | uuid.UUID) -> Person:
    """One person in the user's scope, or 404. Each call is an audited read (D4)."""
    try:
        key = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc
    person = (
        Person.objects.for_user(user)
        .select_related("residence_unit", "organisation", "merged_into", "user")
        .filter(uid=key)
        .first()
    )
    if person is None:
        raise Http404
    audit(actor=user, action=AuditAction.READ, obj=person, summary=f"{person.full_name} ({person.birth_year})")
    return person


def person_get_for_write(*, user: Any, uid: str | uuid.UUID) -> Person:
    """One active person in the user's scope (for edit and merge pages), or 404; not a read of the record."""
    try:
        key = uid if isinstance(uid, uuid.UUID) else uuid.UUID(str(uid))
    except ValueError as exc:
        raise Http404 from exc
    person = _visible(user).select_related("residence_unit", "organisation").filter(uid=key).first()
    if person is None:
        raise Http404
    return person


def possible_merge_partners(*, user: Any, person: Person, limit: int = 20) -> list[Person]:
    """Other active people in scope who may be the same person: same name and year, or same phone."""
    same = Q(name_folded=person.name_folded, birth_year=person.birth_year)
    if person.phone:
        same |= Q(phone=person.phone)
    return list(_with_display(_visible(user).filter(same).exclude(pk=person.pk)).order_by("name_folded", "id")[:limit])


def memberships_of(*, person: Person) -> list[StaffMembership]:
    return list(
        StaffMembership.objects.filter(person=person)
        .select_related("organisation", "manager__person")
        .order_by("-start_date", "id")
    )


def _is_current(membership: StaffMembership, today: date) -> bool:
    return membership.start_date <= today and (membership.end_date is None or membership.end_date >= today)


def approvers_for(*, membership: StaffMembership) -> list[StaffMembership]:
    """Who may approve for ``membership`` (D3), nearest first.

    The direct head (``manager``), that head's managers upward, then the current heads of the
    organisation and of each parent organisation up the chain; each person once, never the
    person themself.
    """
    today = timezone.localdate()
    result: list[StaffMembership] = []
    people_seen = {membership.person_id}

    def add(candidate: StaffMembership) -> None:
        if candidate.person_id in people_seen or not _is_current(candidate, today):
            return
        people_seen.add(candidate.person_id)
        result.append(candidate)

    visited = {membership.pk}
    manager_id = membership.manager_id
    while manager_id is not None and manager_id not in visited:
        visited.add(manager_id)
        manager = StaffMembership.objects.select_related("person", "organisation").filter(pk=manager_id).first()
        if manager is None:
            break
        add(manager)
        manager_id = manager.manager_id

    org = membership.organisation
    chain = [int(part) for part in org.path.strip("/").split("/") if part.isdigit()] or [org.pk]
    nearest_first = list(reversed(chain))
    heads = (
        StaffMembership.objects.current()
        .filter(organisation_id__in=nearest_first, is_head=True)
        .select_related("person", "organisation")
        .order_by("start_date", "id")
    )
    for head in sorted(heads, key=lambda m: nearest_first.index(m.organisation_id)):
        add(head)
    return result


def may_approve(*, approver: Person, for_membership: StaffMembership) -> bool:
    """Whether ``approver`` is in the management chain of ``for_membership``."""
    return any(m.person_id == approver.pk for m in approvers_for(membership=for_membership))
