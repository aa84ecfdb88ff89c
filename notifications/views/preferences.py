"""A person's choices, across organisations: what to receive and how, and the one-click
unsubscribe link of reminder e-mails (no login: the secret key in the link is enough)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from notifications import services
from notifications.models import Category, Channel, Preference, UnsubscribeKey
from sillon.forms import Form


class PreferenceForm(Form):
    """One choice of channel per category."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[value] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def rows(self):
        return [self[value] for value in Category.values]


@login_required
def preference_page(request):
    chosen = dict(Preference.objects.filter(user=request.user).values_list("category", "channel"))
    initial = {value: chosen.get(value, Channel.IMMEDIATE) for value in Category.values}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for category, channel in form.cleaned_data.items():
            if channel != initial[category]:
                services.set_preference(user=request.user, category=category, channel=channel)
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences/page.html", {"form": form})


def _key_and_category(token: str, category: str) -> tuple[UnsubscribeKey, str]:
    if category not in Category.values:
        raise Http404
    key = UnsubscribeKey.objects.select_related("user").filter(token=token).first()
    if key is None:
        raise Http404
    return key, category


def _is_one_click(request) -> bool:
    """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click`` to the link."""
    return request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click"


@csrf_protect
def _unsubscribe_with_form(request, token: str, category: str):
    key, category = _key_and_category(token, category)
    if request.method == "POST":
        return _unsubscribed(request, key, category)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "notifications/preferences/unsubscribe.html",
        {"category_label": Category(category).label, "token": token, "category": category},
    )


def _unsubscribed(request, key: UnsubscribeKey, category: str):
    services.set_preference(user=key.user, category=category, channel=Channel.OFF)
    return render(
        request,
        "notifications/preferences/unsubscribed.html",
        {"category_label": Category(category).label},
    )


# Exempt from CSRF only for the one-click POST of a mail client (it carries no token and
# the secret key in the URL is what authorises it); the confirmation form is protected.
@csrf_exempt
def unsubscribe(request, token: str, category: str):
    if _is_one_click(request):
        key, category = _key_and_category(token, category)
        return _unsubscribed(request, key, category)
    return _unsubscribe_with_form(request, token, category)
