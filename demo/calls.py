"""Seed 000's call for applications, for the Hauts-de-France demo (``demo.programmes``).

« Lancement AMI et autodiagnostic » on 3 June 2026, the « Webinaire Q&R de l'AMI » on
9 June, applications until 11 June at midnight, « Sélection participants » by the
coordinator and the trainer on 12 June, « Annonce Territoires sélectionnés » the same
evening; the trinômes joined their team on 15 June and signed around the 19th
(``demo.engagement``).

Twelve applications: the eight selected territories (the demo's teams, each linked to
its application and project), one on the waiting list, one not selected with its
reasons, one withdrawn by its lead, one draft never submitted. Every state change is an
``ApplicationEvent`` dated as it happened, with both reviewers' scores.

Past-dated rows are written directly (the services date everything « now » and refuse a
closed call). Idempotent: nothing is done once the call exists.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from candidatures.models import (
    Application,
    ApplicationEvent,
    ApplicationMember,
    Call,
    Review,
    ReviewScore,
    ScoringCriterion,
)
from demo.common import HDF_PROGRAMME, HDF_SLUG, demo_email
from demo.organisations import demo_user, member
from organisations.models import Organisation, Role
from parcours.models import Programme, Session, Team, TeamInvitation
from territoires.models import Project, Territory

CALL_SLUG = "ami-gouvernance-pat-2026"
CALL_TITLE = "AMI « Gouvernance des PAT » 2026–2028"
OPENS = (date(2026, 6, 3), time(9))
CLOSES = (date(2026, 6, 12), time(0))
REVIEWED = (date(2026, 6, 12), time(10))
DECIDED = (date(2026, 6, 12), time(15))
ANNOUNCED = (date(2026, 6, 12), time(18))
JOINED = (date(2026, 6, 15), time(9))

BODY = """\
La Région Hauts-de-France lance un **appel à manifestation d'intérêt** pour accompagner,
de juin 2026 à juin 2028, huit territoires porteurs d'un projet alimentaire territorial
(PAT) dans la construction d'une gouvernance ouverte, partagée et robuste.

## Ce que propose le parcours

- une rencontre individuelle sur votre territoire (½ journée) puis trois accompagnements
  individuels en visio ;
- deux jours de formation (J1/J2) sur la connaissance des organisations, une journée
  « méthode et posture, animation de collectif » ;
- des groupes de codéveloppement, deux webinaires, un voyage apprenant, une table ronde
  et une restitution ;
- un outil de suivi et d'autopositionnement, de l'autodiagnostic initial (T0) à
  l'évaluation finale.

## Comment candidater

Créez un compte, renseignez votre territoire et votre PAT, invitez les deux autres
membres de votre trinôme à compléter la candidature, répondez aux questions de
motivation et à l'autodiagnostic, puis déposez le dossier avant la clôture.
"""
ELIGIBILITY = """\
- être une collectivité ou un groupement (EPCI, PNR, pays / PETR) des Hauts-de-France
  porteur d'un PAT, reconnu ou en émergence ;
- constituer un **trinôme** : un·e élu·e référent·e et un·e chargé·e de mission ou de
  projet (indispensables), un·e responsable de service (souhaitable) ;
- s'engager à suivre l'ensemble du parcours de juin 2026 à juin 2028.
"""
CRITERIA = """\
1. Portage politique et trinôme constitué
2. Maturité du PAT et de sa gouvernance
3. Motivation et attentes vis-à-vis du parcours
4. Capacité à s'engager dans la durée
"""
FAQ = """\
**Notre PAT n'est pas encore reconnu : pouvons-nous candidater ?**
Oui : le parcours accueille des PAT en émergence comme des PAT reconnus.

**Le trinôme doit-il être complet au dépôt ?**
L'élu·e référent·e et le ou la chargé·e de mission sont indispensables ; le ou la
responsable de service est vivement souhaité·e.

**Une question ?** Posez-la pendant le webinaire de questions-réponses du 9 juin.
"""
# (name, description, weight)
GRID = [
    ("Portage politique et trinôme constitué", "Élu·e référent·e identifié·e, trinôme", 3),
    ("Maturité du PAT et de sa gouvernance", "Schéma actuel, instances, acteurs associés", 2),
    ("Motivation et attentes", "Réponses aux questions de motivation", 2),
    ("Capacité à s'engager dans la durée", "Disponibilité du trinôme sur deux ans", 1),
]
# Per selected team (by name): (stage, recognition, scores of the coordinator, scores of
# the trainer, submitted on (June day, hour)).
SELECTED = {
    "Métropole Européenne de Lille": ("recognised", "level_2", (5, 5, 4, 4), (5, 4, 4, 4), 8),
    "Communauté d'agglomération du Douaisis": (
        "implementation",
        "level_1",
        (4, 4, 4, 4),
        (4, 3, 5, 4),
        10,
    ),
    "Parc naturel régional de l'Avesnois": (
        "implementation",
        "level_1",
        (4, 4, 5, 3),
        (5, 4, 4, 3),
        9,
    ),
    "Pays de Saint-Omer": ("construction", "level_1", (4, 3, 4, 4), (4, 3, 4, 5), 11),
    "Communauté urbaine d'Arras": ("implementation", "level_2", (4, 4, 3, 4), (4, 4, 4, 4), 10),
    "Amiens Métropole": ("recognised", "level_2", (5, 4, 4, 4), (4, 5, 4, 4), 9),
    "Communauté de communes du Pays de Bray": ("emergence", "none", (3, 3, 5, 4), (4, 3, 5, 4), 11),
    "Communauté d'agglomération du Pays de Laon": (
        "construction",
        "level_1",
        (4, 3, 4, 3),
        (3, 3, 4, 4),
        11,
    ),
}
# Applications not selected: (official code, name, département, domain, trinôme, state,
# decision, reasons, scores of the coordinator and the trainer).
OTHERS = [
    (
        "200069672",
        "CC du Ternois",
        "62",
        "ternois.example",
        [
            ("Hélène", "Delcroix", "Vice-présidente développement rural"),
            ("Kevin", "Lemaire", "Chargé de mission PAT"),
            ("Sophie", "Hennebert", "Responsable du pôle développement"),
        ],
        Application.Status.DECIDED,
        Application.Decision.WAITING_LIST,
        "Candidature solide ; le trinôme sera sollicité en priorité si une place se libère "
        "avant la formation de décembre.",
        (4, 3, 4, 3),
        (3, 3, 4, 3),
    ),
    (
        "240200444",
        "CC de la Thiérache du Centre",
        "02",
        "thierache-centre.example",
        [
            ("Bernard", "Lefranc", "Maire délégué à l'agriculture"),
            ("Camille", "Dufour", "Chargée de mission développement local"),
        ],
        Application.Status.DECIDED,
        Application.Decision.NOT_SELECTED,
        "Le PAT n'est pas encore engagé : nous vous proposons de rejoindre le réseau "
        "régional des PAT et de candidater à la prochaine promotion.",
        (2, 1, 3, 2),
        (2, 2, 3, 2),
    ),
    (
        "200040954",
        "CC des Hauts de Flandre",
        "59",
        "hautsdeflandre.example",
        [
            ("Pascal", "Verhaeghe", "Vice-président agriculture"),
            ("Laura", "Decroix", "Chargée de mission alimentation"),
        ],
        Application.Status.WITHDRAWN,
        "",
        "",
        None,
        None,
    ),
    (
        "200070944",
        "CC du Vimeu",
        "80",
        "vimeu.example",
        [("Nathalie", "Boulanger", "Vice-présidente transition écologique")],
        Application.Status.DRAFT,
        "",
        "",
        None,
        None,
    ),
]


def _at(day_and_time, zone: ZoneInfo) -> datetime:
    return datetime.combine(*day_and_time, zone)


def _territory(code: str, name: str, departement: str) -> Territory:
    territory = Territory.objects.filter(kind=Territory.Kind.EPCI, code=code).first()
    if territory is None:  # the reference geography is not loaded
        parent = Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT, code=departement).first()
        territory = Territory.objects.create(
            kind=Territory.Kind.EPCI,
            code=code,
            name=name,
            parent=parent,
        )
    return territory


def load(organisation: Organisation) -> str:
    programme = Programme.objects.get(name=HDF_PROGRAMME)
    existing = Call.objects.filter(slug=CALL_SLUG).first()
    if existing is not None:
        return _describe(existing)
    zone = ZoneInfo(organisation.time_zone)
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    trainer = member(HDF_SLUG, Role.TRAINER)
    call = Call.objects.create(
        organisation=organisation,
        programme=programme,
        cohort=programme.cohorts.get(),
        slug=CALL_SLUG,
        title=CALL_TITLE,
        summary=(
            "Huit territoires porteurs d'un PAT accompagnés de 2026 à 2028 pour construire "
            "une gouvernance ouverte, partagée et robuste."
        ),
        body=BODY,
        eligibility=ELIGIBILITY,
        criteria=CRITERIA,
        faq=FAQ,
        contact_email="pat-gouvernance@hautsdefrance.example",
        opens_at=_at(OPENS, zone),
        closes_at=_at(CLOSES, zone),
        webinar=Session.objects.filter(programme=programme, title="Webinaire Q&R de l'AMI").first(),
        status=Call.Status.PUBLISHED,
        published_at=_at(OPENS, zone) - timedelta(hours=1),
    )
    grid = [
        ScoringCriterion.objects.create(
            organisation=organisation,
            call=call,
            name=name,
            description=description,
            weight=weight,
            max_score=5,
            order=order,
        )
        for order, (name, description, weight) in enumerate(GRID)
    ]
    roles = list(programme.team_roles.order_by("order"))
    teams = {team.name: team for team in Team.objects.filter(cohort__programme=programme)}
    for index, (name, (stage, recognition, mine, theirs, day)) in enumerate(SELECTED.items()):
        team = teams[name]
        seats = list(team.members.select_related("user", "role").order_by("joined_at", "pk"))
        # The original trinôme (the Pays de Laon's first chargée de mission included).
        people = [(seat.user, seat.role) for seat in seats if seat.user]
        people = _first_holders(people, roles)
        application = _application(
            call,
            territory=team.territory,
            structure=name,
            project=f"PAT — {name}",
            stage=stage,
            recognition=recognition,
            lead=people[0][0],
            people=people,
            started=_at((date(2026, 6, 3 + index % 4), time(14)), zone),
            submitted=_at((date(2026, 6, day), time(11, 30)), zone),
        )
        _review(application, grid, coordinator, mine, zone)
        _review(application, grid, trainer, theirs, zone)
        _decide(application, Application.Decision.SELECTED, "", coordinator, zone)
        project = Project.objects.create(
            organisation=organisation,
            name=application.project_name,
            territory=team.territory,
            stage=stage,
            recognition=recognition,
        )
        Team.objects.filter(pk=team.pk).update(project=project)
        Application.objects.filter(pk=application.pk).update(team=team)
        for person, role in people:
            TeamInvitation.objects.create(
                organisation=organisation,
                team=team,
                role=role,
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                invited_by=coordinator,
                invited_at=_at(ANNOUNCED, zone),
                accepted_at=_at(JOINED, zone),
                member=team.members.filter(user=person).first(),
            )
    for code, name, dept, domain, trinome, status, decision, reasons, mine, theirs in OTHERS:
        people = [
            (
                demo_user(demo_email(first, last, domain), first, last, function),
                roles[seat] if seat < len(roles) else None,
            )
            for seat, (first, last, function) in enumerate(trinome)
        ]
        submitted = None
        if status != Application.Status.DRAFT:
            submitted = _at((date(2026, 6, 10), time(16)), zone)
        application = _application(
            call,
            territory=_territory(code, name, dept),
            structure=name,
            project=f"PAT — {name}",
            stage="emergence",
            recognition="none",
            lead=people[0][0],
            people=people,
            started=_at((date(2026, 6, 5), time(10)), zone),
            submitted=submitted,
        )
        if status == Application.Status.WITHDRAWN:
            _event(
                application,
                Application.Status.SUBMITTED,
                Application.Status.WITHDRAWN,
                people[0][0],
                _at((date(2026, 6, 11), time(9, 20)), zone),
                "Le conseil communautaire a reporté le projet à 2027.",
            )
        elif status == Application.Status.DECIDED:
            _review(application, grid, coordinator, mine, zone)
            _review(application, grid, trainer, theirs, zone)
            _decide(application, decision, reasons, coordinator, zone)
    return _describe(call)


def _first_holders(people, roles):
    """One person per role, the first who held it (the candidacy's trinôme)."""
    seen, kept = set(), []
    for user, role in people:
        if role is None or role.pk in seen:
            continue
        seen.add(role.pk)
        kept.append((user, role))
    return sorted(kept, key=lambda pair: roles.index(pair[1]))


def _application(
    call, *, territory, structure, project, stage, recognition, lead, people, started, submitted
):
    application = Application.objects.create(
        organisation=call.organisation,
        call=call,
        created_by=lead,
        territory=territory,
        structure=structure,
        project_name=project,
        project_stage=stage,
        project_recognition=recognition,
        status=Application.Status.SUBMITTED if submitted else Application.Status.DRAFT,
        submitted_at=submitted,
    )
    Application.objects.filter(pk=application.pk).update(created_at=started)
    for seat, (user, role) in enumerate(people):
        joined = started + timedelta(hours=seat * 20)
        ApplicationMember.objects.create(
            organisation=call.organisation,
            application=application,
            role=role,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            function=user.function,
            is_lead=seat == 0,
            user=user,
            invited_at=None if seat == 0 else started,
            joined_at=joined,
            confirmed_at=joined + timedelta(minutes=12),
        )
    _event(application, "", Application.Status.DRAFT, lead, started)
    if submitted:
        _event(application, Application.Status.DRAFT, Application.Status.SUBMITTED, lead, submitted)
    return application


def _event(application, before, after, actor, at, note=""):
    ApplicationEvent.objects.create(
        organisation=application.organisation,
        application=application,
        from_status=before,
        to_status=after,
        actor=actor,
        at=at,
        note=note,
    )
    Application.objects.filter(pk=application.pk).update(status=after)
    application.status = after


def _review(application, grid, reviewer, scores, zone):
    if application.status == Application.Status.SUBMITTED:
        _event(
            application,
            Application.Status.SUBMITTED,
            Application.Status.UNDER_REVIEW,
            reviewer,
            _at(REVIEWED, zone),
        )
    review = Review.objects.create(
        organisation=application.organisation,
        application=application,
        reviewer=reviewer,
        comment="",
    )
    ReviewScore.objects.bulk_create(
        ReviewScore(
            organisation=application.organisation, review=review, criterion=criterion, score=score
        )
        for criterion, score in zip(grid, scores, strict=True)
    )


def _decide(application, decision, reasons, coordinator, zone):
    _event(
        application,
        Application.Status.UNDER_REVIEW,
        Application.Status.DECIDED,
        coordinator,
        _at(DECIDED, zone),
        reasons,
    )
    Application.objects.filter(pk=application.pk).update(
        decision=decision,
        decision_reasons=reasons,
        decided_at=_at(DECIDED, zone),
        decided_by=coordinator,
        announced_at=_at(ANNOUNCED, zone),
    )


def _describe(call: Call) -> str:
    counts = {}
    for status in Application.objects.filter(call=call).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    selected = Application.objects.filter(call=call, decision=Application.Decision.SELECTED)
    return (
        f"{call.title} : {sum(counts.values())} candidatures "
        f"({selected.count()} retenues, {counts.get(Application.Status.DRAFT, 0)} brouillon, "
        f"{counts.get(Application.Status.WITHDRAWN, 0)} retirée)"
    )
