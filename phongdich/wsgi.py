"""WSGI entry point (gunicorn phongdich.wsgi): Django's handler behind the check-in front."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phongdich.settings")
django_application = get_wsgi_application()

from phongdich.checkins.front import CheckinFront  # noqa: E402 - needs the settings and apps above

application = CheckinFront(django_application)
