"""Writes of the reminder settings (a coordinator adjusts a rule for a programme)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.actions import Action
from notifications.models import ReminderSetting
from notifications.reminders import MAX_OFFSET, MAX_OFFSETS, get_rule
from organisations.services import record


def clean_offsets(offsets) -> list[int]:
    """Distinct offsets, largest first; French errors for anything else."""
    values = sorted({int(offset) for offset in offsets}, reverse=True)
    if not values:
        raise ValidationError(_("Indiquez au moins un délai, ou désactivez le rappel."))
    if len(values) > MAX_OFFSETS:
        raise ValidationError(_("%(count)s délais au plus.") % {"count": MAX_OFFSETS})
    if any(value < 0 or value > MAX_OFFSET for value in values):
        raise ValidationError(
            _("Chaque délai est un nombre entier entre 0 et %(max)s.") % {"max": MAX_OFFSET}
        )
    return values


@transaction.atomic
def save_reminder_setting(
    *, programme, rule_code: str, enabled: bool, offsets, acting_user
) -> ReminderSetting:
    """Set the offsets of ``rule_code`` for ``programme``, or switch it off (the offsets
    are kept for when it is switched back on)."""
    rule = get_rule(rule_code)
    if rule is None:
        raise ValidationError(_("Ce type de rappel n'existe pas."))
    try:
        values = clean_offsets(offsets)
    except ValidationError as error:
        raise ValidationError({"offsets": error.messages}) from error
    setting, _created = ReminderSetting.objects.update_or_create(
        programme=programme,
        rule=rule_code,
        defaults={"organisation": programme.organisation, "enabled": enabled, "offsets": values},
    )
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.REMINDER_SETTINGS_CHANGED,
        target=f"{programme.name} · {rule.label}",
        rule=rule_code,
        enabled=enabled,
        offsets=values,
    )
    return setting
