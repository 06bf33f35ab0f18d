from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list_view, name="list"),
    path("new/", views.case_register_view, name="register"),
    path("stats/", views.case_stats_view, name="stats"),
    path("export.<str:fmt>", views.case_export_view, name="export"),
    path("<uuid:uid>/", views.case_detail_view, name="detail"),
    path("<uuid:uid>/transition/", views.case_transition_view, name="transition"),
    path("<uuid:uid>/cluster/", views.case_cluster_view, name="case-cluster"),
    path("<uuid:uid>/isolation/", views.case_isolation_view, name="isolation"),
    path("clusters/", views.cluster_list_view, name="clusters"),
    path("clusters/new/", views.cluster_create_view, name="cluster-create"),
    path("clusters/export.<str:fmt>", views.cluster_export_view, name="clusters-export"),
    path("clusters/<uuid:uid>/", views.cluster_detail_view, name="cluster"),
    path("clusters/<uuid:uid>/edit/", views.cluster_edit_view, name="cluster-edit"),
    path("clusters/<uuid:uid>/assign/", views.cluster_assign_view, name="cluster-assign"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", api.CaseListCreateApi.as_view(), name="cases-list"),
    path("cases/stats/", api.CaseStatsApi.as_view(), name="cases-stats"),
    path("cases/<uuid:uid>/", api.CaseDetailApi.as_view(), name="cases-detail"),
    path("cases/<uuid:uid>/transition/", api.CaseTransitionApi.as_view(), name="cases-transition"),
    path("cases/<uuid:uid>/isolation/", api.CaseIsolationApi.as_view(), name="cases-isolation"),
    path("clusters/", api.ClusterListCreateApi.as_view(), name="clusters-list"),
    path("clusters/<uuid:uid>/", api.ClusterDetailApi.as_view(), name="clusters-detail"),
    path("clusters/<uuid:uid>/cases/", api.ClusterAssignApi.as_view(), name="clusters-assign"),
]
