"""Celery application. Tasks run eagerly when no broker is configured (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sillon.settings")

app = Celery("sillon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
