import functools
import operator

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from etickets.accounts.models import User
from etickets.accounts.security import is_administrator

from . import stemming
from .models import HelpArticle, ProblemReport, Screenshot

# PostgreSQL's text search configuration for each language of the articles: French ignores
# accents (`french_unaccent`, support migration 0003) so that « evenement » finds « événement »;
# both reduce words to their stem, so that « rembourser » finds « Remboursements ».
SEARCH_CONFIGS = {"fr": "french_unaccent", "en": "english"}
# The weights PostgreSQL gives A, B, C and D by default, for the same ranking on SQLite.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


def _search_fields(language: str) -> list[tuple[str, str, str]]:
    """(field, language, weight) of the texts searched: the reader's language first, title ›
    keywords › body; the other language's text last, so that it still finds something."""
    french = [("title", "fr", "A"), ("keywords", "fr", "B"), ("body", "fr", "C")]
    english = [("title_en", "en", "A"), ("body_en", "en", "C")]
    first, other = (english, french) if language.startswith("en") else (french, english)
    return first + [(field, lang, "D") for field, lang, _weight in other]


def search_help(*, query: str, language: str) -> list[HelpArticle]:
    """The help articles that hold every word of ``query``, whatever its accents and
    inflection (French and English), best matches first; all of them for an empty query."""
    query = query.strip()
    if not query:
        return list(HelpArticle.objects.all())
    fields = _search_fields(language)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = functools.reduce(
            operator.add,
            (
                SearchVector(field, config=SEARCH_CONFIGS[lang], weight=weight)
                for field, lang, weight in fields
            ),
        )
        search = functools.reduce(
            operator.or_,
            (
                SearchQuery(query, config=config, search_type="websearch")
                for config in SEARCH_CONFIGS.values()
            ),
        )
        # Matched with @@ (every word of the query), not by a rank above 0: an article that
        # holds some of them ranks above 0 too.
        return list(
            HelpArticle.objects.alias(text=vector)
            .annotate(rank=SearchRank(vector, search))
            .filter(text=search)
            .order_by("-rank", "position")
        )
    # The query's words stemmed in each language, in the same order: the i-th word is found
    # when a field holds its stem in that field's language.
    wanted = {lang: stemming.terms(query, language=lang) for lang in SEARCH_CONFIGS}
    scored = []
    for article in HelpArticle.objects.all():
        score = 0.0
        found: set[int] = set()
        for field, lang, weight in fields:
            words = stemming.terms(getattr(article, field), language=lang)
            hits = {i for i, stem in enumerate(wanted[lang]) if stem in words}
            found |= hits
            score += WEIGHTS[weight] * sum(word in wanted[lang] for word in words)
        if wanted["fr"] and len(found) == len(wanted["fr"]):
            scored.append((-score, article.position, article))
    scored.sort(key=lambda row: row[:2])
    return [article for _score, _position, article in scored]


def reports_of(user: User) -> QuerySet[ProblemReport]:
    return ProblemReport.objects.filter(user=user).prefetch_related("replies")


def report_for_owner(user: User, *, reference: str) -> ProblemReport:
    """The user's own report; anyone else's, like an unknown one, is a 404."""
    return get_object_or_404(
        ProblemReport.objects.prefetch_related("screenshots", "replies__author"),
        reference=reference,
        user=user,
    )


def screenshot_for(user: User, *, screenshot_id: int) -> Screenshot:
    """A screenshot, to its author and to verified administrators only, once re-encoded (the
    file as uploaded keeps its metadata, and may be anything behind a valid header); else a
    404."""
    shot = get_object_or_404(
        Screenshot.objects.select_related("report"), pk=screenshot_id, pending=False
    )
    if shot.report.user_id == user.pk or (is_administrator(user) and user.is_verified()):
        return shot
    raise Http404
