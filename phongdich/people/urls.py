from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.person_list_view, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("export.<str:fmt>", views.person_export_view, name="export"),
    path("foreigners/", views.foreigner_list_view, name="foreigners"),
    path("foreigners/export.<str:fmt>", views.foreigner_export_view, name="foreigners-export"),
    path("import/", views.person_import_view, name="import"),
    path("import/template.<str:fmt>", views.person_import_template_view, name="import-template"),
    path("import/rejected/<str:token>/", views.person_import_rejected_view, name="import-rejected"),
    path("<uuid:uid>/", views.person_detail_view, name="detail"),
    path("<uuid:uid>/edit/", views.person_edit_view, name="edit"),
    path("<uuid:uid>/merge/", views.person_merge_view, name="merge"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", api.PersonListCreateApi.as_view(), name="people-list"),
    path("people/export.<str:fmt>", api.PersonExportApi.as_view(), name="people-export"),
    path("people/<uuid:uid>/", api.PersonDetailApi.as_view(), name="people-detail"),
    path("people/<uuid:uid>/merge/", api.PersonMergeApi.as_view(), name="people-merge"),
]
