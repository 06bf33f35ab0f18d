from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview_view, name="overview"),
    path("export.xlsx", views.export_view, name="export"),
    path("capacity/", views.capacity_view, name="capacity"),
    path("<uuid:uid>/", views.history_view, name="history"),
    path("<uuid:uid>/publish/", views.publish_view, name="publish"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("levels/assessments/", api.AssessmentListApi.as_view(), name="level-assessments-list"),
    path("levels/units/<uuid:uid>/", api.UnitLevelApi.as_view(), name="level-unit"),
    path("levels/what-if/", api.WhatIfApi.as_view(), name="level-what-if"),
    path("levels/capacity-reports/", api.CapacityReportApi.as_view(), name="level-capacity-reports"),
]
