import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .extensions import deletion_blockers
from .forms import DeleteAccountForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user=request.user,
            acting_user=request.user,
            changed_fields=form.changed_data,
        )
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:profile")
    if request.method == "POST":
        request.user.refresh_from_db()
    return render(request, "accounts/profile.html", {"form": form})


@require_GET
@login_required
def export_data(request):
    data = services.export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"sillon-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete_account(request):
    blockers = deletion_blockers.collect(user=request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        user = request.user
        try:
            services.delete_account(user=user, acting_user=user)
        except services.AccountDeletionRefused as refused:
            blockers = refused.reasons
        else:
            logout(request)
            messages.success(request, _("Votre compte et vos données personnelles sont supprimés."))
            return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form, "blockers": blockers})
