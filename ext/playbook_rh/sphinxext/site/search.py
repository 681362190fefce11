"""French search where accents do not matter: « employe » finds « employé »."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx
from sphinx.search.fr import SearchFrench

if TYPE_CHECKING:
    pass

_COMBINING = re.compile("[\u0300-\u036f]")

def fold_accents(word: str) -> str:
    """« Employé » → « employe »; the JavaScript stemmer below does the same."""
    word = unicodedata.normalize("NFD", word.lower())
    word = unicodedata.normalize("NFC", _COMBINING.sub("", word))
    return word.replace("œ", "oe").replace("æ", "ae")

FOLDING_STEMMER_JS = r"""
/* Accents folded before stemming, as the index was built (playbook_rh.sphinxext.site.search):
   a query typed without accents finds the accented words. */
window.Stemmer = function () {
  const french = new FrenchStemmer();
  this.stemWord = (word) => french.stemWord(
    word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")
      .replace(/œ/g, "oe").replace(/æ/g, "ae"));
};
"""

def _minified_stemmer(name: str) -> str:
    return Path(sphinx.package_dir, "search", "minified-js", name).read_text(encoding="utf-8")

class SearchFrenchFolded(SearchFrench):
    """French search (Snowball stemmer) where accents do not matter."""

    # No raw code: Sphinx would then assign window.Stemmer itself; js_stemmer_code
    # (set below) holds Sphinx's French stemmer and the folding wrapper.
    js_stemmer_rawcode = ""
    stopwords = frozenset(SearchFrench.stopwords) | {
        fold_accents(word) for word in SearchFrench.stopwords
    }

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.js_stemmer_code = "\n".join((
            _minified_stemmer("base-stemmer.js"),
            _minified_stemmer("french-stemmer.js"),
            FOLDING_STEMMER_JS,
        ))
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """Memoised for the whole build: Sphinx memoises per page only, and the Snowball
        stemmer is most of the search index's cost (the same words recur on every page)."""
        stemmed = self._stems.get(word)
        if stemmed is None:
            stemmed = self._stems[word] = super().stem(fold_accents(word))
        return stemmed
