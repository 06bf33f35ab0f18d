"""The mandatory-testing rules at work (T1): events → test orders.

Four kinds of event call for a test: a new staff membership (new hire), an arrival or a medical
declaration that puts the person in an epidemic area (judged with the zones app's rule and look-back
window), a declaration of fever, cough or shortness of breath, and the quarantine of an F1 (a test on
each day of the schedule). ``post_save`` signals queue the evaluation after the transaction commits;
``sweep`` catches rows written in bulk (no signals). Both are idempotent through the order's
``source_key``: an event never orders the same test twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from phongdich.quarantine.models import AppliesTo

from .models import MandatoryTestRule, OrderReason, TestOrder, Trigger
from .rules import required_tests
from .services import order_create

logger = logging.getLogger(__name__)

# Events older than this many days order nothing (settings.TESTING_EVENT_MAX_AGE_DAYS overrides): a list
# of long-standing staff imported today is not a wave of new hires.
EVENT_MAX_AGE_DAYS = 14
# The symptoms the directive names (fever, cough, shortness of breath).
TRIGGER_SYMPTOMS = ("fever", "cough", "breathlessness")


def event_max_age() -> int:
    return int(getattr(settings, "TESTING_EVENT_MAX_AGE_DAYS", EVENT_MAX_AGE_DAYS))


def _recent(day: date, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return today - timedelta(days=event_max_age()) <= day <= today + timedelta(days=1)


def _rules() -> list[MandatoryTestRule]:
    return list(MandatoryTestRule.objects.all())


def _order(
    *, person: Any, trigger: str, on: date, key: str, organisation: Any = None, vaccination: str = AppliesTo.ANY
) -> list[TestOrder]:
    orders = []
    for due in required_tests(trigger=trigger, on=on, rules=_rules(), vaccination=vaccination):
        suffix = f":day:{due.day}" if due.day is not None else ""
        orders.append(
            order_create(
                actor=None,
                person=person,
                reason=OrderReason(trigger),
                due_on=due.due_on,
                source_key=f"{key}{suffix}",
                organisation=organisation,
                kind=due.kind,
                rule=due.rule,
            )
        )
    return orders


def orders_for_membership(membership_id: int) -> list[TestOrder]:
    from phongdich.people.models import StaffMembership

    m = StaffMembership.objects.select_related("person", "organisation").filter(pk=membership_id).first()
    if m is None or m.person.merged_into_id is not None or not _recent(m.start_date):
        return []
    if m.end_date is not None and m.end_date < timezone.localdate():
        return []
    return _order(
        person=m.person,
        trigger=Trigger.NEW_HIRE,
        on=m.start_date,
        key=f"membership:{m.uid}",
        organisation=m.organisation,
    )


def _area_exposed(visits: list[Any], on: date) -> bool:
    """Whether any of ``visits`` (zones rule visits) lies in an epidemic area within the look-back window."""
    from phongdich.zones.models import EpidemicArea
    from phongdich.zones.rules import exposures
    from phongdich.zones.services import area_span, look_back_days_on

    if not visits:
        return False
    areas = [area_span(a) for a in EpidemicArea.objects.select_related("unit").filter(start_date__lte=on)]
    return bool(exposures(visits, areas, on=on, look_back_days=look_back_days_on(on)))


def orders_for_declaration(declaration_id: int) -> list[TestOrder]:
    from phongdich.declarations.models import MedicalDeclaration
    from phongdich.zones.rules import Visit

    d = MedicalDeclaration.objects.select_related("person").filter(pk=declaration_id).first()
    if d is None or d.person.merged_into_id is not None:
        return []
    on = timezone.localdate(d.declared_at)
    if not _recent(on):
        return []
    root = d.first_id and MedicalDeclaration.objects.filter(pk=d.first_id).values_list("uid", flat=True).first()
    key = f"declaration:{root or d.uid}"
    person = d.person
    orders: list[TestOrder] = []
    if any(getattr(d, name) for name in TRIGGER_SYMPTOMS):
        orders += _order(person=person, trigger=Trigger.SYMPTOMS, on=on, key=f"{key}:symptoms")
    exposed = d.in_epidemic_area
    if not exposed:
        visits = [
            Visit(place=v.place_key, from_date=v.from_date, to_date=v.to_date)
            for v in d.visits.select_related("unit").all()
        ]
        exposed = _area_exposed(visits, on)
    if exposed:
        orders += _order(person=person, trigger=Trigger.EPIDEMIC_AREA_ARRIVAL, on=on, key=f"{key}:area")
    return orders


def orders_for_movement(movement_id: int) -> list[TestOrder]:
    from phongdich.movements.models import Direction, Movement
    from phongdich.zones.rules import Visit

    m = Movement.objects.select_related("person", "place_unit").filter(pk=movement_id).first()
    if m is None or m.direction != Direction.ARRIVAL or m.person.merged_into_id is not None:
        return []
    if not _recent(m.move_date) or not m.place_key:
        return []
    visit = Visit(place=m.place_key, from_date=min(m.place_from or m.move_date, m.move_date), to_date=m.move_date)
    if not _area_exposed([visit], m.move_date):
        return []
    return _order(person=m.person, trigger=Trigger.EPIDEMIC_AREA_ARRIVAL, on=m.move_date, key=f"movement:{m.uid}")


def is_f1(episode: Any) -> bool:
    """The episode is the quarantine of an F1: the traced level says so, or the reason names F1."""
    from phongdich.tracing.models import ContactLevel

    if "F1" in (episode.reason or "").upper():
        return True
    return ContactLevel.objects.filter(person_id=episode.person_id, level=1).exists()


def orders_for_episode(episode_id: int) -> list[TestOrder]:
    from phongdich.quarantine.models import Episode, EpisodeStatus

    e = Episode.objects.select_related("person").filter(pk=episode_id).first()
    if e is None or e.previous_id is not None or e.status != EpisodeStatus.OPEN:
        return []
    if e.person.merged_into_id is not None or not _recent(e.start_date) or not is_f1(e):
        return []
    return _order(
        person=e.person, trigger=Trigger.F1_SCHEDULE, on=e.start_date, key=f"episode:{e.uid}", vaccination=e.vaccination
    )


# --- Signals ------------------------------------------------------------------------------------

HANDLERS = {
    "membership": orders_for_membership,
    "declaration": orders_for_declaration,
    "movement": orders_for_movement,
    "episode": orders_for_episode,
}


def _evaluate_later(kind: str, pk: int) -> None:
    """Queue the evaluation; a failure is logged, never raised into the write that was just committed."""
    from .tasks import evaluate_event

    try:
        evaluate_event.delay(kind, pk)
    except Exception:
        logger.exception("testing: could not evaluate %s %s", kind, pk)


def _queue(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: _evaluate_later(kind, pk))


def on_membership_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _queue("membership", instance.pk)


def on_declaration_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    # A declaration is saved twice when it is found to name an epidemic area: judge the final row.
    if not raw:
        _queue("declaration", instance.pk)


def on_movement_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _queue("movement", instance.pk)


def on_episode_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _queue("episode", instance.pk)


def connect() -> None:
    from django.db.models.signals import post_save

    from phongdich.declarations.models import MedicalDeclaration
    from phongdich.movements.models import Movement
    from phongdich.people.models import StaffMembership
    from phongdich.quarantine.models import Episode

    post_save.connect(on_membership_saved, sender=StaffMembership, dispatch_uid="testing.membership")
    post_save.connect(on_declaration_saved, sender=MedicalDeclaration, dispatch_uid="testing.declaration")
    post_save.connect(on_movement_saved, sender=Movement, dispatch_uid="testing.movement")
    post_save.connect(on_episode_saved, sender=Episode, dispatch_uid="testing.episode")


# --- Sweep --------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    events: int = 0
    orders: int = 0


def sweep(*, days: int | None = None, today: date | None = None) -> SweepResult:
    """Judge every event of the last ``days`` days (default: the event age limit) — the rows a bulk load
    wrote without signals. Orders already made are found by their source key, not made again."""
    from phongdich.declarations.models import MedicalDeclaration
    from phongdich.movements.models import Direction, Movement
    from phongdich.people.models import StaffMembership
    from phongdich.quarantine.models import Episode, EpisodeStatus

    today = today or timezone.localdate()
    since = today - timedelta(days=event_max_age() if days is None else days)
    before = TestOrder.objects.count()
    result = SweepResult()
    sources: list[tuple[str, Any]] = [
        ("membership", StaffMembership.objects.filter(start_date__gte=since, start_date__lte=today)),
        (
            "declaration",
            MedicalDeclaration.objects.filter(declared_at__date__gte=since, superseded_at__isnull=True).filter(
                has_symptoms=True
            )
            | MedicalDeclaration.objects.filter(
                declared_at__date__gte=since, superseded_at__isnull=True, in_epidemic_area=True
            ),
        ),
        ("movement", Movement.objects.filter(direction=Direction.ARRIVAL, move_date__gte=since)),
        (
            "episode",
            Episode.objects.filter(start_date__gte=since, status=EpisodeStatus.OPEN, previous__isnull=True),
        ),
    ]
    for kind, qs in sources:
        for pk in qs.values_list("pk", flat=True).order_by("pk").iterator():
            result.events += 1
            HANDLERS[kind](pk)
    result.orders = TestOrder.objects.count() - before
    return result
