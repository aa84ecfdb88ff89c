"""Gunicorn settings of the production image (``gunicorn -c gunicorn.conf.py``).

Sized for a 2-core host running one web container: cores + 1 synchronous workers (3),
or WEB_CONCURRENCY. Measured with ``bench/load.py`` (bench/README.md): 3 sync workers
kept up with 50 users on 2 cores where 5 workers, or 2 × 4 threads, queued for seconds.
Scale out with more web containers (``docker compose up --scale web=3``), each with its
own workers, behind Caddy."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# PDF receipts and exports can take a few seconds; nothing legitimate takes a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle each worker now and then: a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat files in memory, not on the container's overlay file system.
worker_tmp_dir = "/dev/shm"  # noqa: S108
# No control socket: its default place, the home folder, is read-only in the image.
control_socket_disable = True
# Import Django once in the master, then fork: the workers share its memory pages.
preload_app = True

# Access log: Sillon's own request lines (sillon.observability) carry the request id,
# organisation and user, so gunicorn's is written only with LOG_FORMAT=text.
accesslog = None if os.environ.get("LOG_FORMAT", "text").lower() == "json" else "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def when_ready(server):
    """After the application is loaded, before forking: move every object created at
    start-up out of the garbage collector's sight, so that collections in the workers
    do not touch (and copy) the pages they share with the master."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    # Collections in a worker look only at what it allocates itself.
    gc.enable()
