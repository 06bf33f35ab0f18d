"""The project's URLs plus a view that fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from phongdich.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("bí mật: chi tiết nội bộ")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *project_urlpatterns]

handler404 = "phongdich.core.views.page_not_found"
handler500 = "phongdich.core.views.server_error"
