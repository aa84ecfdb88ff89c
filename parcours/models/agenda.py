from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from sillon import limits
from sillon.formatting import format_time


class AgendaItem(models.Model):
    """A time slot of a session's day agenda: a plenary, a break, or a round of
    parallel workshops (seed 001: two rounds of "Histoires de territoire")."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plénière")
        WORKSHOPS = "workshops", _("Ateliers en parallèle")
        BREAK = "break", _("Accueil, pause ou repas")

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    session = models.ForeignKey(
        "parcours.Session", on_delete=models.CASCADE, related_name="agenda_items"
    )
    day = models.PositiveSmallIntegerField(
        _("jour"), default=1, help_text=_("1 pour le premier jour de la séance.")
    )
    all_day = models.BooleanField(
        _("toute la journée"),
        default=False,
        help_text=_("Sans heure : affiché « Toute la journée » (un stand, une exposition…)."),
    )
    start_time = models.TimeField(_("début"), null=True, blank=True)
    end_time = models.TimeField(
        _("fin"), null=True, blank=True, help_text=_("Facultative : « à partir de 14 h ».")
    )
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    speakers = models.CharField(_("intervenant·es"), max_length=300, blank=True)
    # The speakers who are people (a trainer, an outside speaker with an e-mail): each
    # is convened with their own items; ``speakers`` stays the free text shown as well.
    speaker_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intervenant·es (personnes)"),
        blank=True,
        related_name="agenda_items_spoken",
    )
    room = models.CharField(_("salle"), max_length=100, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("temps du programme")
        verbose_name_plural = _("programme de la journée")
        ordering = ["day", "-all_day", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="agenda_item_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(all_day=False, start_time__isnull=False)
                | Q(all_day=True, start_time__isnull=True, end_time__isnull=True),
                name="agenda_item_timed_or_all_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_workshop_round(self) -> bool:
        return self.kind == self.Kind.WORKSHOPS

    @property
    def speakers_label(self) -> str:
        """The linked people (``speaker_people`` prefetched, or ``has_people`` annotated
        False: no query), then the free text."""
        people = self.speaker_people.all() if getattr(self, "has_people", True) else []
        names = [person.get_full_name() or person.email for person in people]
        if self.speakers:
            names.append(self.speakers)
        return ", ".join(names)

    @property
    def time_label(self) -> str:
        """« Toute la journée », « à partir de 14 h » or « 9 h – 10 h 30 »."""
        if self.all_day or self.start_time is None:
            return gettext("Toute la journée")
        if self.end_time is None:
            return gettext("à partir de %(start)s") % {"start": format_time(self.start_time)}
        return f"{format_time(self.start_time)} – {format_time(self.end_time)}"


class Workshop(models.Model):
    """One of the parallel workshops of a round, in its room, with its speakers."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    round = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.TEXT)
    speakers = models.CharField(_("intervenant·es"), max_length=300, blank=True)
    room = models.CharField(_("salle"), max_length=100)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["round", "title"]

    def __str__(self) -> str:
        return self.title


class WorkshopRegistration(models.Model):
    """A participant's choice of one workshop in a round."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    round = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        verbose_name = _("inscription à un atelier")
        verbose_name_plural = _("inscriptions aux ateliers")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_workshop_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.workshop}"
