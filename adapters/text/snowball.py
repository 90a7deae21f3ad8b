"""Snowball stemmers (PyStemmer, the Snowball project's C stemmers) behind TextAnalyzer.

Each word is stemmed for its own script: Cyrillic words with the Russian stemmer, Latin-script
words with the stemmer of the text's language (English when the language has none or is not a
Latin-script one), so a Russian contract's English names and an English filing's Russian
quotes both match. Words in other scripts, and numbers, are kept as they are (case-folded).
A hyphenated word counts joined too ("коли-чество" also gives "количеств"). Function words of English and Russian, and the words questions are made of ("what", "how much",
"сколько", "какова"), are left out: they say what is asked, not what about."""

from __future__ import annotations

import re
import threading

import Stemmer

from domain.language import detect_language, script_of

_WORD = re.compile(r"[^\W_]+")  # "price_eur" is two words
# a word hyphenated to fit a narrow cell ("Коли-чество") or a compound ("year-over-year"): also
# read joined, so "количество" finds it (the parts stay terms too)
_HYPHENATED = re.compile(r"(?<![^\W_])[^\W\d_]{2,}(?:-[^\W\d_]{2,})+(?![^\W_])")
_STEMMERS = {"en": "english", "ru": "russian", "de": "german", "fr": "french", "es": "spanish",
             "it": "italian", "pt": "portuguese", "nl": "dutch"}
STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from into onto about as is are was were be been being "
    "it its this that these those there here their them they he she his her we our you your i me my "
    "what which who whom whose when where why how do does did done has have had having can could would "
    "should will shall may might must not no nor any all some such than then so too very just also only "
    "much many more most other own same each both few s t "
    "а и или но если то это этот эта эти тот та те того той тех в во на с со к ко о об от до из за по при "
    "для без над под про через у же ли бы не ни да нет как что кто где когда почему зачем какой какая "
    "какое какие каких каком какова каков каково каковы чем чему сколько который которая которое которые "
    "его её ее их она они оно он мы вы я мне мой наш ваш все всё весь был была было были быть есть также "
    "ещё еще уже будут будем будете буду будешь можно нужно надо нужна нужен нужны должен должна должно должны "
    "следует ли либо тоже чтобы".split()
)


class SnowballAnalyzer:
    """Implements application.ports.text_analyzer.TextAnalyzer."""

    name = "snowball-4"

    def __init__(self, cache_words: int = 200_000) -> None:
        self._local = threading.local()  # a PyStemmer object is not safe across threads
        self._cache: dict[str, dict[str, str]] = {}  # per Latin-script stemmer: word -> term ("" a stopword)
        self._cache_words = cache_words

    def language(self, text: str) -> str:
        return detect_language(text)

    def terms(self, text: str, language: str) -> list[str]:
        """Words are looked up in a cache of their terms first: the regular expression and a dict
        lookup per word, the stemmers only for words not seen before (re-ranking analyses dozens
        of chunks per question)."""
        algorithm = _STEMMERS[language] if language in _STEMMERS and language != "ru" else "english"
        cache = self._cache.get(algorithm)
        if cache is None or len(cache) > self._cache_words:
            cache = self._cache[algorithm] = {}
        folded = text.casefold()
        out = []
        for word in _WORD.findall(folded) + (_HYPHENATED.findall(folded) if "-" in folded else []):
            term = cache.get(word)
            if term is None:
                term = cache[word] = self._term(word.replace("-", ""), algorithm)
            if term:
                out.append(term)
        return out

    def _term(self, word: str, algorithm: str) -> str:
        if word in STOPWORDS:
            return ""
        if word.isdigit():
            return word
        script = script_of(word)
        if script == "latin":
            return str(self._stemmer(algorithm).stemWord(word))
        if script == "cyrillic":
            return str(self._stemmer("russian").stemWord(word))
        return word

    def _stemmer(self, algorithm: str) -> Stemmer.Stemmer:
        stemmers = getattr(self._local, "stemmers", None)
        if stemmers is None:
            stemmers = self._local.stemmers = {}
        stemmer = stemmers.get(algorithm)
        if stemmer is None:
            stemmer = stemmers[algorithm] = Stemmer.Stemmer(algorithm)
        return stemmer


