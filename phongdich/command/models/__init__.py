"""Models of the command app, one module per topic: response plans per level (R6), directives with their
numbered tasks, assignments and progress reports (R3, R4). Daily reports and the roll-up add their own modules."""

from .directives import (
    DeadlineKind,
    Directive,
    DirectiveKind,
    DirectiveTask,
    ProgressStatus,
    TaskAssignment,
    TaskProgress,
)
from .plans import PlanLevel, ResponsePlan, ResponsePlanVersion
from .reports import (
    FieldKind,
    FigureSource,
    Report,
    ReportAttachment,
    ReportField,
    ReportForm,
    ReportPeriod,
    ReportVersion,
)

__all__ = [
    "DeadlineKind",
    "Directive",
    "DirectiveKind",
    "DirectiveTask",
    "FieldKind",
    "FigureSource",
    "PlanLevel",
    "ProgressStatus",
    "Report",
    "ReportAttachment",
    "ReportField",
    "ReportForm",
    "ReportPeriod",
    "ReportVersion",
    "ResponsePlan",
    "ResponsePlanVersion",
    "TaskAssignment",
    "TaskProgress",
]
