"""In-app notifications and the log of every message sent or failed, on any channel (issue 6, R1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel


class NotificationChannel(models.TextChoices):
    IN_APP = "in_app", _("Trong hệ thống")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(BaseModel):
    """A message in a user's in-app inbox; ``read_at`` is set when they open or mark it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("liên kết"), max_length=500, blank=True)
    kind = models.CharField(_("loại"), max_length=40, blank=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]

    def __str__(self) -> str:
        return self.title


class NotificationLog(models.Model):
    """One line per message per channel: sent (with the gateway's message id) or failed (with the error)."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=40, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=DeliveryStatus.choices)
    message_id = models.CharField(_("mã tin"), max_length=100, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nhật ký gửi thông báo")
        verbose_name_plural = _("nhật ký gửi thông báo")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.channel} {self.address} {self.status}"
