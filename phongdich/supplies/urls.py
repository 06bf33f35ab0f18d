from django.urls import URLPattern, URLResolver, path

from . import api, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview_view, name="overview"),
    path("open/", views.holder_open_view, name="open"),
    path("items/", views.catalogue_view, name="catalogue"),
    path("low/export.xlsx", views.low_stock_export_view, name="low-export"),
    path("<slug:kind>/<uuid:uid>/", views.holder_view, name="holder"),
    path("<slug:kind>/<uuid:uid>/movement/", views.movement_create_view, name="movement"),
    path("<slug:kind>/<uuid:uid>/threshold/", views.threshold_view, name="threshold"),
    path("<slug:kind>/<uuid:uid>/history/", views.history_view, name="history"),
    path("<slug:kind>/<uuid:uid>/export.xlsx", views.stock_export_view, name="export"),
    path("<slug:kind>/<uuid:uid>/history/export.xlsx", views.history_export_view, name="history-export"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("supplies/items/", api.ItemListApi.as_view(), name="supplies-items"),
    path("supplies/stock/", api.StockApi.as_view(), name="supplies-stock"),
    path("supplies/movements/", api.MovementCreateApi.as_view(), name="supplies-movements"),
    path("supplies/low-stock/", api.LowStockApi.as_view(), name="supplies-low-stock"),
]
