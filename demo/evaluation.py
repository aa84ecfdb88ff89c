"""Demo evaluations of seed 000's programme (« Gouvernance des PAT en Hauts-de-France »),
loaded by ``manage.py load_demo`` after ``demo.programmes``:

* the shipped questionnaires installed in the Région's library;
* « Autodiagnostic T0 (candidature) »: one collective answer per team on the PAT
  governance grid, with the application (AMI from 3 June 2026, closed with the
  signatures on 19 June 2026);
* « Autodiagnostic T1 (mi-parcours) », open from 2 November to 18 December 2026: six
  teams have answered (mostly one level higher than at T0), one is still at its draft,
  one has not started — both show as non-respondents;
* the coach's view of the teams on the same grid, beside T1, filled by Marc Lefebvre
  for the three teams he has met in their first individual coaching;
* anonymous « à chaud » satisfaction of the launch session (16 October 2026) and of
  the AMI's Q&A webinar (9 June 2026);
* an automatic « à chaud » campaign after every training session.

Campaigns are created through ``evaluation.services.campaigns``; answers given in the
past (which the services rightly refuse now) are written directly, as demo data, with
the same shape the services give them (anonymous answers carry no person, the day only,
and are written in an order unrelated to the participations). Idempotent: what exists
(by title) is left as it is.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scope

from demo.common import HDF_PROGRAMME, HDF_SLUG
from demo.organisations import member
from evaluation import targets as evaluation_targets
from evaluation.models import (
    Answer,
    AnswerChange,
    AutomaticCampaign,
    Campaign,
    Moment,
    Participation,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
)
from evaluation.services import campaigns as campaign_services
from evaluation.services import current_version
from evaluation.shipped import install_template
from organisations.models import Organisation, Role
from parcours.models import Programme, Session, SessionKind, SessionRegistration, Team

UTC = ZoneInfo("UTC")
T0_TITLE = "Autodiagnostic T0 (candidature)"
T1_TITLE = "Autodiagnostic T1 (mi-parcours)"
COACH_TITLE = "Regard de l'accompagnateur sur la gouvernance (T1)"
LAUNCH_SESSION = "Lancement du projet"
WEBINAR_SESSION = "Webinaire Q&R de l'AMI"
TRAINING_KIND = "Formation"
TEMPLATE_CODES = (
    "pat_governance",
    "expectations",
    "satisfaction_hot",
    "satisfaction_cold",
    "trainer_assessment",
)

# T0 levels (1 Émergent … 4 Partagé et robuste) per team, for the six steps.
T0_LEVELS = [
    [2, 2, 1, 2, 1, 1],  # Métropole Européenne de Lille
    [1, 1, 1, 1, 1, 1],  # Douaisis
    [2, 3, 2, 2, 2, 1],  # PNR de l'Avesnois
    [1, 2, 1, 1, 2, 1],  # Pays de Saint-Omer
    [2, 1, 2, 1, 1, 1],  # CU d'Arras
    [3, 2, 2, 2, 2, 1],  # Amiens Métropole
    [1, 1, 2, 1, 1, 1],  # CC du Pays de Bray
    [1, 2, 1, 2, 1, 1],  # CA du Pays de Laon
]
# What changed by T1 (added to T0, capped at 4).
T1_GAINS = [
    [1, 1, 1, 0, 1, 0],
    [1, 1, 0, 1, 0, 0],
    [1, 0, 1, 1, 1, 1],
    [1, 1, 1, 0, 0, 1],
    [1, 1, 0, 1, 1, 0],
    [0, 1, 1, 1, 0, 1],
]
T1_SUBMITTED = 6  # the first six teams sent T1; the seventh has a draft, the eighth nothing
# The coach's levels for the first three teams at T1 (often a notch more cautious).
COACH_DELTA = [
    [0, -1, 0, 0, 0, 0],
    [0, 0, -1, 0, 0, 0],
    [-1, 0, 0, 0, 1, 0],
]
GRID_COMMENTS = {
    0: "Le schéma existe pour le conseil alimentaire mais pas pour les groupes de travail.",
    1: "Nous hésitons entre deux niveaux : l'ouverture aux acteurs reste ponctuelle.",
    2: "Co-construction réelle sur la restauration collective, moins sur le reste.",
    4: "Premières actions lancées avec la chambre d'agriculture.",
}
DIFFICULTIES = [
    "Les élu·es des communes membres connaissent mal le PAT ; les décisions remontent lentement.",
    "Le PAT repose sur une seule chargée de mission ; les autres services ne se sentent pas "
    "concernés.",
    "Beaucoup d'acteurs autour de la table, mais personne ne sait vraiment qui décide.",
    "Peu de liens avec la société civile : les associations ne sont pas associées.",
    "La gouvernance a été pensée pour l'élaboration du PAT, plus pour sa mise en oeuvre.",
]
NEEDS = [
    "Des outils pour animer un comité de pilotage élargi.",
    "Clarifier les rôles entre l'élu référent, la chargée de mission et le service.",
    "Des exemples de territoires qui ont ouvert leur gouvernance aux habitants.",
    "Du temps d'échange entre pairs pour prendre du recul.",
]
INTENTIONS = [
    "Réunir un premier comité alimentaire ouvert aux acteurs économiques d'ici l'été.",
    "Formaliser notre schéma de gouvernance et le faire valider en bureau communautaire.",
    "Associer le service restauration collective aux instances du PAT.",
    "Lancer un groupe de travail citoyen sur l'accessibilité alimentaire.",
]
HOT_COMMENTS = [
    "Très bonne entrée en matière, les échanges entre territoires étaient riches.",
    "Un peu long en visio, des pauses auraient aidé.",
    "J'ai apprécié le travail en trinôme, à refaire.",
    "Les apports sur la gouvernance partagée étaient clairs.",
    "Merci pour les ressources envoyées après la séance.",
    "Difficile de prendre la parole à distance, vivement le présentiel.",
]
# Overall satisfaction (1–4) of the answers, in no particular order.
LAUNCH_SATISFACTION = [4, 4, 3, 4, 3, 3, 4, 2, 4, 3, 3, 4, 4, 3, 1, 4, 3, 4, 2, 3]
WEBINAR_SATISFACTION = [3, 4, 3, 3, 2, 4, 3, 4, 3, 2, 4, 3, 3, 4, 2]


def _paris(day: date, at: time) -> datetime:
    return datetime.combine(day, at, ZoneInfo("Europe/Paris"))


@transaction.atomic
def load(organisations: dict[str, Organisation]) -> list[str]:
    """Add the demo evaluations; returns the summary lines."""
    organisation = organisations[HDF_SLUG]
    with scope(organisation=organisation.pk):
        programme = Programme.objects.filter(name=HDF_PROGRAMME).first()
        if programme is None:
            return []
        return [_hauts_de_france(organisation, programme)]


def _template(organisation, code: str, acting_user) -> Questionnaire:
    existing = Questionnaire.objects.filter(
        organisation=organisation, programme__isnull=True, template_code=code
    ).first()
    if existing is not None:
        return existing
    return install_template(organisation=organisation, code=code, acting_user=acting_user)


def _hauts_de_france(organisation, programme) -> str:
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    trainer = member(HDF_SLUG, Role.TRAINER)
    questionnaires = {code: _template(organisation, code, coordinator) for code in TEMPLATE_CODES}
    grid = questionnaires["pat_governance"]
    hot = questionnaires["satisfaction_hot"]
    teams = list(
        Team.objects.filter(cohort__programme=programme)
        .prefetch_related("members__user", "members__role")
        .order_by("pk")
    )
    rng = random.Random(2026)  # noqa: S311 — reproducible demo answers, not secrets
    existing = set(Campaign.objects.filter(programme=programme).values_list("title", flat=True))

    if T0_TITLE not in existing:
        t0 = _campaign(
            programme,
            coordinator,
            questionnaire=grid,
            title=T0_TITLE,
            moment=Moment.T0,
            mode=Campaign.Mode.TEAM,
            opens_at=_paris(date(2026, 6, 3), time(9)),
            closes_at=_paris(date(2026, 6, 19), time(18)),
            message="Autodiagnostic à joindre à votre candidature à l'AMI.",
        )
        for index, team in enumerate(teams):
            _team_response(
                t0,
                team,
                T0_LEVELS[index % len(T0_LEVELS)],
                _paris(date(2026, 6, 10 + index), time(16, 30)),
                rng,
            )
    t1 = Campaign.objects.filter(programme=programme, title=T1_TITLE).first()
    if t1 is None:
        t1 = _campaign(
            programme,
            coordinator,
            questionnaire=grid,
            title=T1_TITLE,
            moment=Moment.T1,
            mode=Campaign.Mode.TEAM,
            opens_at=_paris(date(2026, 11, 2), time(9)),
            closes_at=_paris(date(2026, 12, 18), time(18)),
            message=(
                "Reprenez votre autodiagnostic de candidature : où en est votre gouvernance "
                "aujourd'hui ? Remplissez-le à trois, avant la formation de décembre."
            ),
        )
        for index, team in enumerate(teams[: T1_SUBMITTED + 1]):
            base = T0_LEVELS[index % len(T0_LEVELS)]
            gains = T1_GAINS[index % len(T1_GAINS)]
            levels = [min(4, level + gain) for level, gain in zip(base, gains, strict=True)]
            _team_response(
                t1,
                team,
                levels,
                _paris(date(2026, 11, 5 + 2 * index), time(11)),
                rng,
                submitted=index < T1_SUBMITTED,
                several_authors=True,
            )
    if COACH_TITLE not in existing:
        coach = _campaign(
            programme,
            coordinator,
            questionnaire=grid,
            title=COACH_TITLE,
            moment=Moment.T1,
            mode=Campaign.Mode.ASSESS_TEAM,
            assessors=[trainer],
            paired_with=t1,
            opens_at=_paris(date(2026, 11, 2), time(9)),
            closes_at=_paris(date(2026, 12, 18), time(18)),
            message="Votre regard d'accompagnateur, après la première rencontre sur le territoire.",
        )
        for index, team in enumerate(teams[: len(COACH_DELTA)]):
            base = T0_LEVELS[index]
            gains = T1_GAINS[index]
            levels = [
                max(1, min(4, level + gain + delta))
                for level, gain, delta in zip(base, gains, COACH_DELTA[index], strict=True)
            ]
            _assessment(
                coach, team, trainer, levels, _paris(date(2026, 11, 6 + 4 * index), time(18))
            )

    sessions = {
        session.title: session
        for session in Session.objects.filter(
            programme=programme, title__in=[LAUNCH_SESSION, WEBINAR_SESSION]
        )
    }
    launch = sessions.get(LAUNCH_SESSION)
    if launch is not None and f"Évaluation à chaud — {LAUNCH_SESSION}" not in existing:
        campaign = _hot_campaign(programme, coordinator, hot, launch)
        people = evaluation_targets.targets([campaign]).people[campaign.pk]
        _anonymous_answers(campaign, people, LAUNCH_SATISFACTION, rng)
    webinar = sessions.get(WEBINAR_SESSION)
    if webinar is not None and f"Évaluation à chaud — {WEBINAR_SESSION}" not in existing:
        # The candidates who followed the webinar (registration was open then).
        attendees = [
            membership.user
            for team in teams[:6]
            for membership in team.members.all()
            if membership.left_at is None
        ]
        SessionRegistration.objects.bulk_create(
            [
                SessionRegistration(organisation=organisation, session=webinar, user=user)
                for user in attendees
            ],
            ignore_conflicts=True,
        )
        campaign = _hot_campaign(programme, coordinator, hot, webinar)
        people = evaluation_targets.targets([campaign]).people[campaign.pk]
        _anonymous_answers(campaign, people, WEBINAR_SATISFACTION, rng)

    training = SessionKind.objects.filter(programme=programme, name=TRAINING_KIND).first()
    if (
        training is not None
        and not AutomaticCampaign.objects.filter(
            programme=programme, session_kind=training
        ).exists()
    ):
        campaign_services.save_automatic_campaign(
            programme=programme,
            acting_user=coordinator,
            session_kind=training,
            questionnaire=hot,
            open_days=14,
            anonymous=True,
            enabled=True,
        )
    campaigns = Campaign.objects.filter(programme=programme).count()
    responses = Response.objects.filter(
        campaign__programme=programme, status=Response.Status.SUBMITTED
    ).count()
    return (
        f"{organisation.name} — évaluations : {len(questionnaires)} questionnaires en "
        f"bibliothèque, {campaigns} campagnes, {responses} réponses envoyées"
    )


# --- Campaigns -------------------------------------------------------------------------


def _campaign(programme, coordinator, **fields) -> Campaign:
    """A campaign created through the service, then launched: by the service when it
    still closes in the future, directly for a past one (the service refuses those)."""
    campaign = campaign_services.create_campaign(
        programme=programme,
        acting_user=coordinator,
        audience=fields.pop("audience", Campaign.Audience.COHORT),
        **fields,
    )
    try:
        return campaign_services.launch_campaign(campaign=campaign, acting_user=coordinator)
    except ValidationError:
        campaign.version = current_version(campaign.questionnaire)
        campaign.status = Campaign.Status.LAUNCHED
        campaign.launched_at = campaign.opens_at
        campaign.save(update_fields=["version", "status", "launched_at"])
        return campaign


def _hot_campaign(programme, coordinator, questionnaire, session) -> Campaign:
    campaign = _campaign(
        programme,
        coordinator,
        questionnaire=questionnaire,
        title=f"Évaluation à chaud — {session.title}",
        moment=Moment.HOT,
        audience=Campaign.Audience.SESSION,
        session=session,
        mode=Campaign.Mode.PERSON,
        anonymous=True,
        opens_at=session.ends_at,
        closes_at=session.ends_at + timedelta(days=14),
    )
    return Campaign.objects.select_related("session", "programme").get(pk=campaign.pk)


# --- Answers ---------------------------------------------------------------------------


def _questions(campaign: Campaign) -> list[Question]:
    return list(
        campaign.version.questions.select_related("section")
        .prefetch_related("criteria", "choices")
        .order_by("section__order", "order", "pk")
    )


def _team_response(
    campaign, team, levels, when, rng, *, submitted=True, several_authors=False
) -> None:
    # The members of the team at that moment (a replaced member answered before leaving).
    present = [m for m in team.members.all() if m.left_at is None or m.left_at > when]
    members = [m.user for m in sorted(present, key=lambda m: m.role.order)]
    author = members[1] if len(members) > 1 else members[0]
    response = Response.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        version=campaign.version,
        key=f"team:{team.pk}",
        team=team,
        status=Response.Status.SUBMITTED if submitted else Response.Status.DRAFT,
        submitted_at=when if submitted else None,
        submitted_by=author if submitted else None,
        updated_at=when,
    )
    answers, changes = [], []
    texts = iter((DIFFICULTIES, NEEDS, INTENTIONS))
    for question in _questions(campaign):
        if question.kind == QuestionKind.GRID:
            for index, criterion in enumerate(question.criteria.all()):
                by = members[index % len(members)] if several_authors else author
                comment = GRID_COMMENTS.get(index, "") if rng.random() < 0.4 else ""
                answers.append(
                    Answer(
                        organisation=campaign.organisation,
                        response=response,
                        question=question,
                        criterion=criterion,
                        number=float(levels[index % len(levels)]),
                        comment=comment,
                        updated_at=when,
                        updated_by=by,
                    )
                )
                changes.append(
                    AnswerChange(
                        organisation=campaign.organisation,
                        response=response,
                        question=question,
                        criterion=criterion,
                        user=by,
                        before={},
                        after={"number": float(levels[index % len(levels)])},
                    )
                )
        elif question.kind == QuestionKind.LONG_TEXT and submitted:
            pool = next(texts, INTENTIONS)
            answers.append(
                Answer(
                    organisation=campaign.organisation,
                    response=response,
                    question=question,
                    text=rng.choice(pool),
                    updated_at=when,
                    updated_by=author,
                )
            )
    Answer.objects.bulk_create(answers)
    AnswerChange.objects.bulk_create(changes)


def _assessment(campaign, team, trainer, levels, when) -> None:
    response = Response.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        version=campaign.version,
        key=f"subject-team:{team.pk}",
        subject_team=team,
        status=Response.Status.SUBMITTED,
        submitted_at=when,
        submitted_by=trainer,
        updated_at=when,
    )
    answers = []
    for question in _questions(campaign):
        if question.kind != QuestionKind.GRID:
            continue
        for index, criterion in enumerate(question.criteria.all()):
            answers.append(
                Answer(
                    organisation=campaign.organisation,
                    response=response,
                    question=question,
                    criterion=criterion,
                    number=float(levels[index % len(levels)]),
                    updated_at=when,
                    updated_by=trainer,
                )
            )
    Answer.objects.bulk_create(answers)


def _anonymous_answers(campaign, people, satisfaction, rng) -> None:
    """Participations of the first people who answered; their responses, unlinked,
    written in another (shuffled) order, dated by the day only."""
    count = min(len(satisfaction), len(people))
    questions = _questions(campaign)
    ends = campaign.opens_at
    Participation.objects.bulk_create(
        [
            Participation(
                organisation=campaign.organisation,
                campaign=campaign,
                user=person,
                submitted_at=ends + timedelta(hours=2 + 5 * index),
            )
            for index, person in enumerate(rng.sample(people, count))
        ]
    )
    levels = list(satisfaction[:count])
    rng.shuffle(levels)
    for index, overall in enumerate(levels):
        day = (ends + timedelta(days=index % 4)).astimezone(UTC).date()
        response = Response.objects.create(
            organisation=campaign.organisation,
            campaign=campaign,
            version=campaign.version,
            key=f"anonymous:{uuid.uuid4().hex}",
            status=Response.Status.SUBMITTED,
            submitted_at=datetime.combine(day, time(0), UTC),
        )
        answers = []
        recommend = overall >= 3 or rng.random() < 0.3
        for question in questions:
            value = {}
            if question.kind == QuestionKind.SCALE:
                if question.satisfaction:
                    value["number"] = float(overall)
                else:
                    other = overall + rng.choice((-1, 0, 0, 1))
                    value["number"] = float(max(question.scale_min, min(question.scale_max, other)))
            elif question.kind == QuestionKind.YES_NO:
                value["number"] = 1.0 if recommend else 0.0
            elif question.kind == QuestionKind.LONG_TEXT:
                if question.condition_question_id:
                    if not recommend:
                        value["text"] = "Le format à distance ne convient pas à mon équipe."
                elif rng.random() < 0.45:
                    value["text"] = rng.choice(HOT_COMMENTS)
            if value:
                answers.append(
                    Answer(
                        organisation=campaign.organisation,
                        response=response,
                        question=question,
                        **value,
                    )
                )
        Answer.objects.bulk_create(answers)
