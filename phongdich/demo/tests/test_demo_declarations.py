"""The demo's declarations step: about thirty declarations of synthetic residents through the services,
some with symptoms, some back from Đà Nẵng (flagged, with follow-up tasks) — idempotent (M2, M5)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from phongdich.declarations.models import Channel, DeclaredVisit, FollowUpTask, MedicalDeclaration
from phongdich.demo.declarations import step_declarations
from phongdich.demo.epidemic_areas import step_epidemic_areas
from phongdich.demo.steps import Demo, run, step_hamlets, step_organisations, step_people, step_units, step_users
from phongdich.geo.models import Level, Unit
from phongdich.zones.models import ExposureFlag

PEOPLE = 300


def demo_run(seed: int = 2021) -> str:
    out = io.StringIO()
    steps = [
        ("units", step_units),
        ("hamlets", step_hamlets),
        ("organisations", step_organisations),
        ("people", step_people),
        ("users", step_users),
        ("epidemic_areas", step_epidemic_areas),
        ("declarations", step_declarations),
    ]
    run(Demo(people=PEOPLE, seed=seed, out=out, progress=None), steps)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_declarations_with_symptoms_and_da_nang_give_follow_ups_idempotently_M2(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    output = demo_run()
    declarations = MedicalDeclaration.objects.all()
    assert 25 <= declarations.count() <= 30
    assert all(d.person.is_synthetic and d.person.cccd == d.id_number for d in declarations)
    province = Unit.objects.get(tree="2021", code="19", level=Level.PROVINCE)
    assert all(d.residence_unit.path.startswith(province.path) for d in declarations)
    assert declarations.filter(has_symptoms=True).count() >= 4
    back = declarations.filter(in_epidemic_area=True)
    assert back.count() >= 6
    da_nang = Unit.objects.get(tree="2021", code="48", level=Level.PROVINCE)
    assert all(v.unit.path.startswith(da_nang.path) for v in DeclaredVisit.objects.all())
    assert (
        ExposureFlag.objects.filter(source__startswith="declaration:", cleared_at__isnull=True).count() == back.count()
    )
    # The demo's commune officers filed a few for people without a phone or internet.
    assisted = declarations.filter(channel=Channel.ASSISTED)
    assert assisted.exists()
    assert all(d.recorded_by is not None for d in assisted)
    # Every declaration with symptoms or a visit to Đà Nẵng gave its residence commune a follow-up task.
    needing = declarations.filter(has_symptoms=True) | back
    assert set(FollowUpTask.objects.values_list("declaration", flat=True)) == set(needing.values_list("pk", flat=True))
    assert all(t.commune == t.declaration.residence_unit for t in FollowUpTask.objects.all())
    assert "việc cần theo dõi" in output

    counts = (MedicalDeclaration.objects.count(), FollowUpTask.objects.count(), ExposureFlag.objects.count())
    again = demo_run(seed=7)
    assert "giữ nguyên" in again
    assert (MedicalDeclaration.objects.count(), FollowUpTask.objects.count(), ExposureFlag.objects.count()) == counts
