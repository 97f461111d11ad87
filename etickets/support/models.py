import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Screenshots are served only through a view that checks who asks: never from MEDIA_URL.
_private_storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def private_storage() -> FileSystemStorage:
    """The screenshots' storage. A callable, so that migrations name it rather than write down
    the folder of the machine that made them."""
    return _private_storage


CASE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_case_number(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(CASE_ALPHABET) for _ in range(8))


class HelpArticle(models.Model):
    """An article of the help centre (« Centre d'aide »), kept in sync with help_content.py."""

    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    section = models.CharField(max_length=80)
    section_en = models.CharField(max_length=80)
    title = models.CharField(max_length=160)
    title_en = models.CharField(max_length=160)
    body = models.TextField()
    body_en = models.TextField()
    keywords = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("article d'aide")
        verbose_name_plural = _("articles d'aide")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("support:help_article", kwargs={"slug": self.slug})

    def in_language(self, language: str) -> dict:
        english = language.startswith("en")
        return {
            "section": self.section_en if english else self.section,
            "title": self.title_en if english else self.title,
            "body": self.body_en if english else self.body,
        }


class ContactMessage(models.Model):
    """A message sent through the contact form, answered by e-mail by the support team."""

    case_number = models.CharField(_("numéro de dossier"), max_length=12, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("adresse email"))
    subject = models.CharField(_("objet"), max_length=150)
    message = models.TextField(_("message"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    # Its sender's name, address, subject and text were erased then (etickets.privacy).
    erased_at = models.DateTimeField(_("effacé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message de contact")
        verbose_name_plural = _("messages de contact")

    def __str__(self):
        return f"{self.case_number} — {self.subject}"


class ReportStatus(models.TextChoices):
    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("En cours")
    RESOLVED = "resolved", _("Résolu")


class ProblemReport(models.Model):
    """« Signaler un problème »: a logged-in user's report, with screenshots and replies."""

    reference = models.CharField(_("référence"), max_length=12, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="problem_reports"
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("état"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When it was last marked resolved (None while open): its contents are erased
    # SUPPORT_RETENTION_DAYS later (etickets.privacy.retention).
    closed_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    # Its text, replies and screenshots were erased then (etickets.privacy).
    erased_at = models.DateTimeField(_("effacé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("support:report_detail", kwargs={"reference": self.reference})


class Screenshot(models.Model):
    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="screenshots")
    file = models.FileField(storage=private_storage, upload_to="reports/")
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # Still the file as uploaded, until the background job has re-encoded it: never served.
    pending = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("capture d'écran")
        verbose_name_plural = _("captures d'écran")

    def __str__(self):
        return self.file.name


class ReportReply(models.Model):
    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("réponse"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")

    def __str__(self):
        return f"{self.report} — {self.created_at:%d/%m/%Y %H:%M}"
