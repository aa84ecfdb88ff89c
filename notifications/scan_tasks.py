"""The periodic reminder scan (Celery beat, every five minutes: see
``CELERY_BEAT_SCHEDULE`` in ``sillon/settings.py``).

Tenant-free on purpose: one scan crosses every organisation (the bulk queries run
outside any scope) and enters each organisation's scope to write its messages.
Running it twice at once is harmless: the reminder log lets each reminder be claimed
by one scan only. Each run starts where the last one stopped (``ScanMark``), so a scan
missed during a restart or an outage catches up on the next run.
"""

from celery import shared_task

from notifications.scan import scan


@shared_task(name="notifications.scan_tasks.scan_reminders", ignore_result=True)
def scan_reminders() -> dict:
    result = scan()
    return {
        "planned": result.planned,
        "claimed": result.claimed,
        "written": result.written,
        "skipped": result.skipped,
        "failed_groups": result.failed_groups,
        "expired": result.expired,
        "deferred": result.deferred,
    }
