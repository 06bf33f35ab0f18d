# The Celery app is loaded with Django, so that ``@shared_task`` uses its settings (eager in the embedded default).
from .celery import app as celery_app

__all__ = ("celery_app",)
