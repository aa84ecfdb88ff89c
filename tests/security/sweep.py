"""The tenant sweep: every URL under ``/<organisation_slug>/``, found from the URL resolver,
visited by people who must not see it.

For each tenant URL of a *victim* organisation:

* a coordinator of another organisation gets 404 on GET and POST, and sees none of the
  victim's data;
* an anonymous visitor gets 404 or the login page;
* on URLs that name objects (``membership_id`` …), the other organisation's coordinator,
  using **their own** organisation's slug with the victim's object ids, gets 404 too;
* views marked ``public=True`` (through ``organisation_view``) are allowed to answer 200:
  the mark is the explicit statement that the page is published;
* nothing of the victim's data changes during the sweep.

A new URL is covered without anyone remembering to add it. A URL with an object id the
sweep does not know yet fails, asking for a sample in ``SAMPLES``.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

TENANT_PREFIX = "<slug:organisation_slug>/"


@dataclass
class World:
    victim: object  # Organisation
    attacker: object  # Organisation
    attacker_user: object
    objects: dict = field(default_factory=dict)  # name -> victim's object
    secrets: list[str] = field(default_factory=list)  # strings only the victim's pages show


# kwarg name -> the value naming one of the victim's objects. Later issues add theirs.
SAMPLES: dict[str, Callable[[World], object]] = {
    "membership_id": lambda world: world.objects["membership"].pk,
    "invitation_id": lambda world: world.objects["invitation"].pk,
    "programme_id": lambda world: world.objects["programme"].pk,
    "session_id": lambda world: world.objects["session"].pk,
    "phase_id": lambda world: world.objects["phase"].pk,
    "kind_id": lambda world: world.objects["kind"].pk,
    "team_id": lambda world: world.objects["team"].pk,
    "role_id": lambda world: world.objects["team_role"].pk,
    "item_id": lambda world: world.objects["agenda_item"].pk,
    "workshop_id": lambda world: world.objects["workshop"].pk,
    "document_id": lambda world: world.objects["document"].pk,
    "notification_id": lambda world: world.objects["notification"].pk,
    "message_id": lambda world: world.objects["message"].pk,
    "questionnaire_id": lambda world: world.objects["questionnaire"].pk,
    "version_id": lambda world: world.objects["version"].pk,
    "section_id": lambda world: world.objects["section"].pk,
    "question_id": lambda world: world.objects["question"].pk,
    "campaign_id": lambda world: world.objects["campaign"].pk,
    "response_id": lambda world: world.objects["response"].pk,
    "subject_id": lambda world: world.objects["subject"].pk,
    "automatic_id": lambda world: world.objects["automatic"].pk,
    "call_slug": lambda world: world.objects["call"].slug,
    "call_id": lambda world: world.objects["call"].pk,
    "attachment_id": lambda world: world.objects["attachment"].pk,
    "criterion_id": lambda world: world.objects["criterion"].pk,
    "application_id": lambda world: world.objects["application"].pk,
    "member_id": lambda world: world.objects["application_member"].pk,
    "token": lambda world: world.objects["application_member"].token,
    "team_invitation_id": lambda world: world.objects["team_invitation"].pk,
    "team_member_id": lambda world: world.objects["team_member"].pk,
    "poll_id": lambda world: world.objects["poll"].pk,
    "slot_id": lambda world: world.objects["slot"].pk,
    "change_id": lambda world: world.objects["attendance_change"].pk,
    "generated_id": lambda world: world.objects["generated_document"].pk,
    "attestation_id": lambda world: world.objects["attestation"].pk,
    "user_id": lambda world: world.objects["subject"].pk,
    # codev: groups, their séances and the CODEV cases.
    "group_id": lambda world: world.objects["group"].pk,
    "group_session_id": lambda world: world.objects["group_session"].pk,
    "case_id": lambda world: world.objects["case"].pk,
    "case_document_id": lambda world: world.objects["case_document"].pk,
    "commitment_id": lambda world: world.objects["commitment"].pk,
    # plans: a team's plan, its action, a submitted stage, a common plan's entry.
    "plan_id": lambda world: world.objects["plan"].pk,
    "action_id": lambda world: world.objects["action"].pk,
    "stage": lambda world: world.objects["stage_version"].stage,
    "number": lambda world: world.objects["stage_version"].number,
    "entry_id": lambda world: world.objects["common_entry"].pk,
    # inscriptions: an event page, its registrant (by id, and by their link's token).
    "event_slug": lambda world: world.objects["event"].slug,
    "event_id": lambda world: world.objects["event"].pk,
    "registrant_id": lambda world: world.objects["registrant"].pk,
    "registrant_token": lambda world: world.objects["registrant"].token,
    # ressources: a resource of the library (team-only) and a tag.
    "resource_id": lambda world: world.objects["resource"].pk,
    "tag_id": lambda world: world.objects["resource_tag"].pk,
    # ressources: the validated minutes of a past session (its version 1: "number").
    "minutes_id": lambda world: world.objects["minutes"].pk,
    # parcours: a programme's catalogue sheet (unpublished) and its version 1.
    "catalogue_slug": lambda world: world.objects["catalogue_sheet"].slug,
    "version_number": lambda world: world.objects["catalogue_version"].number,
}


@dataclass
class TenantURL:
    name: str  # namespaced name for reverse()
    route: str
    callback: Callable
    kwarg_names: list[str]

    @property
    def is_public(self) -> bool:
        return getattr(self.callback, "sillon_public", False)


def _walk(patterns, prefix="", namespace="") -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name, pattern


def tenant_urls(urlconf=None) -> list[TenantURL]:
    found = []
    for route, name, pattern in _walk(get_resolver(urlconf).url_patterns):
        if not route.startswith(TENANT_PREFIX):
            continue
        kwarg_names = [key for key in pattern.pattern.converters if key != "organisation_slug"]
        found.append(TenantURL(name or route, route, pattern.callback, kwarg_names))
    return found


def snapshot(organisation) -> list[tuple]:
    """Every tenant row of ``organisation``, to prove the sweep changed nothing."""
    rows = []
    with scopes_disabled():
        for model in apps.get_models():
            if any(f.name == "organisation" for f in model._meta.fields):
                for obj in model.objects.filter(organisation=organisation).order_by("pk"):
                    rows.append(
                        (
                            model._meta.label,
                            obj.pk,
                            tuple(
                                str(getattr(obj, f.attname)) for f in model._meta.concrete_fields
                            ),
                        )
                    )
    return rows


def sweep(client_factory, world: World, urlconf=None) -> list[str]:
    """Visit every tenant URL; return a list of failures (empty when all is well)."""
    failures: list[str] = []
    attacker = client_factory()
    attacker.force_login(world.attacker_user)
    anonymous = client_factory()
    before = snapshot(world.victim)
    urls = tenant_urls(urlconf)
    if not urls:
        return ["no tenant URL found: the sweep would prove nothing"]

    def leaked(response, *, public=False) -> list[str]:
        body = response.content.decode(errors="replace")
        if public:
            # A public page names its organisation; nothing else of the victim's.
            body = body.replace(world.victim.name, "")
        return [secret for secret in world.secrets if secret in body]

    for url in urls:
        missing = [name for name in url.kwarg_names if name not in SAMPLES]
        if missing:
            failures.append(f"{url.route}: add a sample for {missing} to SAMPLES")
            continue
        kwargs = {name: SAMPLES[name](world) for name in url.kwarg_names}
        victim_path = reverse(
            url.name, kwargs={"organisation_slug": world.victim.slug, **kwargs}, urlconf=urlconf
        )

        for method in ("get", "post"):
            response = getattr(attacker, method)(victim_path)
            if url.is_public:
                # A public page of the victim is reachable, but shows nothing unpublished.
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {victim_path}: {response.status_code}")
                elif found := leaked(response, public=True):
                    failures.append(f"{method.upper()} {victim_path} (public) leaks {found}")
            elif response.status_code != 404:
                failures.append(
                    f"{method.upper()} {victim_path} as another organisation's coordinator: "
                    f"{response.status_code}, expected 404"
                )
            elif found := leaked(response):
                failures.append(f"{method.upper()} {victim_path} leaks {found}")

            response = getattr(anonymous, method)(victim_path)
            if url.is_public:
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {victim_path}: {response.status_code}")
                elif found := leaked(response, public=True):
                    failures.append(
                        f"{method.upper()} {victim_path} (public) anonymously leaks {found}"
                    )
            else:
                to_login = response.status_code == 302 and reverse("account_login") in (
                    response.headers.get("Location", "")
                )
                if response.status_code != 404 and not to_login:
                    failures.append(
                        f"{method.upper()} {victim_path} anonymously: {response.status_code}, "
                        "expected 404 or the login page"
                    )
                elif found := leaked(response):
                    failures.append(f"{method.upper()} {victim_path} anonymously leaks {found}")

        if url.kwarg_names:
            # The attacker's own organisation in the URL, the victim's ids after it.
            own_path = reverse(
                url.name,
                kwargs={"organisation_slug": world.attacker.slug, **kwargs},
                urlconf=urlconf,
            )
            for method in ("get", "post"):
                response = getattr(attacker, method)(own_path)
                # 405: a POST-only view refused the GET before looking anything up.
                if response.status_code not in (404, 405):
                    failures.append(
                        f"{method.upper()} {own_path} (own slug, foreign ids): "
                        f"{response.status_code}, expected 404"
                    )
                elif found := leaked(response):
                    failures.append(f"{method.upper()} {own_path} leaks {found}")

    if snapshot(world.victim) != before:
        failures.append("the victim organisation's data changed during the sweep")
    return failures
