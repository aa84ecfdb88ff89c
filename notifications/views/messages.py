"""Coordinators: every e-mail the organisation sent (or tried to), to whom, with what
result (a failure with its reason), what needs their attention (failed, interrupted,
waiting for another try), and the addresses that bounce."""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.audiences import message_audiences
from notifications.models import OutboxMessage, SuppressedAddress
from notifications.reminders import registered_rules
from notifications.tasks import INTERRUPTED_ONCE, INTERRUPTED_TWICE, sending_timeout
from organisations.access import organisation_view
from organisations.models import Membership, Organisation
from sillon.widgets import FastSelect

MESSAGES_PER_PAGE = 50
SUPPRESSED_SHOWN = 100

# What the kinds of message are called on the page; an unknown kind shows its code.
KIND_LABELS = {
    "session.convocation": _("Convocation à une séance"),
    "session.change": _("Changement de séance"),
    "session.cancellation": _("Annulation de séance"),
    "programme.calendar": _("Calendrier du programme"),
    "digest": _("Résumé quotidien"),
    "organisation.invitation": _("Invitation à rejoindre l'organisation"),
}

SUPPRESSION_REASONS = {
    "bounced": _("Adresse rejetée par le serveur du destinataire"),
    "rejected": _("Envoi refusé par le fournisseur d'e-mails"),
    "complained": _("Message signalé comme indésirable"),
}

STATUS_BADGES = {
    OutboxMessage.Status.QUEUED: "text-bg-light border",
    OutboxMessage.Status.HELD: "text-bg-light border",
    OutboxMessage.Status.SENDING: "text-bg-info",
    OutboxMessage.Status.SENT: "text-bg-success",
    OutboxMessage.Status.DIGESTED: "text-bg-success",
    OutboxMessage.Status.UNCERTAIN: "text-bg-warning",
    OutboxMessage.Status.FAILED: "text-bg-danger",
    OutboxMessage.Status.BOUNCED: "text-bg-danger",
    OutboxMessage.Status.SUPPRESSED: "text-bg-secondary",
}


def kind_labels() -> dict[str, str]:
    labels = dict(KIND_LABELS)
    for rule in registered_rules().values():
        if rule.kind and rule.label:
            labels.setdefault(rule.kind, rule.label)
    return labels


class MessageFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        label=_("Destinataire (adresse e-mail)"),
        field_name="to_email",
        lookup_expr="icontains",
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=OutboxMessage.Status.choices,
        empty_label=_("Tous les statuts"),
        widget=FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type de message"),
        choices=[],
        empty_label=_("Tous les types"),
        widget=FastSelect,
    )

    class Meta:
        model = OutboxMessage
        fields = ["person", "status", "kind"]

    def __init__(self, data=None, queryset=None, *, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["kind"].extra["choices"] = kinds
        self.form.fields["kind"].choices = kinds  # the field adds the empty choice


def suppressed_addresses(organisation: Organisation):
    """The addresses in échec that belong to people of this organisation: those it wrote
    to, its members, and the people the apps above add (``message_audiences``: the
    members of its teams), in one query."""
    written_to = (
        OutboxMessage.objects.filter(organisation=organisation)
        .annotate(address=Lower("to_email"))
        .values("address")
    )
    members = (
        Membership.objects.filter(organisation=organisation)
        .annotate(address=Lower("user__email"))
        .values("address")
    )
    people = Q(email__in=written_to) | Q(email__in=members)
    for addresses in message_audiences.collect(organisation=organisation):
        people |= Q(email__in=addresses)
    return SuppressedAddress.objects.filter(people).order_by("-created_at", "email")


def delivery_problems(organisation: Organisation) -> dict[str, int]:
    """How many of the organisation's messages need a look, in one query: failed for
    good, interrupted and left uncertain, stuck « sending » past the sweep's timeout,
    waiting for another try after a temporary error, re-sent after an interruption."""
    Status = OutboxMessage.Status
    stuck_since = timezone.now() - sending_timeout()
    return OutboxMessage.objects.filter(organisation=organisation).aggregate(
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        uncertain=Count("pk", filter=Q(status=Status.UNCERTAIN)),
        stuck=Count("pk", filter=Q(status=Status.SENDING, sending_since__lt=stuck_since)),
        retrying=Count("pk", filter=Q(status=Status.QUEUED, attempts__gte=1)),
        interrupted=Count(
            "pk",
            filter=Q(last_error__startswith=INTERRUPTED_ONCE) & ~Q(status=Status.UNCERTAIN),
        ),
    )


def _decorate(message: OutboxMessage, labels: dict[str, str]) -> OutboxMessage:
    message.kind_label = labels.get(message.kind, message.kind)
    message.badge_class = STATUS_BADGES.get(message.status, "text-bg-light border")
    message.was_interrupted = message.last_error.startswith((INTERRUPTED_ONCE, INTERRUPTED_TWICE))
    return message


@organisation_view("notifications.manage_messages")
def message_list(request, organisation: Organisation):
    labels = kind_labels()
    used_kinds = (
        OutboxMessage.objects.filter(organisation=organisation)
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    )
    kinds = [(kind, labels.get(kind, kind)) for kind in used_kinds]
    filterset = MessageFilter(
        request.GET or None,
        queryset=OutboxMessage.objects.filter(organisation=organisation)
        .select_related("recipient")
        .defer("body_text", "body_html", "attachments", "headers"),
        kinds=kinds,
    )
    results = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(results.order_by("-created_at", "-pk"), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = [_decorate(message, labels) for message in page.object_list]
    suppressed = list(suppressed_addresses(organisation)[:SUPPRESSED_SHOWN])
    for address in suppressed:
        address.reason_label = SUPPRESSION_REASONS.get(address.reason, address.reason)
    is_filtered = any(request.GET.get(name) for name in filterset.filters)
    problems = delivery_problems(organisation)
    template_name = "notifications/messages/list.html"
    if request.htmx:
        template_name += "#results"
    return render(
        request,
        template_name,
        {
            "organisation": organisation,
            "filter": filterset,
            "page": page,
            "is_filtered": is_filtered,
            "suppressed": suppressed,
            "problems": problems,
            "has_problems": any(problems.values()),
        },
    )


@organisation_view("notifications.manage_messages")
def message_detail(request, organisation: Organisation, message_id: int):
    message = get_object_or_404(
        OutboxMessage.objects.select_related("recipient"),
        pk=message_id,
        organisation=organisation,
    )
    _decorate(message, kind_labels())
    suppression = SuppressedAddress.objects.filter(email=message.to_email.lower()).first()
    if suppression is not None:
        suppression.reason_label = SUPPRESSION_REASONS.get(suppression.reason, suppression.reason)
    return render(
        request,
        "notifications/messages/detail.html",
        {
            "organisation": organisation,
            "message": message,
            "suppression": suppression,
            "attachment_names": [a.get("filename", "") for a in message.attachments or []],
        },
    )
