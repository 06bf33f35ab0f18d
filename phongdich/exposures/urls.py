from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.pending_view, name="pending"),
    path("export.xlsx", views.pending_export_view, name="pending-export"),
    path("cases/<uuid:uid>/", views.case_view, name="case"),
    path("cases/<uuid:uid>/export.xlsx", views.case_export_view, name="case-export"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<uuid:uid>/exposures/", api.CaseExposuresApi.as_view(), name="case-exposures"),
    path("cases/<uuid:uid>/exposures/run/", api.CaseExposuresRunApi.as_view(), name="case-exposures-run"),
    path("cases/<uuid:uid>/exposures/confirm/", api.CaseExposuresConfirmApi.as_view(), name="case-exposures-confirm"),
    path("cases/<uuid:uid>/exposures/dismiss/", api.CaseExposuresDismissApi.as_view(), name="case-exposures-dismiss"),
]
