from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sillon.formatting import agree


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Civility(models.TextChoices):
    """How a person wants to be addressed; never guessed (from a first name or else)."""

    UNSPECIFIED = "", _("Non précisée")
    MADAME = "madame", _("Madame")
    MONSIEUR = "monsieur", _("Monsieur")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Accounts are global; what they may do lives in per-organisation memberships."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    function = models.CharField(
        _("fonction"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : chargée de mission PAT, élu référent, formatrice."),
    )
    civility = models.CharField(
        _("civilité"),
        max_length=10,
        choices=Civility.choices,
        blank=True,
        default="",
        help_text=_(
            "Sert à accorder les messages qui vous sont adressés (« invitée », « invité ») ; "
            "sans précision, ils sont écrits en écriture inclusive (« invité·e »)."
        ),
    )
    is_staff = models.BooleanField(
        _("équipe de la plateforme"),
        default=False,
        help_text=_("Peut se connecter à l'administration de la plateforme."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscription"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def agree(self, word: str) -> str:
        """``word`` (a masculine past participle or adjective: « invité », « inscrit »)
        agreed with this person's civility: « invitée », « invité », else the inclusive
        « invité·e »."""
        return agree(word, self.civility)
