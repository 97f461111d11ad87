from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from etickets.core.clock import calendar_now


class Sport(models.TextChoices):
    CEREMONIE = "ceremonie", _("Cérémonie")
    ATHLETISME = "athletisme", _("Athlétisme")
    AVIRON = "aviron", _("Aviron")
    BADMINTON = "badminton", _("Badminton")
    BASKETBALL = "basketball", _("Basketball")
    BASKETBALL_3X3 = "basketball-3x3", _("Basketball 3x3")
    BEACH_VOLLEY = "beach-volley", _("Beach-volley")
    BOXE = "boxe", _("Boxe")
    BREAKING = "breaking", _("Breaking")
    CANOE = "canoe", _("Canoë-kayak")
    CYCLISME_BMX = "cyclisme-bmx", _("BMX")
    CYCLISME_PISTE = "cyclisme-piste", _("Cyclisme sur piste")
    CYCLISME_ROUTE = "cyclisme-route", _("Cyclisme sur route")
    CYCLISME_VTT = "cyclisme-vtt", _("VTT")
    EQUITATION = "equitation", _("Sports équestres")
    ESCALADE = "escalade", _("Escalade")
    ESCRIME = "escrime", _("Escrime")
    FOOTBALL = "football", _("Football")
    GOLF = "golf", _("Golf")
    GYMNASTIQUE = "gymnastique", _("Gymnastique")
    HALTEROPHILIE = "halterophilie", _("Haltérophilie")
    HANDBALL = "handball", _("Handball")
    HOCKEY = "hockey", _("Hockey sur gazon")
    JUDO = "judo", _("Judo")
    LUTTE = "lutte", _("Lutte")
    NATATION = "natation", _("Natation")
    PENTATHLON = "pentathlon", _("Pentathlon moderne")
    PLONGEON = "plongeon", _("Plongeon")
    RUGBY = "rugby", _("Rugby à 7")
    SKATEBOARD = "skateboard", _("Skateboard")
    SURF = "surf", _("Surf")
    TAEKWONDO = "taekwondo", _("Taekwondo")
    TENNIS = "tennis", _("Tennis")
    TENNIS_DE_TABLE = "tennis-de-table", _("Tennis de table")
    TIR = "tir", _("Tir")
    TIR_A_L_ARC = "tir-a-l-arc", _("Tir à l'arc")
    TRIATHLON = "triathlon", _("Triathlon")
    VOILE = "voile", _("Voile")
    VOLLEYBALL = "volleyball", _("Volley-ball")
    WATER_POLO = "water-polo", _("Water-polo")


@cache
def sport_picture(sport: str) -> str:
    """Static path of the sport's picture, or the Games' generic one when it has none."""
    path = f"catalog/sports/{sport}.svg"
    return path if finders.find(path) else "catalog/sports/jeux.svg"


def _in_reading_language(name: str) -> property:
    """``Event.<name>``: the text of ``<name>_fr`` or ``<name>_en`` that ``Event.text`` picks
    for the active language. Assigning it sets the French text, the source language, so that
    ``Event(title=…)`` keeps meaning what it always did."""
    return property(
        lambda event: event.text(name),
        lambda event, value: setattr(event, f"{name}_fr", value),
        doc=f"The event's {name} in the active language.",
    )


class Event(models.Model):
    """One Olympic session, with its pool of seats (``capacity`` and ``sold``).

    Its texts are entered in French and English (``title_fr``, ``title_en``…); templates and
    e-mails read ``title``, ``description``, ``venue``, ``city`` and ``image_alt``, which give
    the active language's (docs/ARCHITECTURE.md, "Language").
    """

    sport = models.CharField(_("sport"), max_length=32, choices=Sport.choices)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    description_fr = models.TextField(_("description (français)"))
    description_en = models.TextField(_("description (anglais)"), blank=True)
    venue_fr = models.CharField(_("site (français)"), max_length=120)
    venue_en = models.CharField(_("site (anglais)"), max_length=120, blank=True)
    city_fr = models.CharField(_("ville (français)"), max_length=120)
    city_en = models.CharField(_("ville (anglais)"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("début"), db_index=True)
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    image_alt_fr = models.CharField(
        _("texte alternatif de l'image (français)"), max_length=200, blank=True
    )
    image_alt_en = models.CharField(
        _("texte alternatif de l'image (anglais)"), max_length=200, blank=True
    )
    capacity = models.PositiveIntegerField(_("nombre de places"))
    sold = models.PositiveIntegerField(_("places vendues"), default=0, editable=False)
    # Seats kept for the entries of its waiting lists still waiting: general sale cannot take
    # them (inventory.services.reserve_waiting_seats writes it; docs, « Waiting lists »).
    waiting_seats = models.PositiveIntegerField(
        _("places réservées aux listes d'attente"), default=0, editable=False
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    # « Codes dynamiques »: the ticket page shows a QR code that changes every 15 s and that only
    # the holder's phone can make (docs/ARCHITECTURE.md, « Rotating QR codes »).
    rotating_codes = models.BooleanField(
        _("codes dynamiques"),
        default=True,
        help_text=_(
            "Le billet affiche sur le téléphone un QR code qui change toutes les 15 secondes : "
            "une capture d'écran ne permet pas d'entrer. Un billet imprimé reste accepté, après "
            "vérification de la pièce d'identité."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        constraints = [
            # The last line of defence against overselling (docs/ARCHITECTURE.md).
            models.CheckConstraint(
                condition=models.Q(sold__gte=0) & models.Q(sold__lte=models.F("capacity")),
                name="catalog_event_sold_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(waiting_seats__gte=0), name="catalog_event_waiting_seats"
            ),
        ]

    title = _in_reading_language("title")
    description = _in_reading_language("description")
    venue = _in_reading_language("venue")
    city = _in_reading_language("city")
    image_alt = _in_reading_language("image_alt")

    def __str__(self):
        return self.title

    def text(self, name: str, *, language: str | None = None) -> str:
        """The text ``name`` (``title``…) in ``language``, the active one by default: the
        English for English readers, the French where it has no translation. The catalogue's
        one fallback rule."""
        if (language or get_language() or settings.LANGUAGE_CODE).startswith("en"):
            english = getattr(self, f"{name}_en")
            if english:
                return english
        return getattr(self, f"{name}_fr")

    @property
    def image_url(self) -> str:
        return self.image.url if self.image else static(sport_picture(self.sport))

    @property
    def image_description(self) -> str:
        return self.image_alt or _("Illustration : %(sport)s") % {"sport": self.get_sport_display()}


class OfferKind(models.TextChoices):
    SOLO = "SOLO", _("Solo")
    DUO = "DUO", _("Duo")
    FAMILIALE = "FAMILIALE", _("Familiale")

    @property
    def persons(self) -> int:
        return {"SOLO": 1, "DUO": 2, "FAMILIALE": 4}[self.value]


class SeatsNotCounted(LookupError):
    """An offer read without its free seats: load it through ``catalog.selectors``."""


class Offer(models.Model):
    """A way to buy an event: each ticket of the offer admits ``persons`` people."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="offers", verbose_name=_("épreuve")
    )
    kind = models.CharField(_("type"), max_length=10, choices=OfferKind.choices)
    slug = models.SlugField(_("identifiant d'URL"), max_length=140, unique=True)
    price_cents = models.PositiveIntegerField(_("prix (centimes d'euro)"))
    max_per_order = models.PositiveSmallIntegerField(
        _("maximum de billets par commande"), null=True, blank=True
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Free seats of the event, set by the selectors that load offers (see ``seats_available``).
    event_free_seats: int

    class Meta:
        ordering = ["event__starts_at", "event_id", "price_cents"]
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="catalog_offer_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(price_cents__gt=0), name="catalog_offer_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_per_order__isnull=True) | models.Q(max_per_order__gte=1),
                name="catalog_offer_max_per_order_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:offer_detail", kwargs={"slug": self.slug})

    @property
    def persons(self) -> int:
        return OfferKind(self.kind).persons

    @property
    def title(self) -> str:
        return f"{self.event.title} — {self.get_kind_display()}"

    @property
    def seats_available(self) -> int:
        """The event's free seats, shared by all its offers, as counted by the selector that
        loaded the offer (``event_free_seats``: ``catalog.selectors``, ``cart.selectors``)."""
        try:
            return self.event_free_seats
        except AttributeError:
            # Not an AttributeError, which a template would silently turn into « nothing ».
            raise SeatsNotCounted(self.pk) from None

    @property
    def tickets_available(self) -> int:
        """Tickets that can still be sold: the event's free seats // persons per ticket."""
        return self.seats_available // self.persons

    @property
    def is_sold_out(self) -> bool:
        return self.tickets_available == 0

    @property
    def is_past(self) -> bool:
        return self.event.starts_at <= calendar_now()

    @property
    def limit_per_order(self) -> int:
        """The most tickets of this offer one order may hold (the offer's own limit or the
        site's, never more than one account may have of an event)."""
        site = min(settings.MAX_TICKETS_PER_OFFER, settings.MAX_TICKETS_PER_EVENT)
        return min(self.max_per_order or site, site)

    @property
    def max_quantity(self) -> int:
        """The most tickets one order may take now: availability, capped by the limit."""
        return min(self.tickets_available, self.limit_per_order)
