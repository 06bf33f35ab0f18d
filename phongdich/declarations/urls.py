from django.urls import URLPattern, URLResolver, path

from . import api, views

# Officials' pages, under /declarations/ (namespace "declarations").
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.list_view, name="list"),
    path("export.xlsx", views.export_view, name="export"),
    path("new/", views.assisted_view, name="create"),
    path("follow-up/", views.task_list_view, name="tasks"),
    path("follow-up/export.xlsx", views.task_export_view, name="tasks_export"),
    path("follow-up/<uuid:uid>/done/", views.task_done_view, name="task_done"),
    path("<uuid:uid>/", views.detail_view, name="detail"),
]

# The public self-service form, under /khai-bao/ (namespace "declare").
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.declare_view, name="form"),
    path("cap-nhat/", views.update_view, name="update"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("declarations/", api.DeclarationCreateApi.as_view(), name="declarations-create"),
    path("declarations/<uuid:uid>/", api.DeclarationDetailApi.as_view(), name="declarations-detail"),
]
