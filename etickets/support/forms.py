from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .models import ReportStatus
from .services import MAX_SCREENSHOTS


class HelpSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher dans l'aide"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Ex. : QR code, remboursement, 2FA")}),
    )


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Votre nom"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Adresse email"),
        error_messages={
            "invalid": _("Saisissez une adresse email valide, par exemple nom@exemple.fr.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("Objet"), max_length=150)
    message = forms.CharField(
        label=_("Message"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "min_length": _("Décrivez votre demande en quelques mots (10 caractères au moins).")
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def too_many_screenshots() -> str:
    return _("Joignez au plus %(max)s captures d'écran.") % {"max": MAX_SCREENSHOTS}


class MultipleFileField(forms.FileField):
    """Zero to MAX_SCREENSHOTS files under one name (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        # The data-max-files attributes let report-form.js refuse too many files before
        # sending them; the server checks the count whatever the script did.
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": "image/png,image/jpeg,image/webp",
                    "data-max-files": MAX_SCREENSHOTS,
                    # Lazy: translated when the page is drawn, in the page's language.
                    "data-max-files-message": lazy(too_many_screenshots, str)(),
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_SCREENSHOTS:
            raise forms.ValidationError(too_many_screenshots())
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ProblemReportForm(forms.Form):
    description = forms.CharField(
        label=_("Décrivez le problème en détail"),
        help_text=_("Ce que vous faisiez, ce qui s'est passé, ce que vous attendiez."),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={
            "min_length": _("Décrivez le problème en quelques phrases (20 caractères au moins).")
        },
    )
    screenshots = MultipleFileField(
        label=_("Captures d'écran"),
        required=False,
        help_text=_("Facultatif : jusqu'à 5 images PNG, JPEG ou WebP de 5 Mo au plus."),
    )

    def __init__(self, *args, files_dropped=False, **kwargs):
        """``files_dropped``: the upload was cut short past MAX_SCREENSHOTS files
        (uploads.FileCountLimit), so the files received are not all the files sent."""
        super().__init__(*args, **kwargs)
        self.files_dropped = files_dropped

    @classmethod
    def unreadable(cls):
        """The form for a request Django could not read at all (too big, too many parts):
        nothing of it survives, so the description comes back empty with the reason."""
        form = cls(data={})
        form.full_clean()
        form.errors.clear()  # not « required »: the user did type something
        form.add_error(
            "description",
            _(
                "Votre envoi était trop volumineux pour être lu et votre description n'a pas "
                "pu être conservée : saisissez-la à nouveau (5 000 caractères au plus), avec "
                "5 captures d'écran de 5 Mo au plus."
            ),
        )
        return form

    def clean_screenshots(self):
        if self.files_dropped:
            raise forms.ValidationError(too_many_screenshots())
        return self.cleaned_data["screenshots"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Réponse"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=_("État"), choices=ReportStatus.choices)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        # Neither a reply nor a new status: nothing to save, nobody to tell.
        if not cleaned.get("body", "").strip() and cleaned.get("status") == self.initial.get(
            "status"
        ):
            self.add_error("body", _("Écrivez une réponse ou changez l'état du signalement."))
        return cleaned
