from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.tracing_home_view, name="clusters"),
    path("contacts/", views.contact_list_view, name="contacts"),
    path("contacts/export.xlsx", views.contact_export_view, name="contacts-export"),
    path("cases/<uuid:case_uid>/contacts/new/", views.contact_create_view, name="contact-create"),
    path("people/<uuid:person_uid>/contacts/new/", views.contact_create_for_person_view, name="contact-create-person"),
    path("f1/", views.f1_unquarantined_view, name="f1"),
    path("chains/", views.chain_list_view, name="chains"),
    path("chains/export.xlsx", views.chain_export_view, name="chains-export"),
    path("chains/<uuid:uid>/", views.chain_detail_view, name="chain"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("tracing/contacts/", api.ContactListCreateApi.as_view(), name="tracing-contacts"),
    path("tracing/chains/", api.ChainListApi.as_view(), name="tracing-chains"),
    path("tracing/chains/<uuid:uid>/graph/", api.ChainGraphApi.as_view(), name="tracing-chain-graph"),
    path("tracing/people/<uuid:uid>/", api.PersonLevelsApi.as_view(), name="tracing-person"),
]
