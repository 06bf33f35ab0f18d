from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("tinh-hinh/", views.overview, name="dashboard-overview"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
# Without login, for the press and citizens (G4); included at the root as
# path("cong-khai/", include((dashboard_urls.public_urlpatterns, "public"), namespace="public")).
public_urlpatterns: list[URLPattern | URLResolver] = [path("", views.public, name="overview")]
