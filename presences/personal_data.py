"""What the attendance sheets hold about a person, for "download my data" (in the
« parcours » section, beside their teams and sessions)."""

from django_scopes import scopes_disabled

from presences.models import Attendance, AttendanceSignature, WorkshopAttendance


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        attendances = Attendance.objects.filter(user=user).select_related("session", "organisation")
        return {
            "présences": [
                {
                    "organisation": a.organisation.name,
                    "séance": a.session.title,
                    "jour": a.day.isoformat(),
                    "demi_journée": a.get_half_day_display(),
                    "présence": a.get_status_display(),
                    "précision": a.note,
                }
                for a in attendances
            ],
            "signatures": [
                {
                    "organisation": sig.organisation.name,
                    "séance": sig.session.title,
                    "jour": sig.day.isoformat(),
                    "demi_journée": sig.get_half_day_display(),
                    "signé_le": sig.signed_at.isoformat(),
                    "moyen": sig.get_method_display(),
                    "appareil": sig.device,
                    "adresse_ip": sig.ip or "",
                    "nom_saisi": sig.typed_name,
                }
                for sig in AttendanceSignature.objects.filter(user=user).select_related(
                    "session", "organisation"
                )
            ],
            "présences_en_atelier": [
                {
                    "organisation": w.organisation.name,
                    "séance": w.workshop.round.session.title,
                    "atelier": w.workshop.title,
                    "présence": w.get_status_display(),
                    "venu_d_un_autre_atelier": w.walk_in,
                }
                for w in WorkshopAttendance.objects.filter(user=user).select_related(
                    "workshop__round__session", "organisation"
                )
            ],
        }
