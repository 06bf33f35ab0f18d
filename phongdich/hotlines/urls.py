from django.urls import URLPattern, URLResolver, path

from . import api, views

# Officials' pages, under /hotlines/ (namespace "hotlines").
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.directory_view, name="directory"),
    path("teams/", views.team_list_view, name="teams"),
    path("teams/<uuid:uid>/", views.team_detail_view, name="team_detail"),
    path("tips/", views.tip_list_view, name="tips"),
    path("tips/export.xlsx", views.tip_export_view, name="tips_export"),
    path("tips/new/", views.tip_create_view, name="tip_create"),
    path("tips/<uuid:uid>/", views.tip_detail_view, name="tip_detail"),
    path("tips/<uuid:uid>/assign/", views.tip_assign_view, name="tip_assign"),
    path("tips/<uuid:uid>/start/", views.tip_start_view, name="tip_start"),
    path("tips/<uuid:uid>/close/", views.tip_close_view, name="tip_close"),
]

# The public tip form and its status lookup, under /bao-tin/ (namespace "tip").
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.public_tip_view, name="form"),
    path("tra-cuu/", views.public_status_view, name="status"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("hotlines/", api.HotlineListApi.as_view(), name="hotlines-list"),
    path("hotlines/teams/", api.TeamListApi.as_view(), name="hotlines-teams"),
    path("tips/", api.TipListCreateApi.as_view(), name="tips-list"),
    path("tips/<uuid:uid>/", api.TipDetailApi.as_view(), name="tips-detail"),
    path("tips/<uuid:uid>/assign/", api.TipAssignApi.as_view(), name="tips-assign"),
    path("tips/<uuid:uid>/close/", api.TipCloseApi.as_view(), name="tips-close"),
]
