"""Coordinators: the reminders of the next days, what was sent to a person, and the
reminder settings of a programme (the engine, its rules and its log are
``notifications``'; the pages sit here, beside the programmes they are set on)."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.reminder_services import clean_offsets, save_reminder_setting
from notifications.reminders import registered_rules
from notifications.scan import UPCOMING_DAYS, history, upcoming_listing
from organisations.access import organisation_view
from organisations.models import Role
from parcours.access import get_programme_for_user_or_404
from parcours.models import Programme
from parcours.reminders import programmes_key
from sillon.forms import Form

User = get_user_model()


def navigation(organisation, role):
    """The coordinators' entry of the main navigation."""
    if role != Role.COORDINATOR:
        return []
    return [(_("Rappels"), reverse("parcours:upcoming", args=[organisation.slug]), "reminders")]


class PersonForm(Form):
    personne = forms.EmailField(label=gettext_lazy("Adresse e-mail de la personne"))


@organisation_view("notifications.manage_messages")
def upcoming(request, organisation, **kwargs):
    person_form = PersonForm(request.GET or None)
    person = None
    sent = []
    if person_form.is_valid():
        person = User.objects.filter(email__iexact=person_form.cleaned_data["personne"]).first()
        if person is not None:
            sent = history(organisation, person)
    # Listed below the plan; read with the reminder settings and given to the rules.
    days, programmes = upcoming_listing(
        organisation,
        Programme.objects.filter(organisation=organisation)
        .select_related("organisation")
        .order_by("-start_date", "name"),
        key=programmes_key(organisation.pk),
        days=UPCOMING_DAYS,
    )
    return render(
        request,
        "parcours/reminders/upcoming.html",
        {
            "days": days,
            "upcoming_days": UPCOMING_DAYS,
            "programmes": programmes,
            "person_form": person_form,
            "person": person,
            "searched": person_form.is_bound and person_form.is_valid(),
            "history": sent,
        },
    )


OFFSET_SPLIT = re.compile(r"[\s,;]+")


def parse_offsets(text: str) -> list[int]:
    """« 7, 1 » → [7, 1]; French errors for words, negative or too large numbers."""
    tokens = [token for token in OFFSET_SPLIT.split(text.strip()) if token]
    values = []
    for token in tokens:
        if not token.isdigit():
            raise ValidationError(_("« %(value)s » n'est pas un nombre entier.") % {"value": token})
        values.append(int(token))
    return clean_offsets(values)


class ReminderSettingsForm(Form):
    """For each rule: on/off and its offsets (« 7, 1 »)."""

    def __init__(self, *args, rules, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for rule in rules:
            enabled, offsets = current[rule.code]
            self.fields[f"{rule.code}_enabled"] = forms.BooleanField(
                label=_("Envoyer ce rappel"), required=False, initial=enabled
            )
            self.fields[f"{rule.code}_offsets"] = forms.CharField(
                label=_("Délais, en %(unit)s") % {"unit": rule.offset_unit_label},
                initial=", ".join(str(offset) for offset in offsets),
                required=False,
                max_length=100,
                help_text=rule.offset_help,
            )

    def clean(self):
        cleaned = super().clean()
        for rule in self.rules:
            name = f"{rule.code}_offsets"
            if name not in cleaned:
                continue
            try:
                cleaned[name] = parse_offsets(cleaned[name])
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def per_rule(self):
        return [
            (rule, self[f"{rule.code}_enabled"], self[f"{rule.code}_offsets"])
            for rule in self.rules
        ]


@organisation_view("notifications.manage_messages")
def reminder_settings(request, organisation, programme_id, **kwargs):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    rules = list(registered_rules().values())
    if request.method == "POST":
        # A rule absent from the post keeps its settings (the page posts them all).
        rules = [rule for rule in rules if f"{rule.code}_offsets" in request.POST]
    current = {rule.code: rule.settings_for([programme.pk])[programme.pk] for rule in rules}
    form = ReminderSettingsForm(request.POST or None, rules=rules, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for rule in rules:
                    save_reminder_setting(
                        programme=programme,
                        rule_code=rule.code,
                        enabled=form.cleaned_data[f"{rule.code}_enabled"],
                        offsets=form.cleaned_data[f"{rule.code}_offsets"],
                        acting_user=request.user,
                    )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Rappels du programme « %(name)s » enregistrés.") % {"name": programme.name},
            )
            return redirect("parcours:upcoming", organisation.slug)
    return render(
        request,
        "parcours/reminders/settings.html",
        {"programme": programme, "form": form, "rule_fields": form.per_rule()},
    )
