"""Words reduced to their stem, for searching the help centre where PostgreSQL's full-text
search is not there (SQLite): « Remboursements », « remboursé » and « rembourser » all become
« rembours », « refunded » becomes « refund ». The Snowball stemmers are the ones PostgreSQL's
`french` and `english` configurations use.
"""

import re
import unicodedata

import snowballstemmer

_STEMMERS = {
    "fr": snowballstemmer.stemmer("french"),
    "en": snowballstemmer.stemmer("english"),
}
_STOP_WORDS = (
    "a ai au aux avec avez ce ces d dans de des du elle en est et etes il je l la le les leur lui "
    "ma mais me mes mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sont "
    "sur t ta te tes ton tu un une vos votre vous y "
    "an and are as at be by for from how i in is it my of on or the to what with you your"
)
# Words that say nothing of an article's subject (accents already removed).
STOP_WORDS = frozenset(_STOP_WORDS.split())


def _plain(text: str) -> str:
    """``text`` without accents (« réservé » → « reserve »), as `unaccent` does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def terms(text: str, *, language: str) -> list[str]:
    """The stems of ``text``'s words in ``language`` ("fr" or "en"), without accents, stop words
    left out; apostrophes, straight or typographic, separate words."""
    words = [word for word in re.findall(r"\w+", text.lower()) if _plain(word) not in STOP_WORDS]
    return [_plain(stem) for stem in _STEMMERS[language].stemWords(words)]
