"""Celery application: Redis in deployments, eager in the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phongdich.settings")
app = Celery("phongdich")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
