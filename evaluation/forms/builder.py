"""Forms of the questionnaire library and builder. They parse what a coordinator typed
(choices one per line, trigger values by label); ``evaluation.services.builder``
decides and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluation.models import Purpose, Question, QuestionKind, Section
from evaluation.services import builder
from parcours.models import Programme
from sillon import limits
from sillon.fields import BIGGEST_ID, ModelChoiceField
from sillon.forms import Form


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's field-keyed errors next to the form's fields; the rest on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = key if key in form.fields else None
        for message in messages:
            form.add_error(field, message)


class ProgrammeChoiceField(ModelChoiceField):
    def label_from_instance(self, programme):
        return programme.name


def _programme_field(organisation, label):
    return ProgrammeChoiceField(
        label=label,
        queryset=Programme.objects.filter(organisation=organisation).order_by("-start_date", "pk"),
        required=False,
        empty_label=_("Bibliothèque de l'organisation (tous les programmes)"),
        help_text=_(
            "Un questionnaire de la bibliothèque peut servir dans tous les programmes ; "
            "sinon il est rangé avec le programme choisi."
        ),
    )


class QuestionnaireForm(Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        max_length=limits.TEXT,
        label=_("Description"),
        required=False,
        widget=_textarea(),
        help_text=_("Pour les coordinateur·ices : à quoi sert ce questionnaire."),
    )
    purpose = forms.ChoiceField(label=_("Usage du questionnaire"), choices=Purpose.choices)
    introduction = forms.CharField(
        max_length=limits.TEXT,
        label=_("Introduction"),
        required=False,
        widget=_textarea(4),
        help_text=_("Affichée en tête du questionnaire, pour les personnes qui répondent."),
    )

    def __init__(self, *args, organisation, with_introduction=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = _programme_field(organisation, _("Rangement"))
        order = ["title", "description", "purpose", "programme", "introduction"]
        if not with_introduction:
            del self.fields["introduction"]
            order.remove("introduction")
        self.order_fields(order)


class CopyForm(Form):
    title = forms.CharField(label=_("Titre de la copie"), max_length=200)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = _programme_field(organisation, _("Copier dans"))


class SectionForm(Form):
    title = forms.CharField(label=_("Titre de la section"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=limits.TEXT, widget=_textarea(2)
    )


class QuestionChoiceField(ModelChoiceField):
    def label_from_instance(self, question):
        return question.label


SCALE_MIN_CHOICES = [(0, "0"), (1, "1")]
SCALE_MAX_CHOICES = [(4, "4"), (5, "5"), (10, "10")]


class QuestionForm(Form):
    """A question of the draft. Fields that do not apply to the chosen kind are
    ignored by the service."""

    section = ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    kind = forms.ChoiceField(label=_("Type de question"), choices=QuestionKind.choices)
    label = forms.CharField(label=_("Intitulé"), max_length=500, widget=_textarea(2))
    help_text = forms.CharField(
        max_length=limits.NOTE,
        label=_("Aide"),
        required=False,
        widget=_textarea(2),
        help_text=_("Affichée sous l'intitulé, pour préciser ce qui est attendu."),
    )
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    choices = forms.CharField(
        max_length=limits.NOTE,
        label=_("Choix proposés ou niveaux de la grille"),
        required=False,
        widget=_textarea(5),
        help_text=_(
            "Un par ligne, dans l'ordre. Pour une grille de maturité : les niveaux, du moins "
            "au plus avancé."
        ),
    )
    scale_min = forms.TypedChoiceField(
        label=_("Échelle : de"),
        choices=SCALE_MIN_CHOICES,
        coerce=int,
        initial=1,
        required=False,
        empty_value=1,
    )
    scale_max = forms.TypedChoiceField(
        label=_("Échelle : à"),
        choices=SCALE_MAX_CHOICES,
        coerce=int,
        initial=4,
        required=False,
        empty_value=4,
        help_text=_("Échelles de 1 à 4, de 1 à 5 ou de 1 à 10 (ou à partir de 0)."),
    )
    min_label = forms.CharField(
        label=_("Libellé du bas de l'échelle"),
        max_length=100,
        required=False,
        help_text=_("Par exemple « Pas du tout satisfait·e »."),
    )
    max_label = forms.CharField(
        label=_("Libellé du haut de l'échelle"),
        max_length=100,
        required=False,
        help_text=_("Par exemple « Très satisfait·e »."),
    )
    min_value = forms.FloatField(
        label=_("Nombre : valeur minimale"), required=False, min_value=-1e9, max_value=1e9
    )
    max_value = forms.FloatField(
        label=_("Nombre : valeur maximale"), required=False, min_value=-1e9, max_value=1e9
    )
    satisfaction = forms.BooleanField(
        label=_("Compte dans le taux de satisfaction"),
        required=False,
        help_text=_(
            "Pour une échelle ou un choix unique : la part des deux niveaux les plus hauts."
        ),
    )
    confidential = forms.BooleanField(
        label=_("Réponse confidentielle"),
        required=False,
        help_text=_(
            "Lue par les seuls coordinateurs (et la personne qui répond) : jamais par les "
            "intervenant·es ni les observateur·rices, ni dans leurs exports."
        ),
    )
    condition_question = QuestionChoiceField(
        label=_("Afficher seulement selon la réponse à"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("— Toujours afficher —"),
        help_text=_("Une question précédente : choix, échelle ou oui / non."),
    )
    condition_values = forms.CharField(
        label=_("… quand la réponse est"),
        max_length=500,
        required=False,
        help_text=_(
            "Le libellé du choix (ou « oui », « non », une valeur de l'échelle). Séparez "
            "plusieurs réponses par un point-virgule."
        ),
    )

    def __init__(self, *args, version, question: Question | None = None, section=None, **kwargs):
        self.version = version
        self.question = question
        if question is not None:
            kwargs.setdefault("initial", self.initial_from(question))
        elif section is not None:
            kwargs.setdefault("initial", {"section": section.pk})
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.order_by("order", "pk")
        self.fields["condition_question"].queryset = self._earlier_triggers(section)

    def _earlier_triggers(self, section):
        """Questions of the draft that come before this one (for a new question: before
        the end of its section) and can trigger a condition."""
        questions = list(
            self.version.questions.filter(kind__in=builder.TRIGGER_KINDS).select_related("section")
        )
        if self.question is not None:
            here = (
                self.question.section.order,
                self.question.section_id,
                self.question.order,
                self.question.pk,
            )
            allowed = [
                q.pk for q in questions if (q.section.order, q.section_id, q.order, q.pk) < here
            ]
        elif section is not None:
            here = (section.order, section.pk)
            allowed = [q.pk for q in questions if (q.section.order, q.section_id) <= here]
        else:
            allowed = [q.pk for q in questions]
        return self.version.questions.filter(pk__in=allowed).order_by(
            "section__order", "section_id", "order", "pk"
        )

    @staticmethod
    def initial_from(question: Question) -> dict:
        condition_text = ""
        if question.condition_question_id:
            tokens = builder.trigger_tokens(question.condition_question)
            condition_text = " ; ".join(
                tokens.get(str(value), str(value)) for value in question.condition_values
            )
        return {
            "section": question.section_id,
            "kind": question.kind,
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(choice.label for choice in question.choices.all()),
            "scale_min": question.scale_min,
            "scale_max": question.scale_max,
            "min_label": question.min_label,
            "max_label": question.max_label,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "satisfaction": question.satisfaction,
            "confidential": question.confidential,
            "condition_question": question.condition_question_id,
            "condition_values": condition_text,
        }

    def clean(self):
        data = super().clean()
        trigger = data.get("condition_question")
        text = data.get("condition_values", "")
        data["condition_tokens"] = []
        if trigger is not None:
            if not text.strip():
                self.add_error(
                    "condition_values",
                    _("Indiquez la ou les réponses qui font apparaître la question."),
                )
            else:
                try:
                    data["condition_tokens"] = builder.parse_condition_values(trigger, text)
                except ValidationError as error:
                    self.add_error("condition_values", error)
        elif text.strip():
            self.add_error(
                "condition_question",
                _("Choisissez la question dont dépend l'affichage, ou videz les réponses."),
            )
        return data

    def to_data(self) -> builder.QuestionData:
        data = self.cleaned_data
        return builder.QuestionData(
            section=data["section"],
            kind=data["kind"],
            label=data["label"],
            help_text=data["help_text"],
            required=data["required"],
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            min_label=data["min_label"],
            max_label=data["max_label"],
            min_value=data["min_value"],
            max_value=data["max_value"],
            satisfaction=data["satisfaction"],
            confidential=data["confidential"],
            choices=data["choices"].splitlines(),
            condition_question=data["condition_question"],
            condition_values=data["condition_tokens"],
        )


class CriterionForm(Form):
    """One row of a maturity grid: its label, help and one descriptor per level."""

    criterion_id = forms.IntegerField(
        required=False, max_value=BIGGEST_ID, widget=forms.HiddenInput
    )
    label = forms.CharField(label=_("Critère"), max_length=300, required=False)
    help_text = forms.CharField(
        label=_("Aide"), required=False, max_length=limits.NOTE, widget=_textarea(2)
    )
    delete = forms.BooleanField(label=_("Supprimer ce critère"), required=False)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        for index, level in enumerate(self.levels, start=1):
            self.fields[f"descriptor_{index}"] = forms.CharField(
                max_length=limits.NOTE,
                label=_("Niveau %(value)s « %(label)s »") % {"value": index, "label": level},
                required=False,
                widget=_textarea(3),
            )

    @property
    def is_existing(self) -> bool:
        return bool(self.initial.get("criterion_id"))

    @property
    def descriptor_fields(self):
        return [self[f"descriptor_{index}"] for index in range(1, len(self.levels) + 1)]

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("criterion_id") and not any(
            (value or "").strip() if isinstance(value, str) else False
            for name, value in data.items()
            if name not in ("criterion_id", "delete")
        )

    def clean(self):
        data = super().clean()
        if data.get("delete") or self.is_blank:
            return data
        if not (data.get("label") or "").strip():
            self.add_error("label", _("Donnez un libellé à ce critère."))
        return data


class BaseCriterionFormSet(forms.BaseFormSet):
    def __init__(self, *args, question, **kwargs):
        self.question = question
        self.criteria = {criterion.pk: criterion for criterion in question.criteria.all()}
        levels = [choice.label for choice in question.choices.all()]
        kwargs.setdefault(
            "initial",
            [
                {
                    "criterion_id": criterion.pk,
                    "label": criterion.label,
                    "help_text": criterion.help_text,
                    **{
                        f"descriptor_{index}": criterion.descriptor(index)
                        for index in range(1, len(levels) + 1)
                    },
                }
                for criterion in self.criteria.values()
            ],
        )
        kwargs["form_kwargs"] = {"levels": levels}
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        for form in self.forms:
            criterion_id = form.cleaned_data.get("criterion_id")
            if criterion_id and criterion_id not in self.criteria:
                raise ValidationError(_("Ce critère n'appartient pas à cette grille."))

    def rows(self) -> list[builder.CriterionRow]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if form.is_blank:
                continue
            rows.append(
                builder.CriterionRow(
                    criterion=self.criteria.get(data.get("criterion_id")),
                    label=data.get("label", ""),
                    help_text=data.get("help_text", ""),
                    descriptors=[
                        data.get(f"descriptor_{index}", "")
                        for index in range(1, len(form.levels) + 1)
                    ],
                    delete=data.get("delete", False),
                )
            )
        return rows


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=2, max_num=60, validate_max=True
)


class LibraryFilterForm(Form):
    """The filters of the library: purpose, place (the library or one programme),
    archived questionnaires shown or not."""

    LIBRARY = "bibliotheque"

    purpose = forms.ChoiceField(
        label=_("Usage du questionnaire"),
        choices=[("", _("Tous les usages")), *Purpose.choices],
        required=False,
    )
    place = forms.ChoiceField(label=_("Rangement"), required=False)
    archived = forms.BooleanField(label=_("Montrer les questionnaires archivés"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.filter(organisation=organisation).order_by(
            "-start_date", "pk"
        )
        self.fields["place"].choices = [
            ("", _("Partout")),
            (self.LIBRARY, _("Bibliothèque de l'organisation")),
            *[(str(programme.pk), programme.name) for programme in programmes],
        ]


__all__ = [
    "CopyForm",
    "CriterionFormSet",
    "LibraryFilterForm",
    "QuestionForm",
    "QuestionnaireForm",
    "SectionForm",
    "add_service_errors",
]
