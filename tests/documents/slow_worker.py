"""``python -m tests.documents.slow_worker <celery arguments>``: a real Celery worker whose
document builds pause ``SILLON_TEST_STEP_SECONDS`` after each progress report, so that a
test can kill it in the middle of a build (tests/documents/test_real_worker.py)."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sillon.settings")
django.setup()

from celery.__main__ import main  # noqa: E402

from documents import services  # noqa: E402

PAUSE = float(os.environ.get("SILLON_TEST_STEP_SECONDS", "0"))
real_get_builder = services.get_builder


def slow_get_builder(kind):
    build = real_get_builder(kind)

    def run(document, progress):
        def report(done, total):
            progress(done, total)
            time.sleep(PAUSE)

        return build(document, report)

    return run


services.get_builder = slow_get_builder

if __name__ == "__main__":
    sys.argv = ["celery", *sys.argv[1:]]
    main()
