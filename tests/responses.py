"""Helpers for reading responses in view tests."""

from django.core.signals import request_finished
from django.db import close_old_connections


def read_streaming(response) -> bytes:
    """The whole body of a streamed response (a ``FileResponse``), then closed.

    Closing a response sends ``request_finished``, whose ``close_old_connections`` would
    close the test's database connection in the middle of its transaction on
    PostgreSQL; the signal is held back while the file is closed.
    """
    body = b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return body
