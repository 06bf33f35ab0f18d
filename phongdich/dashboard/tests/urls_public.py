"""The project's URLs with the public page mounted as the root URLconf mounts it (for the tests)."""

from django.urls import include, path

from phongdich import urls as root
from phongdich.dashboard import urls as dashboard_urls

urlpatterns = list(root.urlpatterns)
if not any(getattr(p, "namespace", None) == "public" for p in urlpatterns):
    urlpatterns.append(path("cong-khai/", include((dashboard_urls.public_urlpatterns, "public"), namespace="public")))
