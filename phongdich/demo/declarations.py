"""Demo step: medical declarations (M2). About thirty synthetic residents of Thái Nguyên declare through the
declarations services — most by themselves, a few helped by their commune — some with symptoms, some back
from the demo's epidemic area Đà Nẵng in the last days, which gives their communes follow-up tasks.

Run after the epidemic-area step (Đà Nẵng must be loaded and declared). The declarants are existing
synthetic people (matched by their CCCD), so their declarations mark what the step filed before."""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from phongdich.declarations.models import Channel, FollowUpTask, MedicalDeclaration
from phongdich.declarations.services import declaration_file
from phongdich.geo.models import Level, Unit
from phongdich.people.models import Person
from phongdich.quarantine.services import residence_commune
from phongdich.zones.models import PlaceKind

from . import catalogue

if TYPE_CHECKING:
    from .steps import Demo

DECLARATIONS = 30
WITH_SYMPTOMS = 6  # of which the first two also came back from Đà Nẵng
FROM_DA_NANG = 8
ASSISTED = 4  # filed by an official for people without a phone or internet
DA_NANG = "48"


def _candidates() -> Any:
    """Synthetic adults with a CCCD and a phone, without a login or a declaration."""
    return (
        Person.objects.filter(
            is_synthetic=True, user__isnull=True, merged_into__isnull=True, cccd__isnull=False, birth_year__lte=2003
        )
        .exclude(phone="")
        .exclude(declarations__isnull=False)
        .select_related("residence_unit")
        .order_by("id")
    )


def _declarants(n: int, rng: random.Random) -> list[Person]:
    """``n`` declarants spread over the province, the last ``ASSISTED`` living where a commune officer works
    (when the demo has such logins), so that the officer can file for them."""
    from phongdich.orgs.models import Role, RoleAssignment

    communes = Unit.objects.filter(
        pk__in=RoleAssignment.objects.active().filter(role=Role.COMMUNE_OFFICER).values("unit")
    )
    helped: list[Person] = []
    for commune in communes.order_by("path"):
        helped += list(_candidates().in_unit(commune)[: ASSISTED - len(helped)])
        if len(helped) >= ASSISTED:
            break
    pool = list(_candidates().exclude(pk__in=[p.pk for p in helped])[: 20 * n])
    return rng.sample(pool, min(n - len(helped), len(pool))) + helped


def _data(person: Person, commune: Unit, *, symptoms: bool, rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": person.full_name,
        "id_number": person.cccd,
        "birth_year": person.birth_year,
        "sex": person.sex,
        "nationality": "VN",
        "residence_unit": commune,
        "address": person.address or commune.name,
        "phone": person.phone,
    }
    if symptoms:
        for name in rng.sample(["fever", "cough", "sore_throat", "fatigue", "breathlessness"], 2):
            data[name] = True
    return data


def step_declarations(demo: Demo) -> None:
    existing = MedicalDeclaration.objects.filter(person__is_synthetic=True).count()
    if existing:
        tasks = FollowUpTask.objects.filter(person__is_synthetic=True).count()
        demo.say(f"Tờ khai y tế giả lập: {existing}, {tasks} việc cần theo dõi (giữ nguyên).")
        return
    rng = random.Random(demo.seed + 13)
    today = timezone.localdate()
    da_nang = Unit.objects.filter(tree=catalogue.TREE, code=DA_NANG, level=Level.PROVINCE).first()
    da_nang_communes = list(Unit.objects.subtree(da_nang).filter(level=Level.COMMUNE)) if da_nang else []
    province = demo.unit("province")
    officials: dict[int, Any] = {}
    for n, person in enumerate(_declarants(DECLARATIONS, rng)):
        commune = residence_commune(person.residence_unit)
        if not commune.path.startswith(province.path):
            continue
        visits = []
        if n < FROM_DA_NANG and da_nang_communes:
            start = today - timedelta(days=rng.randint(4, 12))
            visits.append(
                {
                    "kind": PlaceKind.UNIT,
                    "unit": rng.choice(da_nang_communes),
                    "from_date": start,
                    "to_date": start + timedelta(days=rng.randint(0, 3)),
                }
            )
        symptoms = n < 2 or FROM_DA_NANG <= n < FROM_DA_NANG + WITH_SYMPTOMS - 2
        data = _data(person, commune, symptoms=symptoms, rng=rng)
        if visits:
            data.update(vehicle="plane", departure_place="Đà Nẵng", arrival_place="Thái Nguyên")
            data["departure_date"] = visits[0]["to_date"]
            data["arrival_date"] = visits[0]["to_date"]
        actor = _official(commune, officials) if n >= DECLARATIONS - ASSISTED else None
        declaration_file(
            actor=actor,
            channel=Channel.ASSISTED if actor is not None else Channel.SELF,
            data=data,
            visits=visits,
        )
    filed = MedicalDeclaration.objects.filter(person__is_synthetic=True)
    tasks = FollowUpTask.objects.filter(person__is_synthetic=True).count()
    demo.say(
        f"Tờ khai y tế giả lập: {filed.count()} ({filed.filter(has_symptoms=True).count()} có triệu chứng, "
        f"{filed.filter(in_epidemic_area=True).count()} về từ Đà Nẵng), {tasks} việc cần theo dõi."
    )


def _official(commune: Unit, cache: dict[int, Any]) -> Any:
    """A commune officer of ``commune`` from the demo's logins, if there is one (else the system files it)."""
    if commune.pk not in cache:
        from phongdich.orgs.models import Role, RoleAssignment

        assignment = (
            RoleAssignment.objects.active()
            .filter(role=Role.COMMUNE_OFFICER, unit=commune)
            .select_related("user")
            .first()
        )
        cache[commune.pk] = assignment.user if assignment is not None else None
    return cache[commune.pk]
