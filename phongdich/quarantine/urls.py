from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.episode_list_view, name="episodes"),
    path("export.xlsx", views.episode_export_view, name="export"),
    path("new/", views.episode_start_view, name="start"),
    path("today/", views.follow_today_view, name="today"),
    path("today/export.xlsx", views.follow_today_export_view, name="today-export"),
    path("handovers/", views.handover_list_view, name="handovers"),
    path("handovers/export.xlsx", views.handover_export_view, name="handovers-export"),
    path("handovers/<uuid:uid>/acknowledge/", views.handover_acknowledge_view, name="handover-acknowledge"),
    path("rules/", views.rule_list_view, name="rules"),
    path("facilities/", views.facility_list_view, name="facilities"),
    path("facilities/export.xlsx", views.facility_export_view, name="facilities-export"),
    path("facilities/new/", views.facility_create_view, name="facility-create"),
    path("facilities/<uuid:uid>/", views.facility_detail_view, name="facility"),
    path("facilities/<uuid:uid>/edit/", views.facility_edit_view, name="facility-edit"),
    path("facilities/<uuid:uid>/readiness/", views.facility_readiness_view, name="facility-readiness"),
    path("<uuid:uid>/", views.episode_detail_view, name="episode"),
    path("<uuid:uid>/check/", views.daily_check_view, name="check"),
    path("<uuid:uid>/release/", views.episode_release_view, name="release"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("quarantine/facilities/", api.FacilityListApi.as_view(), name="quarantine-facilities"),
    path("quarantine/episodes/", api.EpisodeListCreateApi.as_view(), name="quarantine-episodes"),
    path("quarantine/episodes/<uuid:uid>/", api.EpisodeDetailApi.as_view(), name="quarantine-episode"),
    path("quarantine/episodes/<uuid:uid>/release/", api.EpisodeReleaseApi.as_view(), name="quarantine-release"),
    path(
        "quarantine/handovers/<uuid:uid>/acknowledge/",
        api.HandoverAcknowledgeApi.as_view(),
        name="quarantine-handover-acknowledge",
    ),
]
