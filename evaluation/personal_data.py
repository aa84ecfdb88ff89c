"""What evaluation holds about a person, for "download my data": their own responses
(and the answers they changed in their team's), their anonymous drafts, and the fact
of having answered anonymous questionnaires — never the anonymous answers themselves,
which nothing links to them."""

from django.db.models import Prefetch
from django_scopes import scopes_disabled

from evaluation.answer_values import display_value
from evaluation.models import Answer, AnswerChange, Participation, Response


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        responses = (
            Response.objects.filter(respondent=user)
            .select_related("campaign", "organisation", "version")
            .prefetch_related(
                # Each answer with its question and criterion (one query), then the
                # choices of those questions (one more).
                Prefetch("answers", Answer.objects.select_related("question", "criterion")),
                "answers__question__choices",
            )
        )
        changes = (
            AnswerChange.objects.filter(user=user)
            .select_related("response__campaign", "question", "criterion")
            .prefetch_related("question__choices")
        )
        participations = Participation.objects.filter(user=user).select_related(
            "campaign", "organisation"
        )
        return {
            "réponses_personnelles": [
                {
                    "organisation": response.organisation.name,
                    "questionnaire": response.campaign.title,
                    "version": response.version.number,
                    "statut": response.get_status_display(),
                    "envoyée_le": response.submitted_at.isoformat()
                    if response.submitted_at
                    else None,
                    "réponses": [
                        {
                            "question": answer.question.label,
                            "critère": answer.criterion.label if answer.criterion else "",
                            "réponse": display_value(
                                answer.question,
                                {
                                    "number": answer.number,
                                    "choices": answer.choices,
                                    "text": answer.text,
                                    "date": answer.date.isoformat() if answer.date else None,
                                    "comment": answer.comment,
                                },
                            ),
                        }
                        for answer in response.answers.all()
                    ],
                }
                for response in responses
            ],
            "modifications_de_réponses_partagées": [
                {
                    "questionnaire": change.response.campaign.title,
                    "question": change.question.label,
                    "critère": change.criterion.label if change.criterion else "",
                    "avant": display_value(change.question, change.before),
                    "après": display_value(change.question, change.after),
                    "le": change.changed_at.isoformat(),
                }
                for change in changes
            ],
            "questionnaires_anonymes": [
                {
                    "organisation": p.organisation.name,
                    "questionnaire": p.campaign.title,
                    "répondu_le": p.submitted_at.isoformat() if p.submitted_at else None,
                    "brouillon_en_cours": bool(p.draft),
                }
                for p in participations
            ],
        }
