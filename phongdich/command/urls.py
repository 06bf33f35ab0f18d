from django.urls import URLPattern, URLResolver, path

from . import api, reports_api, reports_views, views

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
    # Reports to the province (R1, R2).
    path("reports/", reports_views.reports_home_view, name="reports"),
    path("reports/one-off/new/", reports_views.one_off_create_view, name="report_one_off_create"),
    path("reports/forms/<uuid:uid>/", reports_views.rollup_view, name="report_rollup"),
    path("reports/forms/<uuid:uid>/report.pdf", reports_views.rollup_pdf_view, name="report_rollup_pdf"),
    path("reports/forms/<uuid:uid>/report.xlsx", reports_views.rollup_xlsx_view, name="report_rollup_xlsx"),
    path("reports/forms/<uuid:uid>/rates/", reports_views.rates_view, name="report_rates"),
    path("reports/forms/<uuid:uid>/submit/<uuid:submitter>/", reports_views.submit_view, name="report_submit"),
    path("reports/<uuid:uid>/", reports_views.report_detail_view, name="report_detail"),
    path("reports/<uuid:uid>/report.pdf", reports_views.report_pdf_view, name="report_pdf"),
    path("reports/<uuid:uid>/report.xlsx", reports_views.report_xlsx_view, name="report_xlsx"),
    path("reports/attachments/<uuid:uid>/", reports_views.attachment_view, name="report_attachment"),
]

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("command/plans/", api.PlanListApi.as_view(), name="command-plans"),
    path("command/plans/missing/", api.MissingPlanListApi.as_view(), name="command-plans-missing"),
    path("command/directives/", api.DirectiveListApi.as_view(), name="command-directives"),
    path("command/directives/<uuid:uid>/", api.DirectiveDetailApi.as_view(), name="command-directive-detail"),
    path("command/directives/<uuid:uid>/tasks/", api.DirectiveTaskCreateApi.as_view(), name="command-directive-tasks"),
    path("command/tasks/", api.AssignmentListApi.as_view(), name="command-tasks"),
    path("command/tasks/<uuid:uid>/progress/", api.ProgressApi.as_view(), name="command-task-progress"),
    path("command/reports/forms/", reports_api.ReportFormListApi.as_view(), name="command-report-forms"),
    path("command/reports/forms/<uuid:uid>/rollup/", reports_api.RollupApi.as_view(), name="command-report-rollup"),
    path("command/reports/forms/<uuid:uid>/submit/", reports_api.SubmitApi.as_view(), name="command-report-submit"),
    path("command/reports/late-today/", reports_api.LateTodayApi.as_view(), name="command-reports-late-today"),
    path("command/reports/<uuid:uid>/", reports_api.ReportDetailApi.as_view(), name="command-report-detail"),
]
