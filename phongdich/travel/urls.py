from django.urls import URLPattern, URLResolver, path

from . import api, views

# Under /travel/ (namespace "travel").
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.trip_list_view, name="list"),
    path("export.xlsx", views.trip_export_view, name="export"),
    path("new/", views.trip_create_view, name="create"),
    path("<uuid:uid>/", views.trip_detail_view, name="detail"),
    path("<uuid:uid>/decide/", views.trip_decide_view, name="decide"),
    path("<uuid:uid>/declare/", views.trip_declare_view, name="declare"),
    path("<uuid:uid>/unapproved/", views.trip_unapproved_view, name="unapproved"),
    path("workforce/", views.plan_list_view, name="plans"),
    path("workforce/export.xlsx", views.plan_export_view, name="plans-export"),
    path("workforce/new/", views.plan_create_view, name="plan-create"),
    path("workforce/passes/", views.pass_list_view, name="passes"),
    path("workforce/passes/export.xlsx", views.pass_export_view, name="passes-export"),
    path("workforce/<uuid:uid>/", views.plan_detail_view, name="plan"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("travel/trips/", api.TripListApi.as_view(), name="travel-trips"),
    path("travel/trips/<uuid:uid>/", api.TripDetailApi.as_view(), name="travel-trip"),
    path("travel/on-site-plans/", api.PlanListApi.as_view(), name="travel-plans"),
    path("travel/worker-passes/", api.PassListApi.as_view(), name="travel-passes"),
]
