from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from sillon.forms import ModelForm

from . import services
from .audit import action_label
from .forms import SETTINGS_FIELDS, LogoUpload
from .models import AuditEntry, Invitation, Membership, Organisation, Role


class OrganisationAdminForm(LogoUpload, ModelForm):
    first_coordinator_email = forms.EmailField(
        label=_("inviter un premier coordinateur"),
        required=False,
        help_text=_("Adresse qui recevra une invitation de coordinateur·rice à la création."),
    )

    class Meta:
        model = Organisation
        fields = ["slug", *SETTINGS_FIELDS]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class InvitationInline(admin.TabularInline):
    """Existing invitations are read only (resend or revoke them on the organisation's
    « Membres » page); a new one is sent by ``services.invite_member``, like any other:
    see ``OrganisationAdmin.save_formset``."""

    model = Invitation
    extra = 0
    fields = ["email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["created_at", "expires_at", "accepted_at", "revoked_at"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "slug", "contact_email", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, InvitationInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Invitation:
            return super().save_formset(request, form, formset, change)
        # New invitations go through the service, which writes the journal and sends
        # the e-mail (a row saved here directly would say « envoyée » and send nothing).
        for invitation in formset.save(commit=False):
            try:
                services.invite_member(
                    organisation=form.instance,
                    email=invitation.email,
                    role=invitation.role,
                    acting_user=request.user,
                )
            except forms.ValidationError as error:
                messages.error(request, f"{invitation.email} : {' '.join(error.messages)}")
            else:
                messages.success(request, _("Invitation envoyée à %s.") % invitation.email)
        formset.save_m2m()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.record(
                organisation=obj,
                actor=request.user,
                action=services.Action.ORGANISATION_CREATED,
                target=obj.name,
            )
        email = form.cleaned_data.get("first_coordinator_email")
        if email:
            try:
                services.invite_member(
                    organisation=obj, email=email, role=Role.COORDINATOR, acting_user=request.user
                )
            except forms.ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Invitation envoyée à %s.") % email)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "actor", "label", "target"]
    list_filter = ["organisation"]
    search_fields = ["action", "target"]
    readonly_fields = ["organisation", "actor", "label", "action", "target", "data", "created_at"]

    @admin.display(description=_("action"), ordering="action")
    def label(self, entry):
        return action_label(entry.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
