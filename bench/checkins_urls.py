"""URLconf of the check-in benchmark's server: the project's URLs and a bare "200 OK" view."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def ok(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the baseline of the single check-in's throughput."""
    return HttpResponse(b"OK", content_type="text/plain")


urlpatterns = [
    path("bench/ok", ok),
    path("", include("phongdich.urls")),
]
