"""Per-language word tools for the ai stage: stop-words and a Snowball stemmer (pure Python, no model)."""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of a literal list."""
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": word_set(
        "the a an of to in and or for on at by with from as is are was were be been has have had it its this "
        "that these those he she they his her their i you we my our your me him them who which what when "
        "where there here not but if than then so do does did will would can could should may might just "
        "about into over after before up down out also more most very said says say s t n"
    ),
    "de": word_set(
        "der die das den dem des ein eine einen einem einer eines und oder aber als auch auf aus bei bis "
        "durch für gegen in im ins mit nach seit über um unter von vor zu zum zur an am ist sind war waren "
        "wird werden wurde wurden hat haben hatte hatten sein seine ihr ihre er sie es wir ich du man sich "
        "nicht kein keine noch nur schon so wie was wer wo wenn dass daß dann denn doch sehr mehr laut "
        "sagte sagt habe sei dies diese dieser dieses diesem diesen"
    ),
    "es": word_set(
        "el la los las un una unos unas de del al a en y o u e con por para sin sobre entre desde hasta "
        "que como cuando donde quien es son fue fueron ser ha han había habían está están estaba se su sus "
        "le les lo me mi te tu nos no ni más muy ya también pero sino este esta estos estas ese esa eso "
        "según dijo afirmó explicó"
    ),
    "fr": word_set(
        "le la les un une des de du d l au aux et ou en dans sur sous par pour avec sans entre que qui "
        "quoi dont où ce cet cette ces son sa ses leur leurs il elle ils elles on nous vous je ne pas plus "
        "est sont était été être a ont avait se s n y comme mais aussi très selon dit"
    ),
    "it": word_set(
        "il lo la i gli le un uno una di del della dei degli delle a al alla ai agli alle da dal dalla in "
        "nel nella con su sul sulla per tra fra e o che chi cui come dove quando è sono era erano stato "
        "stata ha hanno aveva si non più anche ma questo questa quello quella suo sua suoi sue secondo"
    ),
    "pt": word_set(
        "o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela para com sem sobre "
        "entre e ou que quem como quando onde é são foi foram ser está estão estava tem têm ter se seu sua "
        "seus suas não mais muito já também mas este esta isso segundo disse"
    ),
    "nl": word_set(
        "de het een en of in op aan te van voor met door bij naar uit over onder tot om als dat die dit "
        "deze wie wat waar wanneer is zijn was waren wordt worden werd hebben heeft had hij zij ze het we "
        "wij ik je niet geen nog ook maar meer zeer volgens zei"
    ),
}
SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
MAX_WORD = 40  # longer "words" (URLs, unspaced scripts) are not stemmed


@dataclass(frozen=True)
class LanguageTools:
    """What the ai stage needs to know about a language: its code, stop-words and how to stem a word."""

    code: str
    stopwords: frozenset[str]
    stem: Callable[[str], str]


def base_language(language: str) -> str:
    """The two-letter base of a language tag ("en-GB" → "en"), lower-case; '' when unknown."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else ""


@lru_cache(maxsize=64)
def language_tools(language: str) -> LanguageTools:
    """Stop-words and stemmer of a language; unknown languages get no stop-words and no stemming."""
    code = base_language(language)
    return LanguageTools(code, STOPWORDS.get(code, frozenset()), _stemmer(SNOWBALL.get(code, "")))


def _stemmer(algorithm: str) -> Callable[[str], str]:
    if not algorithm:
        return _identity
    module = importlib.import_module("snowballstemmer")
    stemmer = module.stemmer(algorithm)

    @lru_cache(maxsize=50_000)
    def stem(word: str) -> str:
        return word if len(word) > MAX_WORD else str(stemmer.stemWord(word))

    return stem


def _identity(word: str) -> str:
    return word


def fold_accents(text: str) -> str:
    """Lower-case text without diacritics ("Orduña" → "orduna"), for matching across spellings."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
