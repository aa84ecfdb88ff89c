"""The hostile-input walk (``hostile.py``) over every tenant page and every page outside
the organisations (account, preferences, territories), as the organisation's
coordinator: every POST form found on a page, sent back four times with hostile values,
answers with a page or a redirect, never a 500."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django_scopes import scopes_disabled

from organisations.models import Membership

from .hostile import hostile_values, post_forms
from .sweep import SAMPLES, TENANT_PREFIX, _walk, tenant_urls
from .test_tenant_sweep import world  # noqa: F401 - the sweep's world, a fixture

ROUNDS = 4
# Forms that are not the page's own: logging out (in every page's header).
LEFT_OUT = ("/auth/",)


@pytest.mark.django_db
def test_no_form_answers_hostile_input_with_a_500(world, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        coordinator = (
            Membership.objects.filter(organisation=world.victim, role="coordinator").first().user
        )
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    paths = [
        reverse(url.name, kwargs={"organisation_slug": world.victim.slug, **sample(url, world)})
        for url in tenant_urls()
    ]
    failures, posted = walk(client, paths + global_paths())
    print(f"hostile-input walk: {len(paths)} tenant pages, {posted} hostile posts")  # -s shows it
    assert posted > 100, f"only {posted} hostile posts: the walk found few forms"
    assert failures == [], "\n".join(failures)


def finish(response) -> None:
    """Read a download to its end: the test client then closes its file."""
    if response.streaming:
        b"".join(response.streaming_content)


def sample(url, sweep_world) -> dict:
    return {name: SAMPLES[name](sweep_world) for name in url.kwarg_names}


def global_paths() -> list[str]:
    """The pages outside any organisation that take no argument (the account, the
    notification preferences, the territories…); left out: the platform admin,
    allauth's own pages, and the mail provider's webhooks (authenticated by their
    secret, answered by anymail)."""
    found = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if (
            route.startswith((TENANT_PREFIX, "admin/", "auth/", "anymail/"))
            or pattern.pattern.converters
        ):
            continue
        if name:
            found.append(reverse(name))
    return found


def walk(client, paths) -> tuple[list[str], int]:
    """Every form of every page of ``paths``, posted back ``ROUNDS`` times."""
    failures, posted = [], 0
    for path in paths:
        page = client.get(path)
        finish(page)
        if page.status_code >= 500:
            failures.append(f"GET {path}: {page.status_code}")
            continue
        if page.status_code != 200 or "text/html" not in page.headers.get("Content-Type", ""):
            continue
        for form in post_forms(page.content.decode(errors="replace")):
            action = form.action or path
            if not action.startswith("/") or action.startswith(LEFT_OUT):
                continue
            for round_ in range(ROUNDS):
                response = client.post(action, hostile_values(form, round_))
                finish(response)
                posted += 1
                if response.status_code >= 500:
                    failures.append(f"POST {action} (from {path}, round {round_}): 500")
    return failures, posted
