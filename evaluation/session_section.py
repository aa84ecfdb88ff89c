"""Evaluation's panel on a session's page: the campaigns of the session, each with the
action the person can take (answer, assess, see the results), and for coordinators a
link to create one."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation import selectors
from evaluation.formatting import format_moment
from organisations.home_sections import HomeSection
from organisations.models import Role
from organisations.roles import role_in


def session_evaluation_section(request, organisation, session) -> HomeSection | None:
    from evaluation.views.answering import describe_campaigns

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    role = role_in(user, organisation)
    is_staff = role in Role.values
    is_coordinator = role == Role.COORDINATOR
    visible = list(
        selectors.campaigns_visible_to(user, organisation)
        .filter(session=session)
        .order_by("opens_at", "pk")
    )
    answered = set(
        selectors.campaigns_to_answer(user, organisation)
        .filter(session=session)
        .values_list("pk", flat=True)
    )
    mine = {
        row["campaign"].pk: row
        for row in describe_campaigns(user, organisation, [c for c in visible if c.pk in answered])
    }
    slug = organisation.slug
    items = []
    for campaign in visible:
        campaign.organisation = organisation
        state = campaign.state
        actions = []
        row = mine.get(campaign.pk)
        if row is not None and state in ("open", "closed"):
            if campaign.is_assessment:
                label = _("Évaluer les participant·es") if state == "open" else _("Mes évaluations")
                actions.append(
                    {
                        "label": label,
                        "url": reverse("evaluation:assess_list", args=[slug, campaign.pk]),
                        "note": _("%(done)s sur %(total)s évalué·es")
                        % {"done": row["done"], "total": row["total"]},
                        "primary": state == "open" and not row["sent"],
                    }
                )
            else:
                label = _("Donner votre avis") if state == "open" else _("Voir mes réponses")
                actions.append(
                    {
                        "label": label,
                        "url": reverse("evaluation:answer", args=[slug, campaign.pk]),
                        "note": row["status_label"],
                        "primary": state == "open" and not row["sent"],
                    }
                )
        if is_staff:
            actions.append(
                {
                    "label": _("Résultats"),
                    "url": reverse("evaluation:campaign_results", args=[slug, campaign.pk]),
                    "note": "",
                    "primary": False,
                }
            )
        if not actions and row is None and not is_staff:
            continue
        if state == "open":
            when = _("Ouverte jusqu'au %(when)s") % {
                "when": format_moment(campaign.closes_at, organisation)
            }
        elif state == "upcoming":
            when = _("Ouvrira le %(when)s") % {
                "when": format_moment(campaign.opens_at, organisation)
            }
        elif state == "closed":
            when = _("Close depuis le %(when)s") % {
                "when": format_moment(campaign.closes_at, organisation)
            }
        else:
            when = campaign.state_label
        items.append({"campaign": campaign, "when": when, "actions": actions})
    create_url = ""
    if is_coordinator:
        create_url = (
            reverse("evaluation:campaign_create", args=[slug, session.programme_id])
            + "?"
            + urlencode({"session": session.pk})
        )
    if not items and not create_url:
        return None
    return HomeSection(
        "evaluation/answer/session_section.html",
        {"items": items, "create_url": create_url},
    )
