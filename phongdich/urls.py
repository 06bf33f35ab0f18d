"""Root URLs: pages at the top, the REST API under /api/v1/, its schema at /api/schema/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from phongdich.cases import urls as cases_urls
from phongdich.checkins import urls as checkins_urls
from phongdich.command import urls as command_urls
from phongdich.core import urls as core_urls
from phongdich.dashboard import urls as dashboard_urls
from phongdich.declarations import urls as declarations_urls
from phongdich.enforcement import urls as enforcement_urls
from phongdich.exposures import urls as exposures_urls
from phongdich.geo import urls as geo_urls
from phongdich.healthpass import urls as healthpass_urls
from phongdich.hotlines import urls as hotlines_urls
from phongdich.levels import urls as levels_urls
from phongdich.movements import urls as movements_urls
from phongdich.notifications import urls as notifications_urls
from phongdich.orgs import urls as orgs_urls
from phongdich.people import urls as people_urls
from phongdich.quarantine import urls as quarantine_urls
from phongdich.screening import urls as screening_urls
from phongdich.supplies import urls as supplies_urls
from phongdich.testing import urls as testing_urls
from phongdich.tracing import urls as tracing_urls
from phongdich.travel import urls as travel_urls
from phongdich.vaccination import urls as vaccination_urls
from phongdich.welfare import urls as welfare_urls
from phongdich.zones import urls as zones_urls

# The check-in endpoints first: they are the province's highest-volume requests, and Django tries
# the patterns in order (each one passed over costs every request that comes after it).
api_v1 = [
    *checkins_urls.api_urlpatterns,
    *core_urls.api_urlpatterns,
    *geo_urls.api_urlpatterns,
    *orgs_urls.api_urlpatterns,
    *people_urls.api_urlpatterns,
    *zones_urls.api_urlpatterns,
    *declarations_urls.api_urlpatterns,
    *cases_urls.api_urlpatterns,
    *quarantine_urls.api_urlpatterns,
    *movements_urls.api_urlpatterns,
    *tracing_urls.api_urlpatterns,
    *healthpass_urls.api_urlpatterns,
    *exposures_urls.api_urlpatterns,
    *testing_urls.api_urlpatterns,
    *screening_urls.api_urlpatterns,
    *supplies_urls.api_urlpatterns,
    *vaccination_urls.api_urlpatterns,
    *levels_urls.api_urlpatterns,
    *command_urls.api_urlpatterns,
    *notifications_urls.api_urlpatterns,
    *hotlines_urls.api_urlpatterns,
    *travel_urls.api_urlpatterns,
    *enforcement_urls.api_urlpatterns,
    *welfare_urls.api_urlpatterns,
]

urlpatterns = [
    # The busiest first (see api_v1 above): the API, then the page a poster's QR code opens.
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", include((checkins_urls.public_urlpatterns, "checkin"), namespace="checkin")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="core/redoc.html"),
        name="api-redoc",
    ),
    path("", include(core_urls.urlpatterns)),
    path("", include(dashboard_urls.urlpatterns)),
    path("cong-khai/", include((dashboard_urls.public_urlpatterns, "public"), namespace="public")),
    path("units/", include((geo_urls.urlpatterns, "geo"), namespace="geo")),
    path("orgs/", include((orgs_urls.urlpatterns, "orgs"), namespace="orgs")),
    path("people/", include((people_urls.urlpatterns, "people"), namespace="people")),
    path("zones/", include((zones_urls.urlpatterns, "zones"), namespace="zones")),
    path("khai-bao/", include((declarations_urls.public_urlpatterns, "declare"), namespace="declare")),
    path(
        "khai-bao-di-chuyen/",
        include((movements_urls.public_urlpatterns, "declare-movement"), namespace="declare-movement"),
    ),
    path("declarations/", include((declarations_urls.urlpatterns, "declarations"), namespace="declarations")),
    path("cases/", include((cases_urls.urlpatterns, "cases"), namespace="cases")),
    path("quarantine/", include((quarantine_urls.urlpatterns, "quarantine"), namespace="quarantine")),
    path("movements/", include((movements_urls.urlpatterns, "movements"), namespace="movements")),
    path("tracing/", include((tracing_urls.urlpatterns, "tracing"), namespace="tracing")),
    path("checkins/", include((checkins_urls.urlpatterns, "checkins"), namespace="checkins")),
    path("exposures/", include((exposures_urls.urlpatterns, "exposures"), namespace="exposures")),
    path("healthpass/", include((healthpass_urls.urlpatterns, "healthpass"), namespace="healthpass")),
    path("", include((healthpass_urls.public_urlpatterns, "pass"), namespace="pass")),
    path("testing/", include((testing_urls.urlpatterns, "testing"), namespace="testing")),
    path("screening/", include((screening_urls.urlpatterns, "screening"), namespace="screening")),
    path("supplies/", include((supplies_urls.urlpatterns, "supplies"), namespace="supplies")),
    path("vaccination/", include((vaccination_urls.urlpatterns, "vaccination"), namespace="vaccination")),
    path("levels/", include((levels_urls.urlpatterns, "levels"), namespace="levels")),
    path("command/", include((command_urls.urlpatterns, "command"), namespace="command")),
    path("notifications/", include((notifications_urls.urlpatterns, "notifications"), namespace="notifications")),
    path("hotlines/", include((hotlines_urls.urlpatterns, "hotlines"), namespace="hotlines")),
    path("bao-tin/", include((hotlines_urls.public_urlpatterns, "tip"), namespace="tip")),
    path("travel/", include((travel_urls.urlpatterns, "travel"), namespace="travel")),
    path("enforcement/", include((enforcement_urls.urlpatterns, "enforcement"), namespace="enforcement")),
    path(
        "vi-pham/", include((enforcement_urls.public_urlpatterns, "violations-public"), namespace="violations-public")
    ),
    path("welfare/", include((welfare_urls.urlpatterns, "welfare"), namespace="welfare")),
    path("luong-xanh/", include((zones_urls.public_urlpatterns, "transport-pass"), namespace="transport-pass")),
]

handler400 = "phongdich.core.views.bad_request"
handler403 = "phongdich.core.views.permission_denied"
handler404 = "phongdich.core.views.page_not_found"
handler500 = "phongdich.core.views.server_error"
