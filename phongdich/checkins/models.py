"""QR check-in (M1, C4): premises codes on posters, the phones that scan them, the check-ins.

``CheckIn`` is the province's highest-volume table (about 2.5 million rows a day, kept for
``CHECKIN_RETENTION_DAYS``), so it stays lean: a bigint key, two foreign keys, two times, the
client's idempotency UUID and a one-word source. Its indexes serve exactly the two questions
exposure matching asks — who was at premises P between t1 and t2 ``(premises, at)``, and where
was person X in a window ``(person, at)`` — plus the unique ``client_id`` that makes a check-in
sent twice stored once. There is no index on ``at`` alone: the retention purge walks the
primary key instead (ids grow with ``received_at``; see ``services.checkins_purge``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.orgs.models import Premises
from phongdich.people.models import Person


class PremisesCodeQuerySet(models.QuerySet["PremisesCode"]):
    def active(self) -> PremisesCodeQuerySet:
        return self.filter(revoked_at__isnull=True)


class PremisesCode(BaseModel):
    """The secret printed on a premises' poster, as ``{SITE_URL}/c/<token>/``.

    The token is 192 random bits (``secrets.token_urlsafe(24)``), so it cannot be guessed or
    enumerated and carries no integer id. It is kept in clear because a poster must be
    reprintable at any time; it grants nothing but the right to say "I was here".
    At most one active (not revoked) code per premises.
    """

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="codes", verbose_name=_("địa điểm"))
    token = models.CharField(_("mã bí mật"), max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("cấp lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người cấp"),
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thu hồi"),
    )
    reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)

    objects = PremisesCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã QR địa điểm")
        verbose_name_plural = _("mã QR địa điểm")
        ordering = ["premises", "-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["premises"], condition=models.Q(revoked_at__isnull=True), name="checkins_one_active_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.premises} ({self.issued_at:%d/%m/%Y})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Visitor(models.Model):
    """A phone that identified its owner once: the hash of its device token and the person.

    The token itself lives only on the phone (localStorage and a signed cookie); the server
    keeps its SHA-256, so a copy of the database cannot impersonate a phone.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A named reverse relation (not "+"), so that merging two people moves their phones too.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="checkin_devices", verbose_name=_("người")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thiết bị quét mã")
        verbose_name_plural = _("thiết bị quét mã")

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%d/%m/%Y})"


class Source(models.TextChoices):
    POSTER = "poster", _("Quét mã tại địa điểm")
    GATE = "gate", _("Quét mã cá nhân tại cổng")
    BATCH = "batch", _("Gửi theo lô")


class CheckIn(models.Model):
    """One presence: a person at premises at a time. Lean on purpose (see the module docstring)."""

    id = models.BigAutoField(primary_key=True)
    premises = models.ForeignKey(
        Premises, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("địa điểm")
    )
    # Named reverse relation: ``people.services.person_merge`` moves what it can see.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="checkins", db_index=False, verbose_name=_("người")
    )
    at = models.DateTimeField(_("thời điểm"))
    received_at = models.DateTimeField(_("nhận lúc"))
    client_id = models.UUIDField(_("mã gửi"), unique=True)
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices, default=Source.POSTER)

    class Meta:
        verbose_name = _("lượt quét mã")
        verbose_name_plural = _("lượt quét mã")
        indexes = [
            models.Index(fields=["premises", "at"], name="checkins_premises_at"),
            models.Index(fields=["person", "at"], name="checkins_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.premises_id} {self.at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """The stored answer to a request sent with an ``Idempotency-Key`` (kept a few days).

    ``owner`` names who sent it (``user:<id>`` or ``device:<hash prefix>`` or ``ip:<addr>``),
    so two clients choosing the same key never see each other's answers.
    """

    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=40)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("yêu cầu đã xử lý")
        verbose_name_plural = _("yêu cầu đã xử lý")
        constraints = [models.UniqueConstraint(fields=["owner", "endpoint", "key"], name="checkins_idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.owner} {self.endpoint} {self.key}"
