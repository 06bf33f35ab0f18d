"""Checks of uploaded files: PDF attachments of plans and directives, evidence of progress (PDF or a photo).
A file is judged by its first bytes, not by its name alone, and by its size; the message is Vietnamese."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from phongdich.core.errors import ValidationFailed

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def attachment_max_bytes() -> int:
    return int(getattr(settings, "COMMAND_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def _head(upload: Any, n: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return bytes(head)


def _size_checked(upload: UploadedFile, field: str) -> None:
    limit = attachment_max_bytes()
    if (upload.size or 0) > limit:
        raise ValidationFailed(
            _("Tệp quá lớn (%(size)s); tối đa %(limit)s. Không có gì được lưu.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)},
            field=field,
        )
    if not upload.size:
        raise ValidationFailed(_("Tệp rỗng. Vui lòng chọn lại tệp."), field=field)


def checked_pdf(upload: UploadedFile, *, field: str = "attachment") -> str:
    """Refuse anything but a PDF within the size limit; returns the stored name (``<uuid>.pdf``)."""
    _size_checked(upload, field)
    name = (upload.name or "").lower()
    if not name.endswith(".pdf") or _head(upload)[: len(PDF_MAGIC)] != PDF_MAGIC:
        raise ValidationFailed(_("Chỉ nhận tệp PDF (.pdf). Tệp đã chọn không phải PDF."), field=field)
    return f"{uuid.uuid4()}.pdf"


def checked_evidence(upload: UploadedFile, *, field: str = "evidence") -> str:
    """Evidence: a PDF, JPEG or PNG within the size limit; returns the stored name."""
    _size_checked(upload, field)
    head = _head(upload)
    if head.startswith(PDF_MAGIC):
        ext = "pdf"
    elif head.startswith(JPEG_MAGIC):
        ext = "jpg"
    elif head.startswith(PNG_MAGIC):
        ext = "png"
    else:
        raise ValidationFailed(
            _("Tệp minh chứng phải là PDF hoặc ảnh (JPEG, PNG). Tệp đã chọn không đúng định dạng."), field=field
        )
    return f"{uuid.uuid4()}.{ext}"
