from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.movement_list_view, name="list"),
    path("export.xlsx", views.movement_export_view, name="export"),
    path("arrivals/new/", views.arrival_create_view, name="arrival"),
    path("departures/new/", views.departure_create_view, name="departure"),
    path("present/", views.present_view, name="present"),
    path("present/export.xlsx", views.present_export_view, name="present-export"),
    path("door-to-door/", views.door_to_door_view, name="door-to-door"),
    path("cross-check/", views.cross_check_view, name="cross-check"),
    path("cross-check/<str:token>.xlsx", views.cross_check_result_view, name="cross-check-result"),
    path("<uuid:uid>/", views.movement_detail_view, name="detail"),
]

# The public arrival declaration (no login), mounted by the root URLs at /khai-bao-di-chuyen/
# (namespace "declare-movement").
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.public_arrival_view, name="form"),
    path("thon/", views.public_hamlets_view, name="hamlets"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("movements/", api.MovementListCreateApi.as_view(), name="movements"),
    path("movements/present/", api.PresentNowApi.as_view(), name="movements-present"),
    path("movements/<uuid:uid>/", api.MovementDetailApi.as_view(), name="movement"),
]
