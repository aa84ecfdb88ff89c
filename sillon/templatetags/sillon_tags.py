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


@register.filter
def percent(share):
    """``{{ share|percent }}``: a share of 0–1 as « 92,7 % » (see ``sillon.figures``)."""
    from sillon.figures import percent as as_percent

    return as_percent(share)


@register.filter
def mean(value, scale_max=None):
    """``{{ value|mean }}`` « 3,25 », ``{{ value|mean:5 }}`` « 3,25 / 5 »."""
    from sillon.figures import mean as as_mean

    return as_mean(value, scale_max)


@register.simple_tag
def rate_n(share, n):
    """``{% rate_n share n %}``: « 92,7 % (n = 41) »."""
    from sillon.figures import rate_with_n

    return rate_with_n(share, n)


@register.simple_tag
def mean_n(value, n, scale_max=None):
    """``{% mean_n value n 5 %}``: « 3,25 / 5 (n = 12) »."""
    from sillon.figures import mean_with_n

    return mean_with_n(value, n, scale_max)


@register.simple_tag
def ratio(part, whole):
    """``{% ratio count total %}``: ``part`` out of ``whole`` as « 33,3 % », « — » for 0."""
    from sillon.figures import ratio as as_ratio

    return as_ratio(part, whole)


@register.filter
def pdf_src(file):
    """``<img src="{{ organisation.logo|pdf_src }}">`` in a PDF template: the uploaded
    file read through the storage (``sillon.pdf.media_src``), wherever it is stored."""
    from sillon.pdf import media_src

    return media_src(file) if file else ""
