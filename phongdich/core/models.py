"""Base model, the user account and the append-only audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every domain row: an integer key inside, a UUID outside, creation and update times.

    Integer keys never leave the server; URLs, QR codes and API payloads use ``uid``.
    """

    uid = models.UUIDField(_("mã định danh"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A login. Its powers come from its role assignments (``orgs.RoleAssignment``)."""

    uid = models.UUIDField(_("mã định danh"), default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditAction(models.TextChoices):
    READ = "read", _("Xem")
    EXPORT = "export", _("Xuất dữ liệu")
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    MERGE = "merge", _("Gộp hồ sơ")
    IMPORT = "import", _("Nhập dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    SEARCH = "search", _("Tìm kiếm")


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutableError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError


class AuditLogImmutableError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("The audit log is append-only.")


class AuditLog(models.Model):
    """Append-only: who did what to which record, when and from where.

    Rows are only ever inserted (``core.audit.audit``); the model refuses updates
    and deletes and the database refuses them too (triggers in migration 0002).
    """

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True, db_index=True)
    object_uid = models.CharField(_("mã đối tượng"), max_length=64, blank=True, db_index=True)
    summary = models.CharField(_("mô tả"), max_length=255, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    path = models.CharField(_("đường dẫn"), max_length=255, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "at"], name="audit_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_type} {self.object_uid}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogImmutableError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError
