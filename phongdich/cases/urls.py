from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list_view, name="list"),
    path("new/", views.case_register_view, name="register"),
    path("stats/", views.case_stats_view, name="stats"),
    path("export.<str:fmt>", views.case_export_view, name="export"),
    path("<uuid:uid>/", views.case_detail_view, name="detail"),
    path("<uuid:uid>/transition/", views.case_transition_view, name="transition"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", api.CaseListCreateApi.as_view(), name="cases-list"),
    path("cases/stats/", api.CaseStatsApi.as_view(), name="cases-stats"),
    path("cases/<uuid:uid>/", api.CaseDetailApi.as_view(), name="cases-detail"),
    path("cases/<uuid:uid>/transition/", api.CaseTransitionApi.as_view(), name="cases-transition"),
]
