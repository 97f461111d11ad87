"""The error summary at the top of a refused form's page (core/error_summary.html)."""

from django import forms
from django.template import Context, Template

from etickets.core.forms import Problem, problems_of


class TicketForm(forms.Form):
    non_field_errors_target = "email"

    key = forms.CharField(widget=forms.HiddenInput)
    email = forms.EmailField(label="Adresse email")
    quantity = forms.IntegerField(label="Quantité", min_value=1)
    accept = forms.BooleanField(label="J'accepte")

    def clean(self):
        raise forms.ValidationError("Refusé par la banque.")


def render(*forms):
    template = Template("{% load etickets %}{% error_summary a b %}")
    return template.render(Context({"a": forms[0], "b": forms[1] if len(forms) > 1 else None}))


def test_a_valid_or_blank_form_has_no_summary():
    assert render(TicketForm()).strip() == ""


def test_each_error_names_its_field_and_links_to_it():
    form = TicketForm({"email": "pas-une-adresse", "quantity": "0"})
    assert problems_of(form, None) == [
        Problem(message="Refusé par la banque.", target="id_email"),
        Problem(message="Ce champ est obligatoire."),  # the hidden key: nothing to go to
        Problem(
            message="Adresse email : Saisissez une adresse de courriel valide.",
            target="id_email",
            field_id="id_email",
        ),
        Problem(
            message="Quantité : Assurez-vous que cette valeur est supérieure ou égale à 1.",
            target="id_quantity",
            field_id="id_quantity",
        ),
        Problem(
            message="J'accepte : Ce champ est obligatoire.",
            target="id_accept",
            field_id="id_accept",
        ),
    ]


def test_the_summary_is_a_focusable_alert_above_several_forms():
    first = TicketForm({"email": "a@example.fr", "quantity": "1", "accept": "on", "key": "k"})
    second = TicketForm({"key": "k"}, prefix="other")
    html = render(first, second)
    assert '<div class="error-summary" tabindex="-1" data-error-summary>' in html
    assert '<div role="alert">' in html
    assert "Il y a un problème" in html
    assert html.count('<a href="#id_email">Refusé par la banque.</a>') == 1
    assert '<a href="#id_other-email">Refusé par la banque.</a>' in html
    assert '<li data-error-for="id_other-quantity"><a href="#id_other-quantity">Quantité : ' in html
