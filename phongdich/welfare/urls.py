from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.election_list_view, name="elections"),
    path("elections/new/", views.election_create_view, name="election-create"),
    path("elections/<uuid:uid>/", views.election_detail_view, name="election"),
    path("elections/<uuid:uid>/areas/new/", views.polling_area_create_view, name="area-create"),
    path("elections/<uuid:uid>/areas/<uuid:area_uid>/delete/", views.polling_area_delete_view, name="area-delete"),
    path("elections/<uuid:uid>/voters/", views.voters_view, name="voters"),
    path("elections/<uuid:uid>/voters/export.xlsx", views.voters_export_view, name="voters-export"),
    path("checks/", views.event_check_view, name="event-check"),
    path("checks/<str:token>/result.xlsx", views.event_check_result_view, name="event-check-result"),
    path("donations/", views.donation_list_view, name="donations"),
    path("donations/export.xlsx", views.donation_export_view, name="donations-export"),
    path("donations/new/", views.donation_create_view, name="donation-create"),
    path("donations/<uuid:uid>/receipt/", views.receipt_view, name="receipt"),
    path("support/", views.support_list_view, name="support"),
    path("support/export.xlsx", views.support_export_view, name="support-export"),
    path("support/new/", views.support_create_view, name="support-create"),
    path("funds/", views.funds_view, name="funds"),
    path("funds/export.xlsx", views.funds_export_view, name="funds-export"),
    path("budgets/", views.budget_list_view, name="budgets"),
    path("budgets/export.xlsx", views.budget_export_view, name="budgets-export"),
    path("budgets/new/", views.allocation_create_view, name="allocation-create"),
    path("budgets/<uuid:uid>/", views.budget_detail_view, name="budget"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("welfare/elections/", api.ElectionListApi.as_view(), name="welfare-elections"),
    path("welfare/elections/<uuid:uid>/voters/", api.VotersApi.as_view(), name="welfare-voters"),
    path("welfare/donations/", api.DonationListCreateApi.as_view(), name="welfare-donations"),
    path("welfare/support/", api.SupportCreateApi.as_view(), name="welfare-support"),
    path("welfare/funds/", api.FundsApi.as_view(), name="welfare-funds"),
    path("welfare/budgets/", api.BudgetListApi.as_view(), name="welfare-budgets"),
    path("welfare/budgets/spending/", api.SpendingCreateApi.as_view(), name="welfare-spending"),
]
