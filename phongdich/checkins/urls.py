from django.urls import URLPattern, URLResolver, path

from . import api, views

# Officials' pages, under /checkins/ (namespace "checkins").
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("org/<uuid:uid>/", views.organisation_codes, name="organisation"),
    path("premises/<uuid:uid>/issue/", views.code_issue, name="issue"),
    path("premises/<uuid:uid>/revoke/", views.code_revoke, name="revoke"),
    path("premises/<uuid:uid>/poster.pdf", views.poster, name="poster"),
    path("district/<uuid:uid>/posters.pdf", views.district_posters, name="district_posters"),
]

# Public pages (no login) mounted at the site root (namespace "checkin"): what a poster's QR opens.
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<str:token>/", views.scan, name="scan"),
]

# Under /api/v1/ (namespace "api"); each path also answers with a trailing slash (kept out of the schema).
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("checkins", api.CheckInCreateApi.as_view(), name="checkins-create"),
    path("checkins/", api.CheckInCreateApi.as_view(schema=None), name="checkins-create-slash"),
    path("checkins/batch", api.CheckInBatchApi.as_view(), name="checkins-batch"),
    path("checkins/batch/", api.CheckInBatchApi.as_view(schema=None), name="checkins-batch-slash"),
    path("checkins/visitors", api.VisitorCreateApi.as_view(), name="checkins-visitor-create"),
    path("checkins/visitors/", api.VisitorCreateApi.as_view(schema=None), name="checkins-visitor-create-slash"),
]
