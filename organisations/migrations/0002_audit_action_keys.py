"""Audit entries keep a stable key (``candidatures.application.decided``) instead of the
French sentence they were written with (« décision sur une candidature »); the journal
looks the label up in code (``organisations.audit``).

The mapping is frozen here, as it stood when the keys were introduced: later changes to
the labels or keys in the apps' ``actions.py`` must not change what this migration does.
A sentence missing from it (none was ever written) is left as it is, and shown as is.
"""

from django.db import migrations

# Every sentence ``record(action=…)`` wrote before the keys, and its key.
KEYS = {
    "organisation créée": "organisations.organisation.created",
    "paramètres de l'organisation modifiés": "organisations.organisation.updated",
    "membre invité": "organisations.member.invited",
    "invitation renvoyée": "organisations.invitation.resent",
    "invitation annulée": "organisations.invitation.revoked",
    "invitation acceptée": "organisations.invitation.accepted",
    "rôle modifié": "organisations.member.role_changed",
    "membre retiré": "organisations.member.removed",
    "réglage des rappels modifié": "notifications.reminder_settings.changed",
    "programme créé": "parcours.programme.created",
    "programme modifié": "parcours.programme.updated",
    "programme publié": "parcours.programme.published",
    "programme archivé": "parcours.programme.archived",
    "programme copié": "parcours.programme.copied",
    "phase enregistrée": "parcours.phase.saved",
    "phase supprimée": "parcours.phase.deleted",
    "type de séance enregistré": "parcours.session_kind.saved",
    "séance créée": "parcours.session.created",
    "séance modifiée": "parcours.session.updated",
    "séance déplacée": "parcours.session.moved",
    "séance annulée": "parcours.session.cancelled",
    "séance dupliquée": "parcours.session.duplicated",
    "séances individuelles générées": "parcours.individual_sessions.generated",
    "programme de la journée modifié": "parcours.agenda.updated",
    "document ajouté": "parcours.session_document.added",
    "document retiré": "parcours.session_document.removed",
    "équipe créée": "parcours.team.created",
    "membre d'équipe ajouté": "parcours.team_member.added",
    "membre d'équipe remplacé": "parcours.team_member.replaced",
    "membre d'équipe retiré": "parcours.team_member.removed",
    "engagement publié": "parcours.engagement.published",
    "engagement signé": "parcours.engagement.signed",
    "signataires de l'engagement relancés": "parcours.engagement.reminded",
    "invitation à rejoindre une équipe envoyée": "parcours.team_invitation.sent",
    "invitation à rejoindre une équipe acceptée": "parcours.team_invitation.accepted",
    "invitation à rejoindre une équipe annulée": "parcours.team_invitation.revoked",
    "appel à candidatures enregistré": "candidatures.call.saved",
    "appel à candidatures publié": "candidatures.call.published",
    "pièce jointe de l'appel ajoutée": "candidatures.call_attachment.added",
    "pièce jointe de l'appel retirée": "candidatures.call_attachment.removed",
    "grille de notation modifiée": "candidatures.scoring_grid.changed",
    "statut de candidature modifié": "candidatures.application.status_changed",
    "membre invité à compléter une candidature": "candidatures.application_member.invited",
    "candidature créée": "candidatures.application.created",
    "candidature modifiée": "candidatures.application.updated",
    "membre d'une candidature modifié": "candidatures.application_member.updated",
    "membre retiré d'une candidature": "candidatures.application_member.removed",
    "candidature rejointe": "candidatures.application.joined",
    "partie d'une candidature confirmée": "candidatures.application_member.confirmed",
    "candidature notée": "candidatures.application.reviewed",
    "décision sur une candidature": "candidatures.application.decided",
    "candidature rouverte": "candidatures.application.reopened",
    "décisions annoncées": "candidatures.decisions.announced",
    "sondage de date lancé": "sondages.date_poll.created",
    "sondages de date lancés pour les équipes": "sondages.date_polls.launched",
    "créneaux ajoutés à un sondage de date": "sondages.date_poll.slots_added",
    "date retenue par sondage": "sondages.date_poll.closed",
    "sondage de date abandonné": "sondages.date_poll.cancelled",
    "présence enregistrée": "presences.attendance.recorded",
    "tous présents enregistrés": "presences.attendance.all_present",
    "présence rétablie": "presences.attendance.undone",
    "participant·e ajouté·e à la feuille d'émargement": "presences.sheet.participant_added",
    "feuille d'émargement validée": "presences.sheet.validated",
    "feuille d'émargement rouverte": "presences.sheet.reopened",
    "questionnaire créé": "evaluation.questionnaire.created",
    "questionnaire modifié": "evaluation.questionnaire.updated",
    "questionnaire copié": "evaluation.questionnaire.copied",
    "questionnaire archivé": "evaluation.questionnaire.archived",
    "nouvelle version de questionnaire": "evaluation.questionnaire_version.started",
    "version de questionnaire publiée": "evaluation.questionnaire_version.published",
    "brouillon de questionnaire abandonné": "evaluation.questionnaire_version.discarded",
    "campagne d'évaluation créée": "evaluation.campaign.created",
    "campagne d'évaluation modifiée": "evaluation.campaign.updated",
    "campagne d'évaluation lancée": "evaluation.campaign.launched",
    "campagne d'évaluation close": "evaluation.campaign.closed",
    "campagne d'évaluation annulée": "evaluation.campaign.cancelled",
    "non-répondant·es relancé·es": "evaluation.campaign.reminded",
    "évaluation à chaud automatique enregistrée": "evaluation.automatic_campaign.saved",
    "évaluation à chaud automatique supprimée": "evaluation.automatic_campaign.deleted",
    "réponse envoyée": "evaluation.response.submitted",
    "questionnaire attaché à un appel": "evaluation.call_questionnaire.attached",
    "questionnaire détaché d'un appel": "evaluation.call_questionnaire.detached",
    "document demandé": "documents.document.requested",
    "document relancé": "documents.document.retried",
}
SENTENCES = {key: sentence for sentence, key in KEYS.items()}


def rename(entries, mapping: dict[str, str]) -> int:
    """Rewrite the ``action`` of ``entries`` (a queryset of audit entries) through
    ``mapping``; returns how many rows changed. One UPDATE per action name."""
    changed = 0
    for old, new in mapping.items():
        changed += entries.filter(action=old).update(action=new)
    return changed


def to_keys(apps, schema_editor):
    AuditEntry = apps.get_model("organisations", "AuditEntry")
    rename(AuditEntry._base_manager.using(schema_editor.connection.alias), KEYS)


def to_sentences(apps, schema_editor):
    AuditEntry = apps.get_model("organisations", "AuditEntry")
    rename(AuditEntry._base_manager.using(schema_editor.connection.alias), SENTENCES)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_keys, to_sentences),
    ]
