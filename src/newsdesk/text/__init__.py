"""Language knowledge every stage shares: word lists, stop words per language, the sentence splitter."""

from newsdesk.text.lexicon import marker_words, read_rows, read_words, stop_words
from newsdesk.text.sentences import ABBREVIATIONS, calendar_words, split_sentences

__all__ = [
    "ABBREVIATIONS",
    "calendar_words",
    "marker_words",
    "read_rows",
    "read_words",
    "split_sentences",
    "stop_words",
]
