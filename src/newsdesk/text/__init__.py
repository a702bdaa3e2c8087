"""Language knowledge every stage shares: word lists, stop words, sentences, the text normalisation."""

from newsdesk.text.lexicon import (
    STOP_LANGUAGES,
    any_function_words,
    function_words,
    marker_words,
    read_rows,
    read_words,
    stop_words,
    word_set,
)
from newsdesk.text.normalise import normalise_text
from newsdesk.text.sentences import ABBREVIATIONS, calendar_words, split_sentences

__all__ = [
    "ABBREVIATIONS",
    "STOP_LANGUAGES",
    "any_function_words",
    "calendar_words",
    "function_words",
    "marker_words",
    "normalise_text",
    "read_rows",
    "read_words",
    "split_sentences",
    "stop_words",
    "word_set",
]
