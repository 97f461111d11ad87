"""Words reduced to a common stem, for searching the help centre where PostgreSQL's full-text
search is not there (SQLite): « Remboursements », « remboursé » and « rembourser » all become
« rembours », « refunded » becomes « refund ».

A rough French and English suffix stripper, not Snowball: the help centre is a few dozen
articles, and a word that loses a suffix it should have kept only finds an article too many.
"""

import re
import unicodedata

_SUFFIXES = (
    # French nouns and adjectives
    "issements issement ements ement ments ment ations ation itions ition ions ion euses euse "
    "eurs eur rices rice ables able ibles ible iques ique ismes isme istes iste "
    # French verbs
    "erions eriez eraient erait erais erai eras era erons eront erez assent aient ait ais antes "
    "ante ants ant iez ez er ees ee es e s x "
    # English
    "ings ing ied ies ed ly"
)
# Longest first, so that « -ements » is tried before « -s ».
SUFFIXES = sorted(_SUFFIXES.split(), key=len, reverse=True)
# A stem keeps three letters at least: « une » stays « une », « codes » becomes « cod ».
MIN_STEM = 3
_STOP_WORDS = (
    "a ai au aux avec avez ce ces d dans de des du elle en est et etes il je l la le les leur lui "
    "ma mais me mes mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sont "
    "sur t ta te tes ton tu un une vos votre vous y "
    "an and are as at be by for from how i in is it my of on or the to what with you your"
)
# Words that say nothing of an article's subject (accents already removed).
STOP_WORDS = frozenset(_STOP_WORDS.split())


def _plain(text: str) -> str:
    """``text`` in lower case, without accents (« Réservé » → « reserve »)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """``word`` (already plain) without its inflection or derivation suffix."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    """The stems of ``text``'s words, stop words left out; apostrophes, straight or
    typographic, separate words (« l’application » → « applic »)."""
    return [stem(word) for word in re.findall(r"[a-z0-9]+", _plain(text)) if word not in STOP_WORDS]
