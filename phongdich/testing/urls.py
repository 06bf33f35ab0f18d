from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.order_list_view, name="orders"),
    path("export.xlsx", views.order_export_view, name="orders-export"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("overdue/export.xlsx", views.overdue_export_view, name="overdue-export"),
    path("orders/new/", views.order_create_view, name="order-create"),
    path("orders/<uuid:uid>/", views.order_detail_view, name="order"),
    path("orders/<uuid:uid>/sample/", views.sample_take_view, name="sample-take"),
    path("orders/<uuid:uid>/cancel/", views.order_cancel_view, name="order-cancel"),
    path("labs/", views.lab_list_view, name="labs"),
    path("labs/new/", views.lab_create_view, name="lab-create"),
    path("labs/<uuid:uid>/", views.lab_desk_view, name="lab"),
    path("labs/<uuid:uid>/import/", views.lab_import_view, name="lab-import"),
    path("rules/", views.rule_list_view, name="rules"),
    path("rules/<uuid:uid>/", views.rule_edit_view, name="rule-edit"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("testing/orders/", api.OrderListApi.as_view(), name="testing-orders"),
    path("testing/orders/<uuid:uid>/", api.OrderDetailApi.as_view(), name="testing-order"),
    path("testing/samples/", api.SampleListApi.as_view(), name="testing-samples"),
    path("testing/pools/", api.PoolListApi.as_view(), name="testing-pools"),
    path("testing/results/", api.ResultListApi.as_view(), name="testing-results"),
    path("testing/labs/", api.LabListApi.as_view(), name="testing-labs"),
    path("testing/rules/", api.RuleListApi.as_view(), name="testing-rules"),
]
