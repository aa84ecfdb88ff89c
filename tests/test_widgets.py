from html.parser import HTMLParser

from django import forms

from sillon.widgets import FastSelect


class _Options(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.tags.append(("text", data.strip()))


def parsed(html):
    parser = _Options()
    parser.feed(html)
    return parser.tags


def test_fast_select_renders_the_same_markup_as_django_select():
    choices = [("", "Tous les types"), ("1", "Formation <J1>"), ("2", "Webinaire & co")]
    attrs = {"class": "form-select", "aria-describedby": "aide", "id": "id_kind"}
    slow = forms.Select(choices=choices).render("kind", "2", attrs=attrs)
    fast = FastSelect(choices=choices).render("kind", "2", attrs=attrs)
    assert parsed(fast) == parsed(slow)
    assert "Formation &lt;J1&gt;" in fast
    assert '<option value="2" selected>' in fast


def test_fast_select_renders_groups():
    choices = [("Présentiel", [("a", "Lille")]), ("Visio", [("b", "Teams")])]
    fast = FastSelect(choices=choices).render("lieu", None)
    slow = forms.Select(choices=choices).render("lieu", None)
    assert parsed(fast) == parsed(slow)


def test_bound_fields_without_errors_are_not_marked_valid():
    from django.template import Context, Template

    class PlaceForm(forms.Form):
        city = forms.CharField(label="Ville")
        address = forms.CharField(label="Adresse")

    form = PlaceForm(data={"city": "Lille", "address": ""})
    assert not form.is_valid()
    html = Template("{% load django_bootstrap5 %}{% bootstrap_form form %}").render(
        Context({"form": form})
    )
    assert "is-valid" not in html
    assert html.count("is-invalid") >= 1
