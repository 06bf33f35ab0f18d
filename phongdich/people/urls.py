from django.urls import URLPattern, URLResolver, path

from . import api, staff_api, staff_views, views

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
    # Staff registry and management chain (D2–D3)
    path("staff/org/<uuid:uid>/", staff_views.staff_list_view, name="staff-list"),
    path("staff/org/<uuid:uid>/new/", staff_views.staff_create_view, name="staff-create"),
    path("staff/org/<uuid:uid>/export.<str:fmt>", staff_views.staff_export_view, name="staff-export"),
    path("staff/org/<uuid:uid>/import/", staff_views.staff_import_view, name="staff-import"),
    path("staff/import/template.<str:fmt>", staff_views.staff_import_template_view, name="staff-import-template"),
    path("staff/import/rejected/<str:token>/", staff_views.staff_import_rejected_view, name="staff-import-rejected"),
    path("staff/<uuid:uid>/edit/", staff_views.staff_edit_view, name="staff-edit"),
    path("staff/<uuid:uid>/end/", staff_views.staff_end_view, name="staff-end"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", api.PersonListCreateApi.as_view(), name="people-list"),
    path("people/export.<str:fmt>", api.PersonExportApi.as_view(), name="people-export"),
    path("people/<uuid:uid>/", api.PersonDetailApi.as_view(), name="people-detail"),
    path("people/<uuid:uid>/merge/", api.PersonMergeApi.as_view(), name="people-merge"),
    path("people/<uuid:uid>/approvers/", staff_api.PersonApproversApi.as_view(), name="people-approvers"),
    path("staff/", staff_api.StaffListCreateApi.as_view(), name="staff-list"),
    path("staff/export.<str:fmt>", staff_api.StaffExportApi.as_view(), name="staff-export"),
    path("staff/<uuid:uid>/", staff_api.StaffDetailApi.as_view(), name="staff-detail"),
    path("staff/<uuid:uid>/end/", staff_api.StaffEndApi.as_view(), name="staff-end"),
    path("staff/<uuid:uid>/approvers/", staff_api.StaffApproversApi.as_view(), name="staff-approvers"),
]
