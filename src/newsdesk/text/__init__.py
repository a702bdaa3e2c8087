"""Language knowledge every stage shares: word lists, stop words, sentences, the text normalisation."""

from newsdesk.text.lexicon import marker_words, read_rows, read_words
from newsdesk.text.normalise import normalise_text
from newsdesk.text.sentences import ABBREVIATIONS, calendar_words, split_sentences
from newsdesk.text.stopwords import STORY_STOP_WORDS, SUMMARY_STOP_WORDS, stop_words, word_set

__all__ = [
    "ABBREVIATIONS",
    "STORY_STOP_WORDS",
    "SUMMARY_STOP_WORDS",
    "calendar_words",
    "marker_words",
    "normalise_text",
    "read_rows",
    "read_words",
    "split_sentences",
    "stop_words",
    "word_set",
]
