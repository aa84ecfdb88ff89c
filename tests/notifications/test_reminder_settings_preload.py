"""The coordinator's « Rappels » page plans every rule of one organisation: the reminder
settings of its programmes are read once for all the rules (issue 19), and say the same
as each rule reading its own."""

import pytest
from django_scopes import scopes_disabled

from notifications.models import ReminderSetting
from notifications.reminders import registered_rules, settings_preloaded
from tests.factories import build_programme

pytestmark = pytest.mark.django_db


def test_preloaded_settings_are_each_rules_own(django_assert_num_queries):
    with scopes_disabled():
        chosen = build_programme()
        other = build_programme(organisation=chosen.organisation)
        ReminderSetting.objects.create(
            organisation=chosen.organisation,
            programme=chosen.programme,
            rule="session",
            enabled=True,
            offsets=[1, 3, 3],
        )
        ReminderSetting.objects.create(
            organisation=chosen.organisation,
            programme=chosen.programme,
            rule="engagement_pending",
            enabled=False,
            offsets=[7],
        )
    rules = registered_rules().values()
    programmes = [chosen.programme.pk, other.programme.pk]
    one_by_one = {rule.code: rule.settings_for(programmes) for rule in rules}
    with django_assert_num_queries(1), settings_preloaded(chosen.organisation.pk):
        preloaded = {rule.code: rule.settings_for(programmes) for rule in rules}
    assert preloaded == one_by_one
    assert preloaded["session"][chosen.programme.pk] == (True, [3, 1])
    assert preloaded["engagement_pending"][chosen.programme.pk] == (False, [7])
    assert preloaded["session"][other.programme.pk] == (True, [7, 1])
