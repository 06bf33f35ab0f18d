from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.campaign_list_view, name="campaigns"),
    path("new/", views.campaign_create_view, name="campaign-create"),
    path("<uuid:uid>/", views.campaign_detail_view, name="campaign"),
    path("<uuid:uid>/edit/", views.campaign_edit_view, name="campaign-edit"),
    path("<uuid:uid>/draw/", views.round_draw_view, name="draw"),
    path("rounds/<uuid:uid>/", views.round_detail_view, name="round"),
    path("rounds/<uuid:uid>/export.xlsx", views.round_export_view, name="round-export"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("screening/campaigns/", api.CampaignListCreateApi.as_view(), name="screening-campaigns"),
    path("screening/campaigns/<uuid:uid>/", api.CampaignDetailApi.as_view(), name="screening-campaign"),
    path("screening/campaigns/<uuid:uid>/draw/", api.RoundDrawApi.as_view(), name="screening-draw"),
    path("screening/rounds/<uuid:uid>/", api.RoundDetailApi.as_view(), name="screening-round"),
]
