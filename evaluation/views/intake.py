"""A call's own questionnaires: the coordinator chooses the motivation questions and
the T0 self-diagnostic; the applicants answer them together, from their application.

The applicants' page is the answering page of the campaigns (same form, autosave,
history of who changed what, conflicts), on the application's one response: it is
editable while the application is a draft, read-only afterwards. Answers are saved as
one goes; there is no « envoyer » of its own: the questionnaire is sent with the
application, which checks that no required answer is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRefresh

from candidatures.access import get_application_for_applicant_or_404
from candidatures.models import Application, Call
from evaluation.forms.answering import AnswerForm
from evaluation.models import Campaign, Questionnaire, Response
from evaluation.services import intake as services
from evaluation.views.answering import Filling, _handle_post, _page_context
from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors
from sillon.fields import ModelChoiceField
from sillon.formatting import format_moment
from sillon.forms import Form

MANAGE = "parcours.manage_programme"


# --- The coordinator chooses the questionnaires ----------------------------------------


def _call_or_404(user, organisation: Organisation, programme_id: int, call_id: int) -> Call:
    programme = get_programme_for_user_or_404(user, organisation, programme_id)
    call = get_object_or_404(
        Call.objects.select_related("cohort"),
        organisation=organisation,
        programme=programme,
        pk=call_id,
    )
    call.programme = programme
    return call


def questionnaire_choices(call: Call):
    """Questionnaires of the library or of the call's programme with a published version."""
    return (
        Questionnaire.objects.filter(
            Q(programme__isnull=True) | Q(programme=call.programme_id),
            organisation=call.organisation_id,
            archived=False,
            versions__status="published",
        )
        .distinct()
        .order_by("title", "pk")
    )


class AttachForm(Form):
    questionnaire = ModelChoiceField(
        label=gettext_lazy("Questionnaire"),
        queryset=Questionnaire.objects.none(),
        empty_label=gettext_lazy("(choisissez un questionnaire)"),
        help_text=gettext_lazy(
            "Un questionnaire publié de la bibliothèque ou du programme : sa dernière "
            "version est celle que les candidat·es remplissent."
        ),
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaire_choices(call)


@dataclass
class SlotView:
    key: str
    label: str
    explanation: str
    campaign: Campaign | None
    answered: int
    form: AttachForm | None


EXPLANATIONS = {
    services.MOTIVATION: gettext_lazy(
        "Les questions propres à l'appel : motivation, projet, attentes. Chaque candidature "
        "y répond une fois, à plusieurs."
    ),
    services.DIAGNOSTIC: gettext_lazy(
        "Le positionnement de départ du territoire. Pour une candidature retenue, il devient "
        "l'autodiagnostic T0 de l'équipe et le point de départ de sa progression."
    ),
}


def _slots(call: Call, forms_by_slot: dict) -> list[SlotView]:
    campaigns = {
        services.slot_of(campaign): campaign
        for campaign in Campaign.objects.filter(call=call).select_related(
            "questionnaire", "version"
        )
    }
    answered = dict(
        Response.objects.filter(campaign__call=call, answers__isnull=False)
        .values("campaign")
        .annotate(count=Count("application", distinct=True))
        .values_list("campaign", "count")
    )
    views = []
    for key in services.SLOTS:
        campaign = campaigns.get(key)
        form = None
        if campaign is None:
            form = forms_by_slot.get(key) or AttachForm(call=call, prefix=key)
        views.append(
            SlotView(
                key=key,
                label=services.slot_label(key),
                explanation=str(EXPLANATIONS[key]),
                campaign=campaign,
                answered=answered.get(campaign.pk, 0) if campaign else 0,
                form=form,
            )
        )
    return views


def _post(request, call: Call) -> dict | None:
    """Carry out the coordinator's action; None when done (redirect), else the bound
    forms to show again with their errors."""
    action = request.POST.get("action", "")
    user = request.user
    if action == "attach":
        slot = request.POST.get("slot", "")
        if slot not in services.SLOTS:
            raise Http404
        form = AttachForm(request.POST, call=call, prefix=slot)
        if form.is_valid():
            try:
                services.attach_questionnaire(
                    call=call,
                    slot=slot,
                    questionnaire=form.cleaned_data["questionnaire"],
                    acting_user=user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("« %(slot)s » : questionnaire attaché à l'appel.")
                    % {"slot": services.slot_label(slot)},
                )
                return None
        return {slot: form}
    if action == "template":
        try:
            services.use_diagnostic_template(call=call, acting_user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "L'autodiagnostic de la gouvernance du PAT est dans la bibliothèque et "
                    "sert d'autodiagnostic T0 à l'appel."
                ),
            )
        return None
    if action == "detach":
        campaign = Campaign.objects.filter(call=call, pk=request.POST.get("campaign") or 0).first()
        if campaign is None:
            raise Http404
        try:
            services.detach_questionnaire(campaign=campaign, acting_user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("« %(slot)s » : questionnaire détaché de l'appel.")
                % {"slot": services.slot_label(services.slot_of(campaign))},
            )
        return None
    raise Http404


@organisation_view(MANAGE)
def call_questionnaires(request, organisation: Organisation, programme_id: int, call_id: int):
    call = _call_or_404(request.user, organisation, programme_id, call_id)
    forms_by_slot: dict = {}
    if request.method == "POST":
        bound = _post(request, call)
        if bound is None:
            return redirect(
                "evaluation:call_questionnaires", organisation.slug, call.programme_id, call.pk
            )
        forms_by_slot = bound
    template = services.diagnostic_template_in_library(organisation)
    slots = _slots(call, forms_by_slot)
    for slot in slots:
        if slot.key == services.DIAGNOSTIC and slot.form is not None and not slot.form.is_bound:
            slot.form.initial = {"questionnaire": template.pk} if template else {}
    return render(
        request,
        "evaluation/intake/call_questionnaires.html",
        {
            "call": call,
            "programme": call.programme,
            "slots": slots,
            "template_missing": template is None,
        },
    )


# --- The applicants answer --------------------------------------------------------------


@dataclass
class ApplicationFilling(Filling):
    """The one response of an application to a call's questionnaire, filled by its
    lead and the people who joined it."""

    application: Application | None = None

    def find(self) -> None:
        self.response = (
            Response.objects.filter(
                campaign=self.campaign, key=services.response_key(self.application)
            )
            .select_related("submitted_by")
            .first()
        )

    def save(self, values):
        if self.response is None:
            if not values:
                return {}, {}
            self.response = services.start_application_response(
                campaign=self.campaign, application=self.application, acting_user=self.user
            )
        result = services.save_application_answers(
            response=self.response, values=values, acting_user=self.user
        )
        return result.errors, {conflict.name: conflict for conflict in result.conflicts}

    def submit(self) -> None:
        """Nothing to send: the answers are saved, the application sends them."""


BACK = "next"  # ``answering._handle_post`` saves, then « submits » (here: nothing more)


def _application_url(organisation, application) -> str:
    return reverse(
        "candidatures:application_detail",
        args=[organisation.slug, application.call.slug, application.pk],
    )


@organisation_view(public=True)
def application_answer(
    request,
    organisation: Organisation,
    call_slug: str,
    application_id: int,
    campaign_id: int,
):
    application = get_application_for_applicant_or_404(
        request.user, organisation, call_slug, application_id
    )
    campaign = get_object_or_404(
        Campaign.objects.select_related("version", "questionnaire"),
        organisation=organisation,
        call=application.call_id,
        version__isnull=False,
        pk=campaign_id,
    )
    campaign.organisation = organisation
    editable = application.status == Application.Status.DRAFT
    filling = ApplicationFilling(campaign=campaign, user=request.user, application=application)
    filling.find()
    form = AnswerForm(campaign.version)
    post_url = reverse(
        "evaluation:application_answer",
        args=[organisation.slug, application.call.slug, application.pk, campaign.pk],
    )
    application_url = _application_url(organisation, application)
    buttons = [
        {"action": BACK, "label": _("Enregistrer et revenir à la candidature"), "primary": True},
        {"action": "draft", "label": _("Enregistrer"), "primary": False},
    ]
    extra = {}
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _("La candidature a été déposée : ses réponses ne peuvent plus être modifiées."),
            )
            if request.htmx:
                return HttpResponseClientRefresh()
            return redirect(post_url)
        outcome = _handle_post(request, organisation, filling, form, post_url=post_url)
        if outcome is None:
            messages.success(request, _("Vos réponses sont enregistrées."))
            return redirect(application_url)
        if not isinstance(outcome, tuple):
            return outcome
        parsed, errors, conflicts = outcome
        extra = {"parsed": parsed, "errors": errors, "conflicts": conflicts}
    filling.load(form)
    context = _page_context(
        request, organisation, filling, form, post_url=post_url, buttons=buttons, **extra
    )
    reason = ""
    if not editable:
        reason = _("La candidature a été déposée : ses réponses ne peuvent plus être modifiées.")
        if application.submitted_at:
            reason = _(
                "La candidature a été déposée le %(when)s : ses réponses ne peuvent plus être "
                "modifiées."
            ) % {"when": format_moment(application.submitted_at, organisation)}
    context.update(
        {
            "application": application,
            "application_url": application_url,
            "slot_label": services.slot_label(services.slot_of(campaign)),
            "read_only": not editable,
            "reason": reason,
            "thanks": False,
            "sent_note": "",
            "deadline": _("À compléter avant le dépôt de la candidature, au plus tard le %(when)s")
            % {"when": format_moment(application.deadline(), organisation)},
        }
    )
    return render(request, "evaluation/intake/answer.html", context)
