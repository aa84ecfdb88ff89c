"""The engagement each team member signs: a versioned text per programme listing the key
dates of the parcours (taken from the calendar when shown, never copied), and the
signatures, each keeping what was signed, by whom, when and from where."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from parcours.models.sessions import Session
from sillon import limits
from sillon.formatting import format_period, format_undated


class EngagementText(models.Model):
    """One published version of a programme's engagement. A published version never
    changes: changing the text publishes the next version, and the coordinator chooses
    whether the signatures of the earlier versions still count."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        "parcours.Programme", on_delete=models.CASCADE, related_name="engagement_texts"
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("texte de l'engagement"), max_length=limits.TEXT)
    key_sessions = models.ManyToManyField(
        "parcours.Session", verbose_name=_("dates clés"), blank=True, related_name="+"
    )
    requires_resignature = models.BooleanField(
        _("nouvelle signature demandée"),
        default=True,
        help_text=_("Les signatures des versions précédentes ne comptent plus."),
    )
    published_at = models.DateTimeField(_("publié le"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # « Relancer les signataires manquants » goes out at most once an hour.
    last_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("texte d'engagement")
        verbose_name_plural = _("textes d'engagement")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="engagement_text_unique_version"
            )
        ]

    def __str__(self) -> str:
        return gettext("Engagement, version %(version)s") % {"version": self.version}

    def key_sessions_for(self, team=None) -> list:
        """The key sessions in calendar order; for ``team`` (a Team or its id), only
        those concerning it: the whole cohort's, the open ones and its own (another
        team's individual meeting is not theirs to see, nor to sign). Without a team,
        all of them (uses the prefetched ``key_sessions`` when there are)."""
        sessions = self.key_sessions.all()
        if team is not None:
            sessions = sessions.filter(
                Q(audience__in=[Session.Audience.COHORT, Session.Audience.OPEN]) | Q(teams=team)
            ).distinct()
        return sorted(sessions, key=lambda s: (s.starts_at is None, s.starts_at or 0, s.pk))

    def key_dates(self, team=None) -> list[str]:
        """The key dates as displayed and signed: « title : when », in calendar order,
        for ``team`` (see :meth:`key_sessions_for`)."""
        zone = self.organisation.time_zone
        lines = []
        for session in self.key_sessions_for(team):
            if session.is_dated:
                when = format_period(
                    session.starts_at, session.ends_at, zone, all_day=session.all_day
                )
            else:
                when = format_undated(session)
            line = f"{session.title} : {when}"
            if session.date_note:
                line += f" ({session.date_note})"
            if session.status == "cancelled":
                line += " — " + gettext("annulée")
            lines.append(line)
        return lines

    def rendered(self, team=None) -> str:
        """The exact text a member of ``team`` reads and signs: the body, then the key
        dates of their team."""
        body = "\n".join(line.rstrip() for line in self.body.strip().splitlines())
        dates = self.key_dates(team)
        if not dates:
            return body
        listed = "\n".join(f"- {line}" for line in dates)
        return f"{body}\n\n{gettext('Dates clés :')}\n{listed}"

    def digest(self, team=None) -> str:
        """sha256 of :meth:`rendered` for ``team``: what a signature keeps as proof of
        the text."""
        return hashlib.sha256(self.rendered(team).encode()).hexdigest()


class Signature(models.Model):
    """A team member's signature of one version of the engagement."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    text = models.ForeignKey(EngagementText, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(
        "parcours.TeamMember", on_delete=models.CASCADE, related_name="signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagement_signatures"
    )
    typed_name = models.CharField(_("nom saisi"), max_length=200)
    consent = models.BooleanField(_("consentement"))
    signed_at = models.DateTimeField(_("signé le"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    text_hash = models.CharField(_("empreinte du texte signé"), max_length=64)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["text", "member"], name="signature_once_per_version"),
            models.CheckConstraint(condition=Q(consent=True), name="signature_with_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} — v{self.text.version}"

    @property
    def short_hash(self) -> str:
        return self.text_hash[:12]
