from django.urls import URLPattern, URLResolver, path

from . import api, views

# Officials' pages, under /command/ (namespace "command").
urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/", views.plans_missing_view, name="plans_missing"),
    path("plans/export.xlsx", views.plans_missing_export_view, name="plans_missing_export"),
    path("plans/org/<uuid:uid>/", views.org_plans_view, name="org_plans"),
    path("plans/org/<uuid:uid>/<int:level>/", views.plan_edit_view, name="plan_edit"),
    path("plans/file/<uuid:uid>/", views.plan_file_view, name="plan_file"),
    path("directives/", views.directive_list_view, name="directives"),
    path("directives/export.xlsx", views.directives_export_view, name="directives_export"),
    path("directives/new/", views.directive_create_view, name="directive_create"),
    path("directives/<uuid:uid>/", views.directive_detail_view, name="directive_detail"),
    path("directives/<uuid:uid>/file/", views.directive_file_view, name="directive_file"),
    path("directives/<uuid:uid>/tasks/new/", views.task_create_view, name="task_create"),
    path("tasks/", views.my_tasks_view, name="tasks"),
    path("tasks/<uuid:uid>/", views.assignment_view, name="assignment"),
    path("evidence/<uuid:uid>/", views.evidence_view, name="evidence"),
    path("overview/", views.overview_view, name="overview"),
    path("overview/export.xlsx", views.overview_export_view, name="overview_export"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("command/plans/", api.PlanListApi.as_view(), name="command-plans"),
    path("command/plans/missing/", api.MissingPlanListApi.as_view(), name="command-plans-missing"),
    path("command/directives/", api.DirectiveListApi.as_view(), name="command-directives"),
    path("command/directives/<uuid:uid>/", api.DirectiveDetailApi.as_view(), name="command-directive-detail"),
    path("command/directives/<uuid:uid>/tasks/", api.DirectiveTaskCreateApi.as_view(), name="command-directive-tasks"),
    path("command/tasks/", api.AssignmentListApi.as_view(), name="command-tasks"),
    path("command/tasks/<uuid:uid>/progress/", api.ProgressApi.as_view(), name="command-task-progress"),
]
