"""Day rows for the sessions created before sessions had their own half-days, with the
times they had (the organisation's half-days, or the day agenda)."""

from django.db import migrations


def create_days(apps, schema_editor):
    from parcours.days import default_days

    Session = apps.get_model("parcours", "Session")
    SessionDay = apps.get_model("parcours", "SessionDay")
    AgendaItem = apps.get_model("parcours", "AgendaItem")
    rows = []
    sessions = Session.objects.filter(starts_at__isnull=False, days__isnull=True).select_related(
        "organisation"
    )
    for session in sessions.iterator():
        agenda = list(AgendaItem.objects.filter(session=session))
        for times in default_days(session, session.organisation, agenda):
            rows.append(
                SessionDay(
                    organisation_id=session.organisation_id,
                    session=session,
                    day=times.day,
                    morning_starts=times.morning_starts,
                    morning_ends=times.morning_ends,
                    afternoon_starts=times.afternoon_starts,
                    afternoon_ends=times.afternoon_ends,
                )
            )
    SessionDay.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("parcours", "0003_session_days_undated_internal")]

    operations = [migrations.RunPython(create_days, migrations.RunPython.noop)]
