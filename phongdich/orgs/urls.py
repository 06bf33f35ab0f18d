from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("roles/", views.role_list, name="roles"),
    path("roles/<uuid:uid>/revoke/", views.role_revoke, name="role_revoke"),
    path("follows/", views.follow_list, name="follows"),
    path("follows/<uuid:uid>/revoke/", views.follow_revoke, name="follow_revoke"),
    path("followed/", views.followed, name="followed"),
    path("premises/<uuid:uid>/edit/", views.premises_edit, name="premises_edit"),
    path("<uuid:uid>/", views.organisation_detail, name="detail"),
    path("<uuid:uid>/edit/", views.organisation_edit, name="edit"),
    path("<uuid:uid>/premises/new/", views.premises_create, name="premises_create"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", api.MeApi.as_view(), name="me"),
    path("organisations/", api.OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/<uuid:uid>/", api.OrganisationDetailApi.as_view(), name="organisation-detail"),
    path("organisations/<uuid:uid>/premises/", api.PremisesListApi.as_view(), name="organisation-premises"),
    path("role-assignments/", api.RoleAssignmentListApi.as_view(), name="role-assignment-list"),
    path("role-assignments/<uuid:uid>/", api.RoleAssignmentDetailApi.as_view(), name="role-assignment-detail"),
    path("follow-assignments/", api.FollowAssignmentListApi.as_view(), name="follow-assignment-list"),
]
