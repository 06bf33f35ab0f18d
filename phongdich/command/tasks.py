"""Background jobs of the command app (Celery beat reminds of overdue tasks every afternoon)."""

from __future__ import annotations

from celery import shared_task

from .services import overdue_reminders


@shared_task(name="phongdich.command.tasks.remind_overdue")
def remind_overdue() -> int:
    """Remind the heads of organisations with overdue tasks; returns how many organisations."""
    return overdue_reminders()


@shared_task(name="phongdich.command.tasks.remind_reports")
def remind_reports() -> int:
    """Remind the units and agencies that have not yet submitted today's daily report (15:00); returns how
    many were reminded."""
    from .reports_services import report_reminders

    return report_reminders()
