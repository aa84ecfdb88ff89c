"""Factories with traits named after domain states (``InvitationFactory(expired=True)``)."""

import uuid
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from organisations.models import INVITATION_VALIDITY, Invitation, Membership, Organisation, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-de-test")

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.fr")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COORDINATOR

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        trainer = factory.Trait(role=Role.TRAINER)
        observer = factory.Trait(role=Role.OBSERVER)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    role = Role.TRAINER
    expires_at = factory.LazyFunction(lambda: timezone.now() + INVITATION_VALIDITY)

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
        )
        accepted = factory.Trait(accepted_at=factory.LazyFunction(timezone.now))
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))


# --- Parcours ------------------------------------------------------------------------


def _aware(day, hour=9, minute=0, zone="Europe/Paris"):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "territoires.Territory"

    kind = "epci"
    name = factory.Sequence(lambda n: f"Communauté de communes n°{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme over two years from next month, draft unless ``published=True``."""

    class Meta:
        model = "parcours.Programme"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Parcours n°{n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=730))

    class Params:
        published = factory.Trait(
            status="published", published_at=factory.LazyFunction(timezone.now)
        )
        archived = factory.Trait(status="archived")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.Cohort"

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    name = factory.Sequence(lambda n: f"Promotion {n}")


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.Phase"

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    name = factory.Sequence(lambda n: f"Phase {n}")
    order = factory.Sequence(lambda n: n)
    start_month = 0
    end_month = 5


class SessionKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.SessionKind"

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    name = factory.Sequence(lambda n: f"Formation {n}")

    class Params:
        individual = factory.Trait(is_individual=True, name="Accompagnement individuel")


class TeamRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.TeamRole"

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    name = factory.Sequence(lambda n: f"Rôle {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.Team"

    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SelfAttribute("cohort.organisation")
    name = factory.Sequence(lambda n: f"PAT du territoire {n}")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.TeamMember"

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    user = factory.SubFactory(UserFactory)

    class Params:
        former = factory.Trait(left_at=factory.LazyFunction(timezone.now))


class SessionFactory(factory.django.DjangoModelFactory):
    """A scheduled cohort-wide visio session in ten days, 9 h 30 – 12 h 30 Paris time.

    Traits: ``past``, ``tentative``, ``cancelled``, ``in_person``.
    """

    class Meta:
        model = "parcours.Session"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    kind = factory.SubFactory(
        SessionKindFactory,
        programme=factory.SelfAttribute("..programme"),
    )
    title = factory.Sequence(lambda n: f"Séance {n}")
    format = "visio"
    visio_url = "https://visio.exemple.fr/salle-sillon"
    starts_at = factory.LazyFunction(
        lambda: _aware(timezone.localdate() + timedelta(days=10), 9, 30)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    status = "scheduled"

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(
                lambda: _aware(timezone.localdate() - timedelta(days=10), 9, 30)
            )
        )
        tentative = factory.Trait(status="tentative")
        cancelled = factory.Trait(status="cancelled")
        in_person = factory.Trait(
            format="presentiel",
            visio_url="",
            place="Hôtel de Région, 151 avenue du Président Hoover, Lille",
        )

    @factory.post_generation
    def teams(session, create, extracted, **kwargs):
        if create and extracted:
            session.teams.set(extracted)

    @factory.post_generation
    def facilitators(session, create, extracted, **kwargs):
        if create and extracted:
            session.facilitators.set(extracted)

    @factory.post_generation
    def days(session, create, extracted, **kwargs):
        """The session's day rows, as the session services create them."""
        if create:
            from django_scopes import scopes_disabled

            from parcours.services.session_days import sync_session_days

            with scopes_disabled():
                sync_session_days(session)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.AgendaItem"

    session = factory.SubFactory(SessionFactory)
    organisation = factory.SelfAttribute("session.organisation")
    start_time = "09:15"
    end_time = "10:30"
    title = factory.Sequence(lambda n: f"Temps {n}")

    class Params:
        workshops = factory.Trait(kind="workshops", title="Ateliers en parallèle")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parcours.Workshop"

    round = factory.SubFactory(AgendaItemFactory, workshops=True)
    organisation = factory.SelfAttribute("round.organisation")
    title = factory.Sequence(lambda n: f"Atelier {n}")
    room = factory.Sequence(lambda n: f"Salle {n}")


def build_programme(*, organisation=None, teams=2, members_per_team=3, published=True, **kwargs):
    """A whole programme in one call: a cohort, the trinôme roles, ``teams`` teams of
    ``members_per_team`` members (one per role, in order), a kind "Formation" and an
    individual kind. Returns a namespace with every piece."""
    from types import SimpleNamespace

    organisation = organisation or OrganisationFactory()
    programme = ProgrammeFactory(organisation=organisation, published=published, **kwargs)
    cohort = CohortFactory(programme=programme, name="Promotion 2026–2028")
    roles = [
        TeamRoleFactory(programme=programme, name=name, order=order, required=required)
        for order, (name, required) in enumerate(
            [
                ("Élu·e référent·e", True),
                ("Chargé·e de mission", True),
                ("Responsable de service", False),
            ]
        )
    ]
    training = SessionKindFactory(programme=programme, name="Formation")
    individual = SessionKindFactory(programme=programme, individual=True)
    team_list = []
    for _ in range(teams):
        team = TeamFactory(cohort=cohort)
        for index in range(members_per_team):
            TeamMemberFactory(team=team, role=roles[index % len(roles)])
        team_list.append(team)
    return SimpleNamespace(
        organisation=organisation,
        programme=programme,
        cohort=cohort,
        roles=roles,
        kind=training,
        individual_kind=individual,
        teams=team_list,
    )


# --- Call for applications ----------------------------------------------------------


class CallFactory(factory.django.DjangoModelFactory):
    """A call of a programme's cohort, open since yesterday for three weeks; draft unless
    ``published=True``; ``closed=True`` makes it closed since yesterday."""

    class Meta:
        model = "candidatures.Call"

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.SelfAttribute("cohort.programme")
    organisation = factory.SelfAttribute("cohort.organisation")
    slug = factory.Sequence(lambda n: f"ami-{n}")
    title = factory.Sequence(lambda n: f"Appel à manifestation d'intérêt n°{n}")
    body = "Présentation de l'appel."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))

    class Params:
        published = factory.Trait(
            status="published", published_at=factory.LazyFunction(timezone.now)
        )
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )


class ScoringCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "candidatures.ScoringCriterion"

    call = factory.SubFactory(CallFactory)
    organisation = factory.SelfAttribute("call.organisation")
    name = factory.Sequence(lambda n: f"Critère {n}")
    weight = 1
    max_score = 5


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application by a new person, on a new territory. ``submitted=True`` and
    ``under_review=True`` set the state directly (no event written): tests of the
    transitions themselves go through the services."""

    class Meta:
        model = "candidatures.Application"

    call = factory.SubFactory(CallFactory, published=True)
    organisation = factory.SelfAttribute("call.organisation")
    created_by = factory.SubFactory(UserFactory)
    territory = factory.SubFactory(TerritoryFactory)
    structure = factory.LazyAttribute(lambda o: o.territory.name if o.territory else "")
    project_name = factory.LazyAttribute(
        lambda o: f"PAT {o.territory.name}" if o.territory else "PAT"
    )

    class Params:
        submitted = factory.Trait(
            status="submitted", submitted_at=factory.LazyFunction(timezone.now)
        )
        under_review = factory.Trait(
            status="under_review", submitted_at=factory.LazyFunction(timezone.now)
        )


class ApplicationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "candidatures.ApplicationMember"

    application = factory.SubFactory(ApplicationFactory)
    organisation = factory.SelfAttribute("application.organisation")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"membre{n}@territoire.example")
    function = "Chargé·e de mission"


def build_application(*, call, lead=None, roles=None, complete=True, **kwargs):
    """An application to ``call`` with its lead (a user) as first member, and one member
    per role of ``roles`` (the call's programme roles by default) when ``complete``."""
    application = ApplicationFactory(
        call=call, created_by=lead or UserFactory(), organisation=call.organisation, **kwargs
    )
    user = application.created_by
    roles = list(roles if roles is not None else call.programme.team_roles.all())
    ApplicationMemberFactory(
        application=application,
        first_name=user.first_name or "Léa",
        last_name=user.last_name or "Porteuse",
        email=user.email,
        user=user,
        is_lead=True,
        role=roles[0] if roles else None,
        joined_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    if complete:
        for role in roles[1:]:
            ApplicationMemberFactory(application=application, role=role)
    return application


# --- Evaluation ----------------------------------------------------------------------


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Questionnaire"

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Questionnaire {n}")


class VersionFactory(factory.django.DjangoModelFactory):
    """A version of a questionnaire, published unless ``draft=True``."""

    class Meta:
        model = "evaluation.QuestionnaireVersion"

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    organisation = factory.SelfAttribute("questionnaire.organisation")
    number = factory.Sequence(lambda n: n + 1)
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status="draft", published_at=None)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Section"

    version = factory.SubFactory(VersionFactory)
    organisation = factory.SelfAttribute("version.organisation")
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question; traits name its kind: ``scale`` (1–4), ``single``, ``multiple``,
    ``grid``, ``long_text``, ``number``, ``date``, ``yes_no``. Choice and grid kinds get
    ``choices`` labels (and grids ``criteria`` labels) through the post-generation
    hooks."""

    class Meta:
        model = "evaluation.Question"
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    version = factory.SelfAttribute("section.version")
    organisation = factory.SelfAttribute("section.organisation")
    kind = "short_text"
    label = factory.Sequence(lambda n: f"Question {n}")
    order = factory.Sequence(lambda n: n)

    class Params:
        scale = factory.Trait(
            kind="scale",
            scale_min=1,
            scale_max=4,
            min_label="Pas du tout satisfait·e",
            max_label="Très satisfait·e",
        )
        single = factory.Trait(kind="single")
        multiple = factory.Trait(kind="multiple")
        grid = factory.Trait(kind="grid")
        long_text = factory.Trait(kind="long_text")
        number = factory.Trait(kind="number")
        date = factory.Trait(kind="date")
        yes_no = factory.Trait(kind="yes_no")

    @factory.post_generation
    def choices(question, create, extracted, **kwargs):
        if not create:
            return
        labels = extracted
        if labels is None and question.kind in ("single", "multiple"):
            labels = ["Option A", "Option B", "Option C"]
        if labels is None and question.kind == "grid":
            labels = ["Émergent", "En construction", "Structuré", "Exemplaire"]
        for value, label in enumerate(labels or [], start=1):
            ChoiceFactory(question=question, label=label, value=value)

    @factory.post_generation
    def criteria(question, create, extracted, **kwargs):
        if not create or question.kind != "grid":
            return
        labels = extracted or ["Critère 1", "Critère 2", "Critère 3"]
        for order, label in enumerate(labels):
            CriterionFactory(
                question=question,
                label=label,
                order=order,
                descriptors=[f"{label} — niveau {level}" for level in range(1, 5)],
            )


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Choice"

    question = factory.SubFactory(QuestionFactory, single=True, choices=[])
    organisation = factory.SelfAttribute("question.organisation")
    label = factory.Sequence(lambda n: f"Choix {n}")
    value = factory.Sequence(lambda n: n + 1)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Criterion"

    question = factory.SubFactory(QuestionFactory, grid=True, criteria=[])
    organisation = factory.SelfAttribute("question.organisation")
    label = factory.Sequence(lambda n: f"Critère {n}")
    order = factory.Sequence(lambda n: n)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A launched campaign, open since yesterday for two weeks, one response per person,
    to every team of the programme. Traits: ``draft``, ``upcoming``, ``closed``,
    ``per_team``, ``assess_team``, ``assess_person``, and moments ``t0``,
    ``t1``, ``t2``, ``hot``."""

    class Meta:
        model = "evaluation.Campaign"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory, published=True)
    organisation = factory.SelfAttribute("programme.organisation")
    version = factory.SubFactory(
        VersionFactory, questionnaire__organisation=factory.SelfAttribute("...organisation")
    )
    questionnaire = factory.SelfAttribute("version.questionnaire")
    title = factory.Sequence(lambda n: f"Campagne {n}")
    status = "launched"
    launched_at = factory.LazyFunction(timezone.now)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    mode = "person"
    audience = "cohort"

    class Params:
        draft = factory.Trait(status="draft", launched_at=None)
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
        )
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=20)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        per_team = factory.Trait(mode="team")
        assess_team = factory.Trait(mode="assess_team")
        assess_person = factory.Trait(mode="assess_person")
        t0 = factory.Trait(moment="t0")
        t1 = factory.Trait(moment="t1")
        t2 = factory.Trait(moment="t2")
        hot = factory.Trait(moment="hot")

    @factory.post_generation
    def teams(campaign, create, extracted, **kwargs):
        if create and extracted:
            campaign.teams.set(extracted)

    @factory.post_generation
    def people(campaign, create, extracted, **kwargs):
        if create and extracted:
            campaign.people.set(extracted)

    @factory.post_generation
    def assessors(campaign, create, extracted, **kwargs):
        if create and extracted:
            campaign.assessors.set(extracted)


def build_grid_questionnaire(
    *,
    organisation,
    criteria=(
        "Connaître son schéma de gouvernance",
        "Partager les décisions",
        "Animer le collectif",
    ),
    published=True,
    title="Autodiagnostic de gouvernance",
    **kwargs,
):
    """A self-diagnostic maturity grid: one section, one grid question with four levels
    and ``criteria``, plus a long-text question. Returns a namespace (questionnaire,
    version, grid, criteria, levels, comment)."""
    from types import SimpleNamespace

    version = VersionFactory(
        questionnaire__organisation=organisation,
        questionnaire__purpose="self_diagnostic",
        questionnaire__title=title,
        draft=not published,
        **kwargs,
    )
    section = SectionFactory(version=version, title="Gouvernance")
    grid = QuestionFactory(
        section=section,
        grid=True,
        label="Où en est votre gouvernance ?",
        required=True,
        criteria=list(criteria),
    )
    comment = QuestionFactory(section=section, long_text=True, label="Vos besoins")
    return SimpleNamespace(
        questionnaire=version.questionnaire,
        version=version,
        section=section,
        grid=grid,
        criteria=list(grid.criteria.all()),
        levels=list(grid.choices.all()),
        comment=comment,
    )


def build_satisfaction_questionnaire(*, organisation, published=True):
    """ "À chaud": a 1–4 satisfaction scale (counted in the satisfaction rate), a single
    choice, a comment. Returns a namespace (questionnaire, version, scale, single, text)."""
    from types import SimpleNamespace

    version = VersionFactory(
        questionnaire__organisation=organisation,
        questionnaire__purpose="satisfaction",
        draft=not published,
    )
    section = SectionFactory(version=version, title="Votre avis")
    scale = QuestionFactory(
        section=section,
        scale=True,
        satisfaction=True,
        required=True,
        label="Êtes-vous satisfait·e de la séance ?",
    )
    single = QuestionFactory(
        section=section,
        single=True,
        label="Le rythme était…",
        choices=["Trop lent", "Adapté", "Trop rapide"],
    )
    text = QuestionFactory(section=section, long_text=True, label="Un commentaire ?")
    return SimpleNamespace(
        questionnaire=version.questionnaire,
        version=version,
        scale=scale,
        single=single,
        text=text,
    )


# --- Date polls, attendance, documents -----------------------------------------------


class DatePollFactory(factory.django.DjangoModelFactory):
    """An open poll for a tentative session, closing in a week, with ``slots`` slots
    (two by default) on the next days, 9 h 30 – 12 h 30 Paris time."""

    class Meta:
        model = "sondages.DatePoll"
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory, tentative=True)
    organisation = factory.SelfAttribute("session.organisation")
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    class Params:
        closed = factory.Trait(
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )

    @factory.post_generation
    def slots(poll, create, extracted, **kwargs):
        if not create:
            return
        count = 2 if extracted is None else extracted
        for index in range(count):
            SlotFactory(
                poll=poll,
                starts_at=_aware(timezone.localdate() + timedelta(days=10 + index), 9, 30),
            )


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sondages.Slot"

    poll = factory.SubFactory(DatePollFactory, slots=0)
    organisation = factory.SelfAttribute("poll.organisation")
    starts_at = factory.LazyFunction(
        lambda: _aware(timezone.localdate() + timedelta(days=10), 9, 30)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    format = "presentiel"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sondages.Vote"

    slot = factory.SubFactory(SlotFactory)
    organisation = factory.SelfAttribute("slot.organisation")
    user = factory.SubFactory(UserFactory)
    answer = "yes"


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A person present on the first half-day of a past session."""

    class Meta:
        model = "presences.Attendance"

    session = factory.SubFactory(SessionFactory, past=True)
    organisation = factory.SelfAttribute("session.organisation")
    user = factory.SubFactory(UserFactory)
    day = factory.LazyAttribute(lambda o: timezone.localtime(o.session.starts_at).date())
    half_day = "am"
    status = "present"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A generated document, pending; ``ready=True`` gives it a small PDF file."""

    class Meta:
        model = "documents.Document"

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "attestation"
    title = factory.Sequence(lambda n: f"Attestation {n}")
    requested_by = factory.SubFactory(UserFactory)

    class Params:
        ready = factory.Trait(
            status="ready",
            progress=100,
            filename="attestation.pdf",
            content_type="application/pdf",
            file=factory.django.FileField(filename="attestation.pdf", data=b"%PDF-1.7\n%%EOF\n"),
        )
        failed = factory.Trait(status="failed", error="Échec de la création du document.")


class AttestationFactory(factory.django.DjangoModelFactory):
    """A final attestation in the registry (no PDF); ``revoked=True`` withdraws it."""

    class Meta:
        model = "documents.Attestation"

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"ATT-2026-{o.sequence:06d}")
    token = factory.Sequence(lambda n: f"jeton-{n}-{uuid.uuid4().hex}")
    person = factory.SubFactory(UserFactory)
    holder_name = factory.LazyAttribute(lambda o: o.person.get_full_name() or o.person.email)
    programme_name = factory.SelfAttribute("programme.name")
    period_start = factory.SelfAttribute("programme.start_date")
    period_end = factory.LazyFunction(timezone.localdate)
    total_minutes = 435
    sessions = factory.LazyFunction(
        lambda: [{"title": "Séminaire", "days": [], "minutes": 435, "hours": "7 h 15"}]
    )
    issued_at = factory.LazyFunction(timezone.now)

    class Params:
        revoked = factory.Trait(
            revoked_at=factory.LazyFunction(timezone.now), revocation_reason="Erreur d'heures"
        )


class ConvocationFactory(factory.django.DjangoModelFactory):
    """A convocation sent to one person for one session."""

    class Meta:
        model = "parcours.Convocation"

    session = factory.SubFactory(SessionFactory)
    organisation = factory.SelfAttribute("session.organisation")
    user = factory.SubFactory(UserFactory)
    kind = "convocation"


class WorkshopRegistrationFactory(factory.django.DjangoModelFactory):
    """A participant's choice of one workshop in its round."""

    class Meta:
        model = "parcours.WorkshopRegistration"

    workshop = factory.SubFactory(WorkshopFactory)
    round = factory.SelfAttribute("workshop.round")
    organisation = factory.SelfAttribute("workshop.organisation")
    user = factory.SubFactory(UserFactory)
