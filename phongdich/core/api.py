"""API error handling: field errors as 400, domain errors with their message, never a trace."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError, NotInScope

log = logging.getLogger(__name__)

MALFORMED_JSON = gettext_lazy("Dữ liệu gửi lên không phải JSON hợp lệ.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, NotInScope):
        exc = Http404()
    if isinstance(exc, ApplicationError):
        field = exc.field or "non_field_errors"
        return Response({field: [str(exc.message)], **exc.extra}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            data: Any = exc.message_dict
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        # DRF's own text is English whatever the language, followed by Python's decoder message.
        exc = exceptions.ParseError(MALFORMED_JSON)
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("Unhandled API error", exc_info=exc)
        return Response({"detail": _("Lỗi hệ thống. Vui lòng thử lại sau.")}, status=500)
    return response
