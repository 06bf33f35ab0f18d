from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [path("", views.home, name="home")]
api_urlpatterns: list[URLPattern | URLResolver] = []
