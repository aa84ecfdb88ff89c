from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumb.html")
def breadcrumb(*items):
    """``{% breadcrumb "Accueil" home_url "Membres" %}``: label / url pairs, the last label
    (the current page) without a url."""
    items = list(items)
    crumbs = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
    if len(items) % 2:
        crumbs.append((items[-1], None))
    return {"crumbs": crumbs}


@register.filter
def markdown(text):
    """Markdown typed by a coordinator, rendered and sanitised (see ``sillon.richtext``)."""
    from django.utils.safestring import mark_safe

    from sillon.richtext import render_markdown

    return mark_safe(render_markdown(text))


@register.filter
def agree(word, person):
    """``{{ "invité"|agree:recipient }}``: « invitée », « invité » or « invité·e »
    after the civility ``person`` (an account, a dict, or nothing) chose."""
    from sillon.formatting import agree as agreed

    if isinstance(person, dict):
        civility = person.get("civility", "")
    else:
        civility = getattr(person, "civility", "") or ""
    return agreed(str(word), civility)
