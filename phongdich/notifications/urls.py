from django.urls import URLPattern, URLResolver, path

from . import api, views

# Under /notifications/ (namespace "notifications").
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox_view, name="inbox"),
    path("read-all/", views.mark_all_read_view, name="read_all"),
    path("<uuid:uid>/read/", views.mark_read_view, name="read"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", api.NotificationListApi.as_view(), name="notifications-list"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="notifications-read-all"),
    path("notifications/<uuid:uid>/read/", api.NotificationReadApi.as_view(), name="notifications-read"),
]
