"""What the date polls hold about a person, for "download my data" (in the « parcours »
section, beside their teams and sessions)."""

from django_scopes import scopes_disabled

from sondages.models import PollComment, Vote


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        votes = Vote.objects.filter(user=user).select_related("slot__poll__session")
        comments = PollComment.objects.filter(user=user).select_related("poll__session")
        return {
            "réponses_aux_sondages_de_date": [
                {
                    "séance": v.slot.poll.session.title,
                    "créneau": v.slot.starts_at.isoformat(),
                    "réponse": v.get_answer_display(),
                    "le": v.updated_at.isoformat(),
                }
                for v in votes
            ],
            "commentaires_de_sondages": [
                {"séance": c.poll.session.title, "commentaire": c.text} for c in comments
            ],
        }
