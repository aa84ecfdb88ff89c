"""Files in an S3-compatible object store, for tests: a moto server on this machine.

``s3_server`` (one per test process) starts moto's threaded server on a free port of the
loopback and creates a private bucket. ``s3_storage`` switches the default storage to it
for one test, configured by the real ``sillon/settings.py`` from the environment variables
production sets (``STORAGE_BACKEND=s3``, ``AWS_STORAGE_BUCKET_NAME``…), each test under a
prefix of its own. With ``SILLON_TEST_STORAGE=s3`` every test runs on it: the same suite
passes with the file system and with the object store.
"""

import logging
import os
import runpy
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

SWITCH = "SILLON_TEST_STORAGE"
REGION = "eu-west-3"
KEY_ID, SECRET = "sillon-test-key", "sillon-test-secret"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "sillon" / "settings.py"


def s3_switched_on() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() == "s3"


@dataclass
class S3Server:
    endpoint_url: str
    bucket: str
    client: object
    storage: dict  # STORAGES["default"] as sillon/settings.py builds it for this server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _production_storage(endpoint_url: str, bucket: str) -> dict:
    """``STORAGES["default"]`` of sillon/settings.py run with production's variables."""
    variables = {
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint_url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        # moto answers on an IP address: no bucket in the host name.
        "AWS_S3_ADDRESSING_STYLE": "path",
        "SENTRY_DSN": "",  # the settings run again: nothing set up twice
    }
    with mock.patch.dict(os.environ, variables):
        namespace = runpy.run_path(str(SETTINGS_FILE))
    return namespace["STORAGES"]["default"]


@pytest.fixture(scope="session")
def s3_server():
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto logs every request
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint_url = f"http://127.0.0.1:{port}"
    bucket = f"sillon-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    try:
        yield S3Server(endpoint_url, bucket, client, _production_storage(endpoint_url, bucket))
    finally:
        server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """The default storage, for this test, is the moto bucket (under a prefix of its own);
    returns it."""
    from django.core.files.storage import default_storage

    storage = {
        **s3_server.storage,
        "OPTIONS": {**s3_server.storage["OPTIONS"], "location": f"t-{uuid.uuid4().hex}"},
    }
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return default_storage


@pytest.fixture(autouse=True)
def _storage_from_switch(request):
    """``SILLON_TEST_STORAGE=s3``: every test stores its files in the moto bucket."""
    if s3_switched_on():
        request.getfixturevalue("s3_storage")
