"""Responses and answers.

A response is one filling of a campaign's questionnaire: by a team (collective answer),
by a person, or by assessors about a subject (a team or a person). Answers are stored
one row per question (per criterion for a maturity grid), each with a revision so two
people saving the same answer at once never lose one silently.

Anonymity: the response of an anonymous campaign carries no person, no team, no time
finer than the day, and random identifiers (UUIDs, for answers too), so neither a join
nor the order of rows links it to the ``Participation`` that records, separately, that
someone answered. Its draft lives in that participation, with the person, until it is
sent; sending moves the answers into the unlinked response and empties the draft.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Envoyée")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        "evaluation.Campaign", on_delete=models.CASCADE, related_name="responses"
    )
    version = models.ForeignKey(
        "evaluation.QuestionnaireVersion", on_delete=models.PROTECT, related_name="responses"
    )
    # Unique per campaign: "team:<id>", "person:<id>", "subject-team:<id>",
    # "subject-person:<id>", "application:<id>" (a call's questionnaire), or
    # "anonymous:<random>".
    key = models.CharField(max_length=64)
    team = models.ForeignKey(
        "parcours.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The application that answers a call's questionnaire; ``team`` is set too once the
    # application became a team (its T0 self-diagnostic is then the team's).
    application = models.ForeignKey(
        "candidatures.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_responses",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_responses",
    )
    subject_team = models.ForeignKey(
        "parcours.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_assessments",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # For an anonymous response, the day only (midnight UTC) and no author.
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # Recorded by a trainer or coordinator on the person's behalf during an interview
    # (« saisi par … lors d'un entretien le … »); counted as answered.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    interview_on = models.DateField(_("date de l'entretien"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="response_once_per_key")
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.key}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_anonymous(self) -> bool:
        return self.key.startswith("anonymous:")


class Answer(models.Model):
    deletion_refusal = _("des réponses à une évaluation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "evaluation.Question", on_delete=models.PROTECT, related_name="answers"
    )
    criterion = models.ForeignKey(
        "evaluation.Criterion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    # Scale value, grid level, number, yes (1) / no (0), the chosen value of a single
    # choice; the chosen choice ids of single and multiple choices.
    number = models.FloatField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=limits.TEXT)
    date = models.DateField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=limits.NOTE)
    revision = models.PositiveIntegerField(default=1)
    # Empty for anonymous responses.
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(criterion__isnull=True),
                name="answer_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "criterion"],
                condition=Q(criterion__isnull=False),
                name="answer_once_per_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.criterion_id}"


class AnswerChange(models.Model):
    """Who changed which answer of a shared response (a team's collective answer, an
    assessment), from what to what. Never written for anonymous responses."""

    deletion_unlisted = True  # see parcours.services.deletion

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    question = models.ForeignKey("evaluation.Question", on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(
        "evaluation.Criterion", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("modification d'une réponse")
        verbose_name_plural = _("modifications des réponses")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} — {self.question_id}"


class Participation(models.Model):
    """That a person answered an anonymous campaign (so non-respondents can be
    reminded), with their draft until they send it. Never linked to the response."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    campaign = models.ForeignKey(
        "evaluation.Campaign", on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_participations"
    )
    draft = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("participation anonyme")
        verbose_name_plural = _("participations anonymes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.campaign}"
