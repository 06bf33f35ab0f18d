from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dose_list_view, name="doses"),
    path("export.xlsx", views.dose_export_view, name="doses-export"),
    path("doses/new/", views.dose_create_view, name="dose-new"),
    path("doses/<uuid:uid>/", views.dose_detail_view, name="dose"),
    path("doses/<uuid:uid>/delete/", views.dose_delete_view, name="dose-delete"),
    path("doses/<uuid:uid>/adverse-event/", views.event_create_view, name="event-new"),
    path("people/<uuid:uid>/dose/", views.person_dose_view, name="person-dose"),
    path("people/<uuid:uid>/priority/", views.person_priority_view, name="person-priority"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export_view, name="coverage-export"),
    path("adverse-events/", views.event_list_view, name="events"),
    path("adverse-events/export.xlsx", views.event_export_view, name="events-export"),
    path("adverse-events/<uuid:uid>/", views.event_detail_view, name="event"),
    path("adverse-events/<uuid:uid>/follow-up/", views.event_follow_up_view, name="event-follow-up"),
    path("adverse-events/<uuid:uid>/classify/", views.event_classify_view, name="event-classify"),
    path("priority/", views.priority_view, name="priority"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template_view, name="import-template"),
    path("catalogue/", views.catalogue_view, name="catalogue"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("vaccination/products/", api.ProductListApi.as_view(), name="vaccination-products"),
    path("vaccination/lots/", api.LotListApi.as_view(), name="vaccination-lots"),
    path("vaccination/sites/", api.SiteListApi.as_view(), name="vaccination-sites"),
    path("vaccination/doses/", api.DoseListCreateApi.as_view(), name="vaccination-doses"),
    path("vaccination/doses/<uuid:uid>/", api.DoseDetailApi.as_view(), name="vaccination-dose"),
    path("vaccination/coverage/", api.CoverageApi.as_view(), name="vaccination-coverage"),
    path("vaccination/priority-lists/", api.PriorityListApi.as_view(), name="vaccination-priority-lists"),
    path("vaccination/adverse-events/", api.EventListCreateApi.as_view(), name="vaccination-events"),
    path("vaccination/adverse-events/<uuid:uid>/", api.EventDetailApi.as_view(), name="vaccination-event"),
]
