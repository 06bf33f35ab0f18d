from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("population/import/", views.population_import_page, name="population_import"),
    path("population/template.<str:fmt>", views.population_template, name="population_template"),
    path("rejected/<str:token>/", views.rejected_file, name="rejected"),
    path("<uuid:uid>/", views.unit_detail, name="unit"),
    path("<uuid:uid>/edit/", views.hamlet_edit, name="hamlet_edit"),
    path("<uuid:uid>/hamlets/add/", views.hamlet_add, name="hamlet_add"),
    path("<uuid:uid>/hamlets/import/", views.hamlet_import_page, name="hamlet_import"),
    path("<uuid:uid>/hamlets/template.<str:fmt>", views.hamlet_template, name="hamlet_template"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("units/", api.UnitListApi.as_view(), name="units-list"),
    path("units/<uuid:uid>/", api.UnitDetailApi.as_view(), name="units-detail"),
    path("units/<uuid:uid>/hamlets/", api.CommuneHamletsApi.as_view(), name="units-hamlets"),
]
