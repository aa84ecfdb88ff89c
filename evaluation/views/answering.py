"""Answering campaigns: "mes questionnaires", the answering page (a team's collective
answer, one's own, an anonymous one), and assessors going through their subjects.

One page serves the full form (plain POSTs: "Enregistrer le brouillon", "Envoyer mes
réponses") and the htmx autosave of one question, which answers with that question's
field states and the progress, swapped out of band.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from evaluation import selectors
from evaluation.access import campaign_to_answer_or_404, get_subject_or_404
from evaluation.answer_values import AnswerValue, field_name
from evaluation.forms.answering import AnswerForm, FormState, progress
from evaluation.models import Answer, AnswerChange, Campaign, Criterion, Question, Response
from evaluation.services import answers as services
from organisations.access import organisation_view
from organisations.models import Organisation
from sillon.formatting import format_moment, format_time, local

CLOSED_PER_PAGE = 10


# --- Who fills what --------------------------------------------------------------------


@dataclass
class Filling:
    """The response one person fills in a campaign: their own, their team's, the
    assessment of a subject, or their anonymous draft. ``response`` is None until the
    first save (a GET never writes)."""

    campaign: Campaign
    user: object
    team: object = None
    subject: object = None
    response: Response | None = None
    participation: object = None
    values: dict[str, AnswerValue] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    history: dict[str, list] = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        return self.campaign.anonymous

    @property
    def shared(self) -> bool:
        """Several people fill it: show who changed what."""
        return self.campaign.per_team or self.campaign.is_assessment

    @property
    def sent(self) -> bool:
        if self.anonymous:
            return self.participation is not None and self.participation.submitted_at is not None
        return self.response is not None and self.response.is_submitted

    def find(self) -> None:
        if self.anonymous:
            self.participation = services.participation_for(self.campaign, self.user)
            return
        key = services.response_key(
            self.campaign, user=self.user, team=self.team, subject=self.subject
        )
        self.response = (
            Response.objects.filter(campaign=self.campaign, key=key)
            .select_related("submitted_by")
            .first()
        )

    def load(self, form: AnswerForm) -> None:
        """The stored values (with who changed them last, and the history), read with
        the form's questions: a constant number of queries."""
        self.values, self.answers, self.history = {}, {}, {}
        if self.anonymous:
            draft = services.draft_values(self.participation, self.campaign.version)
            self.values = form.rebind(draft)
            return
        if self.response is None:
            return
        for answer in Answer.objects.filter(response=self.response).select_related("updated_by"):
            name = field_name(answer.question_id, answer.criterion_id)
            if name not in form.fields:
                continue
            answer.question, answer.criterion = form.fields[name]
            self.answers[name] = answer
            self.values[name] = AnswerValue.from_answer(answer)
        if self.shared:
            changes = AnswerChange.objects.filter(response=self.response).select_related("user")
            for change in changes.order_by("-changed_at", "-pk"):
                name = field_name(change.question_id, change.criterion_id)
                self.history.setdefault(name, []).append(change)

    def save(self, values: list[AnswerValue]) -> tuple[dict, dict]:
        """Store ``values``; returns (errors by field, conflicts by field). Raises a
        ValidationError when the campaign is not open."""
        if self.anonymous:
            self.participation, errors = services.save_anonymous_draft(
                campaign=self.campaign, user=self.user, values=values
            )
            return errors, {}
        if self.response is None:
            if not values:
                return {}, {}
            self.response = services.start_response(
                campaign=self.campaign, acting_user=self.user, team=self.team, subject=self.subject
            )
        result = services.save_answers(response=self.response, values=values, acting_user=self.user)
        return result.errors, {conflict.name: conflict for conflict in result.conflicts}

    def submit(self) -> None:
        if self.anonymous:
            services.submit_anonymous(campaign=self.campaign, user=self.user)
            return
        if self.response is None:
            self.response = services.start_response(
                campaign=self.campaign, acting_user=self.user, team=self.team, subject=self.subject
            )
        self.response = services.submit_response(response=self.response, acting_user=self.user)


def _parse_replace(raw: str) -> dict[str, int]:
    name, _sep, revision = (raw or "").partition(":")
    try:
        return {name: int(revision)} if name else {}
    except ValueError:
        return {}


def _error_summary(form: AnswerForm, state: FormState, errors: dict) -> list[dict]:
    summary = []
    for name in form.fields:
        if name not in errors:
            continue
        view = state.field_view(name)
        label = view.question.label
        if view.criterion is not None:
            label = f"{label} — {view.criterion.label}"
        summary.append({"anchor": view.anchor, "label": label, "messages": errors[name]})
    return summary


def _moment(when, organisation) -> str:
    return format_moment(when, organisation) if when else ""


def _page_context(
    request,
    organisation: Organisation,
    filling: Filling,
    form: AnswerForm,
    *,
    post_url: str,
    parsed=None,
    errors=None,
    conflicts=None,
    thanks=False,
    buttons=None,
) -> dict:
    campaign = filling.campaign
    errors = errors or {}
    conflicts = conflicts or {}
    typed = {}
    if parsed is not None:
        typed = {v.name: v for v in parsed.values if v.name in errors or v.name in conflicts}
    state = FormState(
        form,
        values=filling.values,
        organisation=organisation,
        raw=parsed.raw if parsed is not None and (errors or conflicts) else None,
        typed=typed,
        errors=errors,
        conflicts=conflicts,
        answers=filling.answers,
        history=filling.history,
        seen=parsed.seen if parsed is not None else None,
        revisions=parsed.revisions if parsed is not None else None,
    )
    sections = []
    for section in form.sections:
        views = [state.question_view(question) for question in section.question_list]
        sections.append({"section": section, "questions": views})
    state_name = campaign.state
    read_only = state_name != "open" or (filling.anonymous and filling.sent)
    if state_name == "closed":
        reason = _(
            "Ce questionnaire est clos depuis le %(when)s : les réponses ne peuvent plus être "
            "modifiées."
        ) % {"when": _moment(campaign.closes_at, organisation)}
    elif state_name == "upcoming":
        reason = _("Ce questionnaire ouvrira le %(when)s.") % {
            "when": _moment(campaign.opens_at, organisation)
        }
    elif filling.anonymous and filling.sent:
        reason = _(
            "Vous avez déjà répondu. Vos réponses sont anonymes : plus rien ne les relie à "
            "vous, elles ne peuvent donc plus être ni affichées ni modifiées."
        )
    else:
        reason = ""
    sent_note = ""
    if filling.sent and not filling.anonymous and filling.response.submitted_at:
        sent_note = _("Réponses envoyées le %(when)s.") % {
            "when": _moment(filling.response.submitted_at, organisation)
        }
        if filling.response.submitted_by_id:
            who = filling.response.submitted_by
            sent_note = _("Réponses envoyées par %(name)s le %(when)s.") % {
                "name": who.get_full_name() or who.email,
                "when": _moment(filling.response.submitted_at, organisation),
            }
    return {
        "campaign": campaign,
        "version": campaign.version,
        "filling": filling,
        "sections": sections,
        "progress": progress(form, filling.values),
        "deadline": _("À remplir avant le %(when)s")
        % {"when": _moment(campaign.closes_at, organisation)},
        "read_only": read_only,
        "reason": reason,
        "thanks": thanks or (filling.anonymous and filling.sent),
        "sent_note": sent_note,
        "post_url": post_url,
        "page_url": post_url,
        "error_summary": _error_summary(form, state, errors),
        "conflict_count": len(conflicts),
        "saved_at": "",
        "buttons": buttons
        or [
            {"action": "draft", "label": _("Enregistrer le brouillon"), "primary": False},
            {"action": "submit", "label": _("Envoyer mes réponses"), "primary": True},
        ],
    }


def _autosave_response(request, organisation, filling, form, parsed, errors, conflicts, saved):
    """The fields of the questions posted, and the progress, swapped out of band."""
    filling.load(form)
    typed = {v.name: v for v in parsed.values if v.name in errors or v.name in conflicts}
    state = FormState(
        form,
        values=filling.values,
        organisation=organisation,
        raw=parsed.raw,
        typed=typed,
        errors=errors,
        conflicts=conflicts,
        answers=filling.answers,
        history=filling.history,
        seen=parsed.seen,
        revisions=parsed.revisions,
    )
    touched = {form.fields[name][0].pk for name in parsed.names}
    questions = [state.question_view(q) for q in form.questions if q.pk in touched]
    saved_at = ""
    if saved:
        saved_at = _("Enregistré à %(time)s") % {
            "time": format_time(local(timezone.now(), organisation.time_zone))
        }
    return render(
        request,
        "evaluation/answer/_autosave.html",
        {
            "questions": questions,
            "progress": progress(form, filling.values),
            "saved_at": saved_at,
            "post_url": request.path,
            "page_url": request.path,
            "read_only": False,
            "filling": filling,
        },
    )


def _handle_post(request, organisation, filling: Filling, form: AnswerForm, *, post_url: str):
    """Save what was posted; then, for a plain POST, send when asked. Returns an
    HttpResponse, or (parsed, errors, conflicts) to re-render the page."""
    replace = _parse_replace(request.POST.get("replace", ""))
    parsed = form.parse(request.POST, replace=replace)
    try:
        errors, conflicts = filling.save(parsed.values)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect(post_url)
    errors = {**parsed.errors, **errors}
    if request.htmx:
        saved = bool(parsed.values) and not errors and not conflicts
        return _autosave_response(
            request, organisation, filling, form, parsed, errors, conflicts, saved
        )
    action = request.POST.get("action", "draft")
    if not errors and not conflicts and action in ("submit", "next"):
        try:
            filling.submit()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {name: list(msgs) for name, msgs in error.message_dict.items()}
            else:
                messages.error(request, " ".join(error.messages))
                return redirect(post_url)
        else:
            return None
    if errors or conflicts:
        if action in ("submit", "next"):
            # Say at once everything that stands in the way of sending.
            filling.load(form)
            missing = services.missing_required(filling.campaign.version, filling.values)
            for name, message in missing.items():
                errors.setdefault(name, [message])
        return parsed, errors, conflicts
    if "replace" in request.POST:
        messages.success(request, _("Votre réponse a remplacé la précédente."))
    else:
        messages.success(request, _("Brouillon enregistré."))
    return redirect(post_url)


# --- Answering -------------------------------------------------------------------------


@organisation_view("evaluation.view")
def answer(request, organisation: Organisation, campaign_id: int):
    user = request.user
    campaign = campaign_to_answer_or_404(user, organisation, campaign_id)
    if campaign.is_assessment:
        if not selectors.is_respondent(campaign, user):
            raise Http404
        return redirect("evaluation:assess_list", organisation.slug, campaign.pk)
    filling = Filling(campaign=campaign, user=user)
    if campaign.mode == Campaign.Mode.TEAM:
        filling.team = selectors.team_of_respondent(campaign, user)
        if filling.team is None:
            raise Http404
    elif not selectors.is_respondent(campaign, user):
        raise Http404
    filling.find()
    form = AnswerForm(campaign.version)
    post_url = reverse("evaluation:answer", args=[organisation.slug, campaign.pk])
    template = "evaluation/answer/answer.html"
    if request.method == "POST":
        if campaign.state != "open" or (filling.anonymous and filling.sent):
            return _refuse(request, organisation, campaign, filling, post_url)
        outcome = _handle_post(request, organisation, filling, form, post_url=post_url)
        if outcome is None:
            if filling.anonymous:
                messages.success(request, _("Merci ! Vos réponses anonymes ont bien été envoyées."))
            else:
                messages.success(
                    request,
                    _(
                        "Vos réponses ont été envoyées. Vous pouvez encore les modifier "
                        "jusqu'au %(when)s."
                    )
                    % {"when": _moment(campaign.closes_at, organisation)},
                )
            return redirect(post_url)
        if not isinstance(outcome, tuple):
            return outcome
        parsed, errors, conflicts = outcome
        filling.load(form)
        context = _page_context(
            request,
            organisation,
            filling,
            form,
            post_url=post_url,
            parsed=parsed,
            errors=errors,
            conflicts=conflicts,
        )
        return render(request, template, context)
    filling.load(form)
    context = _page_context(request, organisation, filling, form, post_url=post_url)
    return render(request, template, context)


def _refuse(request, organisation, campaign, filling, post_url):
    if campaign.state == "closed":
        message = _(
            "Ce questionnaire est clos depuis le %(when)s : les réponses ne peuvent plus être "
            "modifiées."
        ) % {"when": _moment(campaign.closes_at, organisation)}
    elif campaign.state == "upcoming":
        message = _("Ce questionnaire ouvrira le %(when)s.") % {
            "when": _moment(campaign.opens_at, organisation)
        }
    else:
        message = _("Vous avez déjà répondu à ce questionnaire.")
    messages.error(request, message)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(post_url)


# --- Assessments -----------------------------------------------------------------------


def _assessment_or_404(user, organisation, campaign_id) -> Campaign:
    campaign = campaign_to_answer_or_404(user, organisation, campaign_id)
    if not campaign.is_assessment or not selectors.is_respondent(campaign, user):
        raise Http404
    return campaign


def _subject_prefix(campaign: Campaign) -> str:
    return "subject-team" if campaign.mode == Campaign.Mode.ASSESS_TEAM else "subject-person"


def _subject_name(subject) -> str:
    if hasattr(subject, "cohort_id"):
        return subject.name
    return subject.get_full_name() or subject.email


def _assessment_rows(campaign: Campaign) -> list[dict]:
    """Each subject with the status of its assessment, in two or three queries."""
    subjects = selectors.subjects(campaign)
    prefix = _subject_prefix(campaign)
    statuses = dict(
        Response.objects.filter(campaign=campaign, key__startswith=f"{prefix}:").values_list(
            "key", "status"
        )
    )
    rows = []
    for subject in subjects:
        status = statuses.get(f"{prefix}:{subject.pk}")
        if status == Response.Status.SUBMITTED:
            label = _("envoyée")
        elif status == Response.Status.DRAFT:
            label = _("brouillon")
        else:
            label = _("à faire")
        rows.append(
            {
                "subject": subject,
                "name": _subject_name(subject),
                "status": status or "todo",
                "status_label": label,
                "submitted": status == Response.Status.SUBMITTED,
            }
        )
    return rows


def _absent_rows(campaign: Campaign) -> list[dict]:
    """Subjects recorded absent at the session: listed, never gradable."""
    return [
        {"subject": s, "name": _subject_name(s), "status": "absent", "status_label": _("absent·e")}
        for s in selectors.absent_subjects(campaign)
    ]


def assessment_counts(campaigns) -> dict[int, tuple[int, int]]:
    """{campaign id: (subjects assessed, subjects)} for the assessment campaigns among
    ``campaigns``, in two queries whatever their number (one UNION of every campaign's
    subjects, one count of sent assessments)."""
    assessments = [c for c in campaigns if c.is_assessment]
    if not assessments:
        return {}
    parts = []
    for campaign in assessments:
        if campaign.mode == Campaign.Mode.ASSESS_TEAM:
            subjects = selectors.target_teams(campaign)
        else:
            subjects = selectors.target_people(campaign)
        parts.append(
            subjects.order_by()
            .annotate(campaign_ref=Value(campaign.pk, output_field=IntegerField()))
            .values_list("campaign_ref", "pk")
        )
    query = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    totals: dict[int, set] = {campaign.pk: set() for campaign in assessments}
    for campaign_id, subject_id in query:
        totals[campaign_id].add(subject_id)
    done = dict(
        Response.objects.filter(
            campaign__in=[c.pk for c in assessments], status=Response.Status.SUBMITTED
        )
        .values("campaign")
        .annotate(count=Count("pk"))
        .values_list("campaign", "count")
    )
    return {pk: (min(done.get(pk, 0), len(ids)), len(ids)) for pk, ids in totals.items()}


@organisation_view("evaluation.view")
def assess_list(request, organisation: Organisation, campaign_id: int):
    campaign = _assessment_or_404(request.user, organisation, campaign_id)
    rows = _assessment_rows(campaign)
    done = sum(1 for row in rows if row["submitted"])
    return render(
        request,
        "evaluation/answer/assess_list.html",
        {
            "campaign": campaign,
            "rows": rows,
            "absent_rows": _absent_rows(campaign),
            "done": done,
            "total": len(rows),
            "is_open": campaign.state == "open",
            "deadline": _moment(campaign.closes_at, organisation),
            "opens": _moment(campaign.opens_at, organisation),
        },
    )


@organisation_view("evaluation.view")
def assess_subject(request, organisation: Organisation, campaign_id: int, subject_id: int):
    user = request.user
    campaign = _assessment_or_404(user, organisation, campaign_id)
    absent = next((r for r in _absent_rows(campaign) if r["subject"].pk == subject_id), None)
    if absent is not None:
        messages.error(
            request,
            _("%(name)s était absent·e à la séance : pas d'évaluation.") % {"name": absent["name"]},
        )
        return redirect("evaluation:assess_list", organisation.slug, campaign.pk)
    subject = get_subject_or_404(campaign, subject_id)
    filling = Filling(campaign=campaign, user=user, subject=subject)
    filling.find()
    form = AnswerForm(campaign.version)
    post_url = reverse(
        "evaluation:assess_subject", args=[organisation.slug, campaign.pk, subject.pk]
    )
    list_url = reverse("evaluation:assess_list", args=[organisation.slug, campaign.pk])
    template = "evaluation/answer/assess_subject.html"
    extra = {}
    if request.method == "POST":
        if campaign.state != "open":
            return _refuse(request, organisation, campaign, filling, post_url)
        outcome = _handle_post(request, organisation, filling, form, post_url=post_url)
        if outcome is None:
            name = _subject_name(subject)
            rows = _assessment_rows(campaign)
            after = _next_subject(rows, subject)
            if after is None:
                messages.success(
                    request,
                    _("Évaluation de %(name)s envoyée. Toutes les évaluations sont envoyées.")
                    % {"name": name},
                )
                return redirect(list_url)
            messages.success(
                request,
                _("Évaluation de %(name)s envoyée. Au tour de %(next)s.")
                % {"name": name, "next": after["name"]},
            )
            return redirect(
                "evaluation:assess_subject", organisation.slug, campaign.pk, after["subject"].pk
            )
        if not isinstance(outcome, tuple):
            return outcome
        parsed, errors, conflicts = outcome
        filling.load(form)
        extra = {"parsed": parsed, "errors": errors, "conflicts": conflicts}
    else:
        filling.load(form)
    buttons = [
        {"action": "next", "label": _("Enregistrer et passer au suivant"), "primary": True},
        {"action": "draft", "label": _("Enregistrer le brouillon"), "primary": False},
    ]
    context = _page_context(
        request, organisation, filling, form, post_url=post_url, buttons=buttons, **extra
    )
    rows = _assessment_rows(campaign)
    position = next((i for i, row in enumerate(rows) if row["subject"].pk == subject.pk), 0)
    if rows and rows[position]["subject"].pk == subject.pk:
        subject = rows[position]["subject"]  # with its current members, for a team
    context.update(
        {
            "subject": subject,
            "subject_name": _subject_name(subject),
            "position": position + 1,
            "total": len(rows),
            "previous_row": rows[position - 1] if position > 0 else None,
            "next_row": rows[position + 1] if position + 1 < len(rows) else None,
            "list_url": list_url,
            "is_team": campaign.mode == Campaign.Mode.ASSESS_TEAM,
        }
    )
    return render(request, template, context)


def _next_subject(rows: list[dict], current) -> dict | None:
    """The next subject (after ``current``, then from the start) not assessed yet."""
    index = next((i for i, row in enumerate(rows) if row["subject"].pk == current.pk), -1)
    ordered = rows[index + 1 :] + rows[: max(index, 0)]
    return next((row for row in ordered if not row["submitted"]), None)


# --- Mes questionnaires ----------------------------------------------------------------


def _field_totals(campaigns) -> dict[int, int]:
    """{version id: number of fields} (questions, a grid counting its criteria)."""
    version_ids = {c.version_id for c in campaigns if c.version_id}
    if not version_ids:
        return {}
    totals = dict(
        Question.objects.filter(version__in=version_ids)
        .exclude(kind="grid")
        .values("version")
        .annotate(count=Count("pk"))
        .values_list("version", "count")
    )
    for version_id, count in (
        Criterion.objects.filter(question__version__in=version_ids)
        .values("question__version")
        .annotate(count=Count("pk"))
        .values_list("question__version", "count")
    ):
        totals[version_id] = totals.get(version_id, 0) + count
    return totals


def describe_campaigns(user, organisation, campaigns) -> list[dict]:
    """Each campaign with what ``user`` has done about it (à commencer, brouillon n %,
    envoyée; n sur m évalués), in a constant number of queries."""
    campaigns = list(campaigns)
    responses = selectors.own_responses(user, campaigns)
    participations = selectors.participations(user, campaigns)
    counts = assessment_counts(campaigns)
    drafts = [r.pk for r in responses.values() if not r.is_submitted]
    answered = {}
    if drafts:
        answered = dict(
            Answer.objects.filter(response__in=drafts)
            .values("response")
            .annotate(count=Count("pk"))
            .values_list("response", "count")
        )
    needs_totals = [
        c
        for c in campaigns
        if (c.pk in responses and not responses[c.pk].is_submitted)
        or (c.pk in participations and participations[c.pk].submitted_at is None)
    ]
    totals = _field_totals(needs_totals)
    slug = organisation.slug
    rows = []
    for campaign in campaigns:
        campaign.organisation = organisation
        row = {
            "campaign": campaign,
            "state": campaign.state,
            "deadline": _moment(campaign.closes_at, organisation),
            "opens": _moment(campaign.opens_at, organisation),
            "status": "todo",
            "status_label": _("à commencer"),
            "percent": 0,
            "sent": False,
            "assessment": campaign.is_assessment,
            "done": 0,
            "total": 0,
        }
        if campaign.is_assessment:
            row["url"] = reverse("evaluation:assess_list", args=[slug, campaign.pk])
            row["done"], row["total"] = counts.get(campaign.pk, (0, 0))
            row["sent"] = row["total"] > 0 and row["done"] >= row["total"]
            row["status_label"] = _("%(done)s sur %(total)s évalué·es") % {
                "done": row["done"],
                "total": row["total"],
            }
            row["status"] = "sent" if row["sent"] else "draft" if row["done"] else "todo"
        else:
            row["url"] = reverse("evaluation:answer", args=[slug, campaign.pk])
            total = totals.get(campaign.version_id, 0)
            if campaign.anonymous:
                participation = participations.get(campaign.pk)
                if participation is not None and participation.submitted_at is not None:
                    row["status"], row["sent"] = "sent", True
                elif participation is not None and participation.draft:
                    row["status"] = "draft"
                    filled = len(participation.draft)
                    row["percent"] = min(100, round(100 * filled / total)) if total else 0
            else:
                response = responses.get(campaign.pk)
                if response is not None and response.is_submitted:
                    row["status"], row["sent"] = "sent", True
                elif response is not None:
                    row["status"] = "draft"
                    filled = answered.get(response.pk, 0)
                    row["percent"] = min(100, round(100 * filled / total)) if total else 0
            if row["status"] == "sent":
                row["status_label"] = _("envoyée")
            elif row["status"] == "draft":
                row["status_label"] = _("brouillon %(percent)s %%") % {"percent": row["percent"]}
        rows.append(row)
    return rows


@organisation_view("evaluation.view")
def my_campaigns(request, organisation: Organisation):
    user = request.user
    now = timezone.now()
    mine = selectors.campaigns_to_answer(user, organisation)
    active = list(mine.filter(closes_at__gt=now).order_by("closes_at", "pk"))
    closed = mine.filter(closes_at__lte=now).order_by("-closes_at", "pk")
    page = Paginator(closed, CLOSED_PER_PAGE).get_page(request.GET.get("page"))
    rows = describe_campaigns(user, organisation, [*active, *page.object_list])
    by_state: dict[str, list] = {"open": [], "upcoming": [], "closed": []}
    for row in rows:
        by_state.setdefault(row["state"], []).append(row)
    return render(
        request,
        "evaluation/answer/my_campaigns.html",
        {
            "open_rows": by_state["open"],
            "upcoming_rows": by_state["upcoming"],
            "closed_rows": by_state["closed"],
            "page": page,
        },
    )


__all__ = [
    "answer",
    "assess_list",
    "assess_subject",
    "assessment_counts",
    "describe_campaigns",
    "my_campaigns",
]
