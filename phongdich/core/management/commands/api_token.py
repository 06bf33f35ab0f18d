"""``manage.py api_token USERNAME``: print the user's API token, creating it if missing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction


class Command(BaseCommand):
    help = "In ra mã truy cập API (token) của một tài khoản; tạo mới nếu chưa có."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"Không có tài khoản '{username}'.") from None
        if not user.is_active:
            raise CommandError(f"Tài khoản '{username}' đã bị khóa.")
        with transaction.atomic():
            token, created = Token.objects.get_or_create(user=user)
            if created:
                audit(
                    actor=None,
                    action=AuditAction.CREATE,
                    obj=user,
                    object_type="authtoken.token",
                    summary=f"API token created for {username}",
                )
        self.stdout.write(token.key)
