"""What docker-compose.yml, the Dockerfile, the Caddyfile and .dockerignore promise,
read without Docker (no engine on CI): migrations and reference data before anything
else, Caddy in front of replicas without host ports, a health check on every
long-running service, no secret in the image."""

import yaml

from tests.operations.conftest import ROOT

LONG_RUNNING = {"web", "worker", "beat", "caddy", "postgres", "redis"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_web_worker_and_beat_wait_for_the_post_deploy_steps():
    services = compose()
    assert services["migrate"]["command"] == ["sh", "scripts/post-deploy"]
    assert services["migrate"]["restart"] == "no"
    post_deploy = (ROOT / "scripts" / "post-deploy").read_text()
    assert "manage.py migrate --noinput" in post_deploy
    assert "manage.py load_territories" in post_deploy
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_long_running_service_has_a_health_check():
    services = compose()
    assert set(services) == LONG_RUNNING | {"migrate"}
    for name in LONG_RUNNING:
        assert services[name]["healthcheck"]["test"], name


def test_caddy_alone_listens_on_the_host_and_web_scales():
    services = compose()
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert services["web"]["expose"] == ["8000"]
    for name, service in services.items():
        assert "container_name" not in service, name
    environment = services["web"]["environment"]
    assert environment["BEHIND_TLS_PROXY"] == "1"
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert environment["LOG_FORMAT"] == "${LOG_FORMAT:-json}"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$SITE_DOMAIN} {" in caddyfile
    assert "dynamic a {\n\t\t\tname web\n\t\t\tport 8000" in caddyfile


def test_the_image_carries_the_reference_data_and_no_local_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "node_modules/@etalab/decoupage-administratif/data" in dockerfile
    assert '"--config", "gunicorn.conf.py"' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    for local in (".env", ".env.*", ".venv", "db.sqlite3", "media", ".git", "backups"):
        assert local in ignored, local
