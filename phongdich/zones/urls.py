from django.urls import URLPattern, URLResolver, path

from . import api, control_api, control_views, views

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
    # Control zones, measure sets, goods-transport passes and checkpoints (Z1, Z2)
    path("control/", control_views.zone_list_view, name="control_list"),
    path("control/export.xlsx", control_views.zone_list_export_view, name="control_list_export"),
    path("control/new/", control_views.zone_create_view, name="control_create"),
    path("control/<uuid:uid>/", control_views.zone_detail_view, name="control_detail"),
    path("control/<uuid:uid>/edit/", control_views.zone_edit_view, name="control_edit"),
    path("control/<uuid:uid>/lift/", control_views.zone_lift_view, name="control_lift"),
    path("control/<uuid:uid>/people.xlsx", control_views.zone_people_export_view, name="control_people_export"),
    path("measures/", control_views.measure_list_view, name="measure_list"),
    path("passes/", control_views.pass_list_view, name="pass_list"),
    path("passes/export.xlsx", control_views.pass_list_export_view, name="pass_list_export"),
    path("passes/new/", control_views.pass_create_view, name="pass_create"),
    path("passes/<uuid:uid>/", control_views.pass_detail_view, name="pass_detail"),
    path("passes/<uuid:uid>/print/", control_views.pass_print_view, name="pass_print"),
    path("passes/<uuid:uid>/revoke/", control_views.pass_revoke_view, name="pass_revoke"),
    path("passes/<uuid:uid>/reissue/", control_views.pass_reissue_view, name="pass_reissue"),
    path("checkpoints/", control_views.checkpoint_list_view, name="checkpoint_list"),
    path("checkpoints/<uuid:uid>/", control_views.checkpoint_view, name="checkpoint"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("epidemic-areas/", api.AreaListCreateApi.as_view(), name="epidemic-areas-list"),
    path("epidemic-areas/<uuid:uid>/", api.AreaDetailApi.as_view(), name="epidemic-areas-detail"),
    path("epidemic-areas/<uuid:uid>/flags/", api.AreaFlagsApi.as_view(), name="epidemic-areas-flags"),
    path("exposure-flags/", api.ExposureFlagListApi.as_view(), name="exposure-flags-list"),
    path("place-visits/", api.PlaceVisitCreateApi.as_view(), name="place-visits-create"),
    path("control-zones/", control_api.ZoneListApi.as_view(), name="control-zones-list"),
    path("control-zones/<uuid:uid>/", control_api.ZoneDetailApi.as_view(), name="control-zones-detail"),
    path("measure-sets/", control_api.MeasureSetListApi.as_view(), name="measure-sets-list"),
    path("transport-passes/", control_api.PassListCreateApi.as_view(), name="transport-passes-list"),
    path("transport-passes/<uuid:uid>/", control_api.PassDetailApi.as_view(), name="transport-passes-detail"),
    path("transport-passes/<uuid:uid>/revoke/", control_api.PassRevokeApi.as_view(), name="transport-passes-revoke"),
    path("transport-passes/<uuid:uid>/reissue/", control_api.PassReissueApi.as_view(), name="transport-passes-reissue"),
    path("transport-checkpoints/", control_api.CheckpointListApi.as_view(), name="transport-checkpoints-list"),
    path("transport-pass-checks/", control_api.CheckListCreateApi.as_view(), name="transport-pass-checks-list"),
]

# Mounted at /luong-xanh/ (namespace "transport-pass"): the address in a pass's QR, open to anyone.
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>/", control_views.public_pass_view, name="public"),
]
