from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index_view, name="index"),
    path("gatherings/", views.gathering_list_view, name="gatherings"),
    path("gatherings/export.xlsx", views.gathering_export_view, name="gatherings-export"),
    path("gatherings/new/", views.gathering_create_view, name="gathering-create"),
    path("gatherings/<uuid:uid>/", views.gathering_view, name="gathering"),
    path("gatherings/<uuid:uid>/decide/", views.gathering_decide_view, name="gathering-decide"),
    path("inspections/", views.inspection_list_view, name="inspections"),
    path("inspections/export.xlsx", views.inspection_export_view, name="inspections-export"),
    path("inspections/new/", views.inspection_create_view, name="inspection-create"),
    path("inspections/not-inspected/", views.not_inspected_view, name="not-inspected"),
    path("inspections/not-inspected/export.xlsx", views.not_inspected_export_view, name="not-inspected-export"),
    path("inspections/plans/new/", views.plan_create_view, name="plan-create"),
    path("inspections/plans/<uuid:uid>/", views.plan_view, name="plan"),
    path("inspections/<uuid:uid>/", views.inspection_view, name="inspection"),
    path("inspections/<uuid:uid>/follow-ups/", views.follow_up_add_view, name="follow-up-add"),
    path(
        "inspections/<uuid:uid>/follow-ups/<uuid:follow_up_uid>/close/",
        views.follow_up_close_view,
        name="follow-up-close",
    ),
    path("violations/", views.violation_list_view, name="violations"),
    path("violations/export.xlsx", views.violation_export_view, name="violations-export"),
    path("violations/new/", views.violation_create_view, name="violation-create"),
    path("violations/<uuid:uid>/", views.violation_view, name="violation"),
    path("violations/<uuid:uid>/publish/", views.violation_publish_view, name="violation-publish"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("enforcement/gatherings/", api.GatheringListApi.as_view(), name="enforcement-gatherings"),
    path(
        "enforcement/gatherings/<uuid:uid>/decision/",
        api.GatheringDecisionApi.as_view(),
        name="enforcement-gathering-decision",
    ),
    path("enforcement/gathering-cap/", api.GatheringCapApi.as_view(), name="enforcement-gathering-cap"),
    path("enforcement/inspections/", api.InspectionListApi.as_view(), name="enforcement-inspections"),
    path("enforcement/not-inspected/", api.NotInspectedApi.as_view(), name="enforcement-not-inspected"),
    path("enforcement/violations/", api.ViolationListApi.as_view(), name="enforcement-violations"),
    path("enforcement/regulations/", api.RegulationListApi.as_view(), name="enforcement-regulations"),
    path("enforcement/public-violations/", api.PublicViolationListApi.as_view(), name="enforcement-public-violations"),
]

public_urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.public_violations_view, name="list"),
]
