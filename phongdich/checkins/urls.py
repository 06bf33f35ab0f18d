from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# Public pages (no login) mounted at the site root.
public_urlpatterns: list[URLPattern | URLResolver] = []

api_urlpatterns: list[URLPattern | URLResolver] = []
