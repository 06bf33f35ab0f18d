"""Writes to the person registry (D3, M6): create with de-duplication, update, merge.

Every write checks the actor's scope, validates the identity rules of ``validators`` and
writes its audit line in the same transaction. ``actor=None`` is the system itself (demo
data, management commands): no scope check, audited without an actor.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phongdich.core.audit import audit
from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.core.text import fold, normalise_name
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Person, Sex
from .validators import (
    normalise_nationality,
    normalise_passport,
    normalise_phone,
    validate_birth,
    validate_cccd,
)

NAME_REQUIRED = gettext_lazy("Vui lòng nhập họ và tên.")
SEX_INVALID = gettext_lazy("Giới tính phải là Nam hoặc Nữ.")
UNIT_OUT_OF_SCOPE = gettext_lazy("Nơi cư trú này nằm ngoài địa bàn bạn quản lý.")
CCCD_TAKEN = gettext_lazy("Số CCCD này đã thuộc về một người khác.")
CCCD_ELSEWHERE = gettext_lazy(
    "Số CCCD này đã được đăng ký ở địa bàn khác, ngoài địa bàn bạn quản lý. Vui lòng liên hệ cấp trên."
)
MERGE_SELF = gettext_lazy("Không thể gộp một hồ sơ vào chính nó.")
MERGE_TOMBSTONE = gettext_lazy("Hồ sơ này đã được gộp vào hồ sơ khác.")
MERGE_CONFLICT = gettext_lazy("Không gộp được: cả hai hồ sơ đều có bản ghi %(what)s không thể trùng nhau.")

# Fields a caller may set. Derived keys, ids and the merge pointer are not among them.
PERSON_FIELDS: tuple[str, ...] = (
    "full_name",
    "birth_year",
    "birth_date",
    "sex",
    "cccd",
    "passport_no",
    "nationality",
    "phone",
    "email",
    "residence_unit",
    "address",
    "occupation",
    "organisation",
    "entry_date",
    "entry_point",
    "visa_purpose",
    "illegal_entry",
    "user",
    "is_synthetic",
)
# Fields that a merge fills on the kept record when it has them blank.
_FILLABLE: tuple[str, ...] = (
    "birth_date",
    "cccd",
    "passport_no",
    "phone",
    "email",
    "address",
    "occupation",
    "organisation",
    "entry_date",
    "entry_point",
    "visa_purpose",
    "user",
)
_UNIQUE_FILLABLE = ("cccd", "user")


class CreateOutcome(enum.StrEnum):
    CREATED = "created"
    EXISTING = "existing"  # the same CCCD: the existing record, nothing written
    POSSIBLE_DUPLICATE = "possible_duplicate"  # same phone + name + birth year: nothing written


@dataclass
class PersonCreateResult:
    outcome: CreateOutcome
    person: Person | None = None
    candidates: list[Person] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return self.outcome is CreateOutcome.CREATED


def _blank(value: Any) -> bool:
    return value is None or value == ""


def clean_person_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise and validate a complete set of person fields (raises ValidationFailed)."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    out = dict(values)
    name = normalise_name(str(out.get("full_name") or ""))
    if not name:
        raise ValidationFailed(NAME_REQUIRED, field="full_name")
    out["full_name"] = name[:120]
    sex = str(out.get("sex") or "")
    if sex not in Sex.values:
        raise ValidationFailed(SEX_INVALID, field="sex")
    birth_year: Any = out.get("birth_year")
    out["birth_year"] = validate_birth(
        birth_date=out.get("birth_date"), birth_year=None if _blank(birth_year) else int(birth_year)
    )
    out["nationality"] = normalise_nationality(str(out.get("nationality") or "VN"))
    cccd = str(out.get("cccd") or "").strip()
    out["cccd"] = validate_cccd(cccd, sex=sex, birth_year=out["birth_year"]) if cccd else None
    phone = str(out.get("phone") or "").strip()
    out["phone"] = normalise_phone(phone) if phone else ""
    passport = str(out.get("passport_no") or "").strip()
    out["passport_no"] = normalise_passport(passport) if passport else ""
    for text_field in ("email", "address", "occupation", "entry_point", "visa_purpose"):
        out[text_field] = " ".join(str(out.get(text_field) or "").split())
    if not isinstance(out.get("residence_unit"), Unit):
        raise ValidationFailed(gettext_lazy("Vui lòng chọn nơi cư trú."), field="residence_unit")
    return out


def check_person_scope(actor: User | None, *, unit: Unit, organisation: Organisation | None) -> None:
    """The record must lie in the actor's scope: its residence, or (an organisation head's staff) its organisation."""
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.contains_unit(unit):
        return
    if organisation is not None and scope.contains_organisation(organisation):
        return
    raise ValidationFailed(UNIT_OUT_OF_SCOPE, field="residence_unit")


def live_person(person: Person) -> Person:
    """Follow merge pointers to the record that is still in use."""
    seen = {person.pk}
    while person.merged_into_id is not None:
        person = Person.objects.get(pk=person.merged_into_id)
        if person.pk in seen:  # pragma: no cover - merges never create a cycle
            break
        seen.add(person.pk)
    return person


def possible_duplicates(
    *, actor: User | None, phone: str, full_name: str, birth_year: int, exclude: Person | None = None
) -> list[Person]:
    """Active people in the actor's scope with the same phone, folded name and birth year."""
    if not phone:
        return []
    qs = Person.objects.all() if actor is None else Person.objects.for_user(actor)
    qs = qs.active().filter(phone=phone, birth_year=birth_year, name_folded=fold(full_name)[:120])
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.select_related("residence_unit")[:20])


@transaction.atomic
def person_create(*, actor: User | None, force: bool = False, **fields: Any) -> PersonCreateResult:
    """Register a person, unless they are already registered.

    The same CCCD returns the existing record (outcome ``existing``). The same phone, folded
    name and birth year returns ``possible_duplicate`` with the candidates, unless ``force``.
    """
    values = clean_person_fields(fields)
    check_person_scope(actor, unit=values["residence_unit"], organisation=values.get("organisation"))
    if values["cccd"]:
        holder = Person.objects.filter(cccd=values["cccd"]).first()
        if holder is not None:
            holder = live_person(holder)
            if actor is not None and not Person.objects.for_user(actor).filter(pk=holder.pk).exists():
                raise ValidationFailed(CCCD_ELSEWHERE, field="cccd")
            audit(
                actor=actor,
                action=AuditAction.READ,
                obj=holder,
                summary=_("Số CCCD đã đăng ký: trả về hồ sơ có sẵn"),
            )
            return PersonCreateResult(outcome=CreateOutcome.EXISTING, person=holder)
    if not force:
        candidates = possible_duplicates(
            actor=actor, phone=values["phone"], full_name=values["full_name"], birth_year=values["birth_year"]
        )
        if candidates:
            return PersonCreateResult(outcome=CreateOutcome.POSSIBLE_DUPLICATE, candidates=candidates)
    person = Person(**values)
    person.save()
    audit(
        actor=actor,
        action=AuditAction.CREATE,
        obj=person,
        summary=f"{person.full_name} ({person.birth_year})",
        detail={"forced": True} if force else None,
    )
    return PersonCreateResult(outcome=CreateOutcome.CREATED, person=person)


def _current_values(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in PERSON_FIELDS}


@transaction.atomic
def person_update(*, person: Person, actor: User | None, **fields: Any) -> Person:
    """Change some fields of a person; the whole record is re-validated."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.merged_into_id is not None:
        raise ValidationFailed(MERGE_TOMBSTONE)
    if actor is not None and not Person.objects.for_user(actor).filter(pk=locked.pk).exists():
        raise NotInScope(_("Không tìm thấy hồ sơ."))
    before = _current_values(locked)
    values = clean_person_fields({**before, **fields})
    if values["residence_unit"] != before["residence_unit"] or values["organisation"] != before["organisation"]:
        check_person_scope(actor, unit=values["residence_unit"], organisation=values.get("organisation"))
    if values["cccd"] and Person.objects.filter(cccd=values["cccd"]).exclude(pk=locked.pk).exists():
        raise ValidationFailed(CCCD_TAKEN, field="cccd")
    changed = sorted(name for name in PERSON_FIELDS if values[name] != before[name])
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked.save()
    audit(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        summary=f"{locked.full_name} ({locked.birth_year})",
        detail={"changed": changed},
    )
    person.refresh_from_db()
    return locked


def _move_related(*, keep: Person, drop: Person) -> dict[str, int]:
    """Re-point every record that refers to ``drop`` at ``keep``; return the counts by model."""
    moved: dict[str, int] = {}
    for rel in Person._meta.related_objects:
        rel_field = rel.field
        if rel_field.name == "merged_into" and rel.related_model is Person:
            continue
        model: type[models.Model] = rel.related_model
        label = f"{model._meta.label_lower}.{rel_field.name}"
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            if not through._meta.auto_created:
                continue  # an explicit through model is moved through its own foreign key
            objs = list(model._base_manager.filter(**{rel_field.name: drop}))
            for obj in objs:
                manager = getattr(obj, rel_field.name)
                manager.remove(drop)
                manager.add(keep)
            count = len(objs)
        elif rel.one_to_one:
            qs = model._base_manager.filter(**{rel_field.name: drop})
            if not qs.exists():
                continue
            if model._base_manager.filter(**{rel_field.name: keep}).exists():
                raise ValidationFailed(MERGE_CONFLICT % {"what": model._meta.verbose_name})
            count = qs.update(**{rel_field.name: keep})
        else:
            try:
                with transaction.atomic():
                    count = model._base_manager.filter(**{rel_field.name: drop}).update(**{rel_field.name: keep})
            except IntegrityError as exc:
                raise ValidationFailed(MERGE_CONFLICT % {"what": model._meta.verbose_name}) from exc
        if count:
            moved[label] = count
    return moved


@transaction.atomic
def person_merge(*, keep: Person, drop: Person, actor: User | None) -> Person:
    """Merge ``drop`` into ``keep``: every linked record moves, blanks are filled, ``drop`` stays as a tombstone."""
    if keep.pk == drop.pk:
        raise ValidationFailed(MERGE_SELF, field="drop")
    pair = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])}
    keep_row, drop_row = pair[keep.pk], pair[drop.pk]
    if actor is not None and Person.objects.for_user(actor).filter(pk__in=[keep.pk, drop.pk]).count() != 2:
        raise NotInScope(_("Không tìm thấy hồ sơ."))
    if keep_row.merged_into_id is not None:
        raise ValidationFailed(MERGE_TOMBSTONE, field="keep")
    if drop_row.merged_into_id is not None:
        raise ValidationFailed(MERGE_TOMBSTONE, field="drop")

    moved = _move_related(keep=keep_row, drop=drop_row)

    filled: list[str] = []
    for name in _FILLABLE:
        if _blank(getattr(keep_row, name)) and not _blank(getattr(drop_row, name)):
            value = getattr(drop_row, name)
            if name == "birth_date" and value.year != keep_row.birth_year:
                continue
            filled.append(name)
    if keep_row.illegal_entry is False and drop_row.illegal_entry:
        filled.append("illegal_entry")
    unique_moves = {name: getattr(drop_row, name) for name in filled if name in _UNIQUE_FILLABLE}
    for name in unique_moves:
        setattr(drop_row, name, None)
    drop_row.merged_into = keep_row
    drop_row.save()
    for name in filled:
        setattr(keep_row, name, unique_moves[name] if name in unique_moves else getattr(drop_row, name))
    keep_row.save()
    tombstones = Person.objects.filter(merged_into=drop_row).exclude(pk=keep_row.pk).update(merged_into=keep_row)

    audit(
        actor=actor,
        action=AuditAction.MERGE,
        obj=keep_row,
        summary=_("Gộp %(drop)s vào %(keep)s") % {"drop": drop_row.full_name, "keep": keep_row.full_name},
        detail={"drop": str(drop_row.uid), "moved": moved, "filled": filled, "tombstones": tombstones},
    )
    keep.refresh_from_db()
    drop.refresh_from_db()
    return keep_row
