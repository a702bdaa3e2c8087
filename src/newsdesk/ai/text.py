"""Text pieces for the ai stage: sentences, datelines, word tokens, and cleaning of untrusted text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from newsdesk.ai.lang import LanguageTools, word_set

TERMINALS = ".!?…"
FULL_STOPS = "。！？"  # CJK sentence ends need no space after them
CLOSERS = "\"'”’»)]"
BOUNDARY = re.compile(
    rf"[{re.escape(TERMINALS)}]+[{re.escape(CLOSERS)}]*(?=\s)|[{FULL_STOPS}][{re.escape(CLOSERS)}]*"
)
ABBREVIATIONS = word_set(
    "mr mrs ms dr prof st sr jr gen sen rep gov lt col maj capt sgt cpl adm cmdr supt insp det rev fr hon "
    "pres vs etc inc ltd co corp no nr nos fig approx ca jan feb mar apr jun jul aug sep sept oct nov dec "
    "mt ft sq km kg bzw ca ggf usw vgl sr sra srta dra av avda pág núm art abs str"
)
INITIALISM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]?$")
WORD = re.compile(r"[^\W_]+")
NEXT_CHARACTER = re.compile(r"\s*(\S)")
QUOTE_TOKENS = ('"', "'")
AGENCIES = (
    "cnn|reuters|ap|afp|dpa|efe|ansa|upi|xinhua|kyodo|tass|pa|aap|bbc|apa|sda|kna|epd|anp|belga|"
    "europa press|bloomberg|ians|pti|yonhap|ats|ctk|pap|mti|ana|bta|hina|sta|lusa|ntb|tt|stt|ritzau"
)
DATELINE = re.compile(
    rf"^\s*(?:[^\W\d_][\w'’.-]*(?:\s*,?\s+[^\W\d_][\w'’.-]*){{0,5}}\s*,?\s*)?\(\s*(?:{AGENCIES})\s*\)"
    r"\s*(?:--|—|–|-|:)?\s*(?=\S)",
    re.IGNORECASE,
)
CAPS_DATELINE = re.compile(
    r"^\s*[A-ZÀ-Þ][A-ZÀ-Þ' .-]{1,40}(?:,\s*[\w' .-]{1,30})?\s*\([A-Z]{2,6}\)\s*(?:--|—|–|-)\s*(?=\S)"
)
MAX_SENTENCE_WORDS = 120
CHUNK_WORDS = 60
MAX_WORD_CHARS = 400
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
TAG = re.compile(r"<[^<>]{0,500}>")
MD_LINK = re.compile(r"!?\[([^\]]{0,300})\]\([^)]{0,500}\)")
URL = re.compile(r"\b(?:https?|ftp|file|javascript|data):\S*", re.IGNORECASE)
MARKUP_CHARS = re.compile(r"[*_`#~|<>{}\\]+")
SPACES = re.compile(r"[ \t\r\f\v]+")


def split_paragraphs(text: str | Sequence[str]) -> list[str]:
    """Non-empty paragraphs of a text (one per line) or of a list of body blocks."""
    pieces = (
        text.splitlines()
        if isinstance(text, str)
        else [line for block in text for line in block.splitlines()]
    )
    return [" ".join(piece.split()) for piece in pieces if piece and not piece.isspace()]


def split_sentences(paragraph: str, limit: int = 100_000) -> list[str]:
    """Sentences of one paragraph (the first `limit` or so): cased prose, tokenised text, CJK alike."""
    cased = any(ch.isupper() for ch in paragraph) and any(ch.islower() for ch in paragraph)
    sentences: list[str] = []
    start = 0
    for match in BOUNDARY.finditer(paragraph):
        if _is_boundary(paragraph, match, cased):
            sentences.append(paragraph[start : match.end()].strip())
            start = match.end()
            if len(sentences) >= limit:
                return [
                    piece
                    for sentence in _attach_closing_quotes(sentences)
                    for piece in cap_sentence(sentence)
                ]
    sentences.append(paragraph[start:].strip())
    return [piece for sentence in _attach_closing_quotes(sentences) for piece in cap_sentence(sentence)]


def _is_boundary(paragraph: str, match: re.Match[str], cased: bool) -> bool:
    if match.group()[0] in FULL_STOPS or match.group()[0] != ".":
        return _next_starts_sentence(paragraph, match.end(), cased)
    window = max(0, match.start() - 64)
    word = paragraph[paragraph.rfind(" ", window, match.start()) + 1 : match.start()]
    if word and (word.lower().rstrip(".") in ABBREVIATIONS or INITIALISM.match(word + ".")):
        return False
    return _next_starts_sentence(paragraph, match.end(), cased)


def _next_starts_sentence(paragraph: str, end: int, cased: bool) -> bool:
    following = NEXT_CHARACTER.match(paragraph, end)
    if following is None:
        return False
    return not (cased and following.group(1).islower())


def _attach_closing_quotes(sentences: list[str]) -> list[str]:
    """Move a standalone closing quote token (tokenised text: `... . " next`) back to its sentence."""
    out: list[str] = []
    for sentence in sentences:
        head, _, tail = sentence.partition(" ")
        if out and head in QUOTE_TOKENS and out[-1].split().count(head) % 2 == 1:
            out[-1] = f"{out[-1]} {head}"
            sentence = tail
        if sentence:
            out.append(sentence)
    return out


def cap_sentence(sentence: str) -> list[str]:
    """Cut a run-on "sentence" (no punctuation, unspaced script) into bounded pieces."""
    words = sentence.split()
    if len(words) > MAX_SENTENCE_WORDS:
        chunks = [" ".join(words[i : i + CHUNK_WORDS]) for i in range(0, len(words), CHUNK_WORDS)]
        return [piece for chunk in chunks for piece in cap_sentence(chunk)]
    if len(sentence) > MAX_WORD_CHARS * 2 and max(map(len, words)) > MAX_WORD_CHARS:
        return [sentence[i : i + MAX_WORD_CHARS] for i in range(0, len(sentence), MAX_WORD_CHARS)]
    return [sentence] if sentence else []


def strip_dateline(sentence: str) -> str:
    """Drop a leading dateline such as "LONDON (Reuters) -" or "marseille , france ( cnn )"."""
    for pattern in (DATELINE, CAPS_DATELINE):
        stripped = pattern.sub("", sentence, count=1)
        if stripped != sentence and len(stripped.split()) >= 3:
            return stripped
    return sentence


def word_tokens(text: str, tools: LanguageTools) -> list[str]:
    """Lower-case, stemmed word tokens (letters and digits; punctuation dropped)."""
    return [tools.stem(word) for word in WORD.findall(text.lower())]


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def normalise_for_match(text: str) -> str:
    """Lower-case words separated by single spaces, for checking that a quote occurs in a source."""
    return " ".join(WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def clean_untrusted(text: str, max_chars: int) -> str:
    """Plain text from untrusted text (an LLM's answer): no markup, links, control characters; capped."""
    text = unicodedata.normalize("NFKC", text[: max_chars * 4])
    text = CONTROL.sub("", text)
    text = TAG.sub(" ", text)
    text = MD_LINK.sub(r"\1", text)
    text = URL.sub(" ", text)
    text = MARKUP_CHARS.sub(" ", text)
    text = " ".join(SPACES.sub(" ", text).split())
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
