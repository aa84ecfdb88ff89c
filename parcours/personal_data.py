"""What the parcours holds about a person, for "download my data"."""

from django_scopes import scopes_disabled

from parcours.models import (
    CalendarFeed,
    Convocation,
    Session,
    SessionRegistration,
    Signature,
    TeamMember,
    WorkshopRegistration,
)


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        teams = TeamMember.objects.filter(user=user).select_related(
            "team__cohort__programme", "role", "organisation"
        )
        registrations = SessionRegistration.objects.filter(user=user).select_related(
            "session", "organisation"
        )
        workshops = WorkshopRegistration.objects.filter(user=user).select_related(
            "workshop__round__session"
        )
        facilitated = Session.objects.filter(facilitators=user).select_related("organisation")
        convocations = Convocation.objects.filter(user=user).select_related(
            "organisation", "session"
        )
        signatures = Signature.objects.filter(user=user).select_related(
            "organisation", "text__programme", "member__team"
        )
        return {
            "équipes": [
                {
                    "organisation": m.organisation.name,
                    "programme": m.team.cohort.programme.name,
                    "équipe": m.team.name,
                    "rôle": m.role.name if m.role else "",
                    "depuis": m.joined_at.isoformat(),
                    "jusqu_au": m.left_at.isoformat() if m.left_at else None,
                }
                for m in teams
            ],
            "inscriptions_aux_séances": [
                {
                    "organisation": r.organisation.name,
                    "séance": r.session.title,
                    "le": r.created_at.isoformat(),
                }
                for r in registrations
            ],
            "choix_d_ateliers": [
                {
                    "séance": w.workshop.round.session.title,
                    "atelier": w.workshop.title,
                    "le": w.created_at.isoformat(),
                }
                for w in workshops
            ],
            "séances_animées": [
                {
                    "organisation": s.organisation.name,
                    "séance": s.title,
                    "début": s.starts_at.isoformat() if s.starts_at else "",
                }
                for s in facilitated
            ],
            "signatures_d_engagement": [
                {
                    "organisation": sig.organisation.name,
                    "programme": sig.text.programme.name,
                    "équipe": sig.member.team.name,
                    "version": sig.text.version,
                    "nom_saisi": sig.typed_name,
                    "le": sig.signed_at.isoformat(),
                    "adresse_ip": sig.ip_address,
                    "navigateur": sig.user_agent,
                    "empreinte_du_texte": sig.text_hash,
                }
                for sig in signatures
            ],
            "convocations": [
                {
                    "organisation": c.organisation.name,
                    "séance": c.session.title,
                    "envoi": c.get_kind_display(),
                    "le": c.sent_at.isoformat(),
                }
                for c in convocations
            ],
            "abonnement_calendrier_actif": CalendarFeed.objects.filter(user=user).exists(),
        }
