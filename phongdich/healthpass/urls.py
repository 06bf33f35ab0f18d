from django.urls import URLPattern, URLResolver, path

from . import views
from .api import CoverageApi

# Officials' pages, under /healthpass/ (namespace "healthpass").
urlpatterns: list[URLPattern | URLResolver] = [
    path("gate/", views.gate_select, name="gate_select"),
    path("gate/<uuid:uid>/", views.gate, name="gate"),
    path("person/<uuid:uid>/", views.person_pass, name="person"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/organisations/", views.coverage_organisations, name="coverage_organisations"),
    path("coverage/organisations.xlsx", views.coverage_export, name="coverage_export"),
]

# Public pages (no login) mounted at the site root (namespace "pass").
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("qr/", views.my_pass, name="mine"),
]

# Under /api/v1/ (namespace "api").
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("coverage/", CoverageApi.as_view(), name="coverage"),
]
