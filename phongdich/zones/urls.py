from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.area_list_view, name="area_list"),
    path("export.xlsx", views.area_list_export_view, name="area_list_export"),
    path("new/", views.area_create_view, name="area_create"),
    path("visits/new/", views.visit_create_view, name="visit_create"),
    path("look-back/", views.lookback_view, name="lookback"),
    path("<uuid:uid>/", views.area_detail_view, name="area_detail"),
    path("<uuid:uid>/edit/", views.area_edit_view, name="area_edit"),
    path("<uuid:uid>/end/", views.area_end_view, name="area_end"),
    path("<uuid:uid>/export.<str:fmt>", views.area_export_view, name="area_export"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("epidemic-areas/", api.AreaListCreateApi.as_view(), name="epidemic-areas-list"),
    path("epidemic-areas/<uuid:uid>/", api.AreaDetailApi.as_view(), name="epidemic-areas-detail"),
    path("epidemic-areas/<uuid:uid>/flags/", api.AreaFlagsApi.as_view(), name="epidemic-areas-flags"),
    path("exposure-flags/", api.ExposureFlagListApi.as_view(), name="exposure-flags-list"),
    path("place-visits/", api.PlaceVisitCreateApi.as_view(), name="place-visits-create"),
]

public_urlpatterns: list[URLPattern | URLResolver] = []
