"""Questionnaires shipped with Sillon (owner: library). API used by the demo:
``install_template(*, organisation, code, acting_user, programme=None) -> Questionnaire``
with codes "pat_governance", "expectations", "satisfaction_hot", "satisfaction_cold",
"trainer_assessment"."""
