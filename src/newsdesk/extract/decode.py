"""Turn page bytes into bounded HTML text: refuse binary data, pick the charset, drop scripts, cap size."""

from __future__ import annotations

import codecs
import re

MAX_PAGE_BYTES = 32_000_000  # read at most this much of a page
MAX_HTML_CHARS = 1_000_000  # parse at most this much markup once scripts and styles are gone
SNIFF_BYTES = 4096
DETECT_SAMPLE = 65_536
CHAOS_TIE = 0.01
BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"%!PS",
    b"OggS",
    b"ID3",
    b"RIFF",
    b"\x7fELF",
    b"BZh",
    b"7z\xbc\xaf",
    b"wOFF",
    b"wOF2",
)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})""", re.I)
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{2,40})""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9._-]{2,40})""", re.I)
# What browsers actually use for some declared names (WHATWG Encoding Standard).
CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "sjis": "shift_jis",
    "windows-31j": "cp932",
}
OPENING_SCRIPT = re.compile(r"<(script|style|svg|template)\b([^>]*)>|<!--", re.IGNORECASE)
CLOSING_TAGS = {
    tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in ("script", "style", "svg", "template")
}
KEPT_SCRIPT_TYPE = re.compile(r"""type\s*=\s*["']?application/(?:ld\+json|json)""", re.IGNORECASE)


class NotHtmlError(ValueError):
    """The bytes are not an HTML page (binary data, JSON, nothing at all)."""


def decode_page(page: bytes, content_type: str = "") -> str:
    """Decode page bytes: byte-order mark, valid UTF-8, the HTTP header's or the page's charset, detection."""
    page = page[:MAX_PAGE_BYTES]
    refuse_binary(page)
    for bom, encoding in BOMS:
        if page.startswith(bom):
            return page[len(bom) :].decode(encoding, errors="replace")
    utf8 = _as_utf8(page)
    if utf8 is not None:
        return utf8
    for declared in (header_charset(content_type), declared_charset(page[:SNIFF_BYTES])):
        if declared:
            try:
                return page.decode(declared)
            except UnicodeDecodeError:
                continue
    return page.decode(detect_charset(page), errors="replace")


def refuse_binary(page: bytes) -> None:
    """Raise NotHtmlError for empty pages and for bytes that are a known binary format or hold NULs."""
    head = page[:SNIFF_BYTES].lstrip()
    if not head:
        raise NotHtmlError("not an HTML page: it is empty")
    if head.startswith(BINARY_SIGNATURES):
        raise NotHtmlError("not an HTML page: binary content")
    if b"\x00" in head and not page.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotHtmlError("not an HTML page: binary content")


def _as_utf8(page: bytes) -> str | None:
    """The page as UTF-8 when it is valid UTF-8 (a sequence cut at the very end is forgiven)."""
    try:
        return page.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(page) - 3:
            return page.decode("utf-8", errors="replace")
        return None


def header_charset(content_type: str) -> str:
    """The charset parameter of a Content-Type header, if Python knows it; '' otherwise."""
    match = HEADER_CHARSET.search(content_type)
    return _known_charset(match.group(1)) if match else ""


def declared_charset(head: bytes) -> str:
    """The charset a <meta> tag or XML declaration names, if Python knows it; '' otherwise."""
    match = DECLARED_CHARSET.search(head) or XML_ENCODING.search(head)
    return _known_charset(match.group(1).decode("ascii", errors="ignore")) if match else ""


def _known_charset(name: str) -> str:
    name = name.strip().strip("\"'").lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return ""
    return "" if codec.startswith("utf-16") or codec.startswith("utf-32") else codec


def detect_charset(page: bytes) -> str:
    """Guess the charset from a sample of the bytes (windows-1252 among equal guesses, or by default)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(page[:DETECT_SAMPLE]))
    if not matches:
        return "cp1252"
    least_chaos = min(match.chaos for match in matches)
    names = [_codec_name(m.encoding) for m in matches if m.chaos <= least_chaos + CHAOS_TIE]
    return "cp1252" if "cp1252" in names else next((n for n in names if n), "cp1252")


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return ""


def strip_scripts(html: str) -> str:
    """Remove comments, scripts, styles, SVG and templates (keeping JSON data scripts), in one linear pass."""
    parts: list[str] = []
    position = 0
    while (match := OPENING_SCRIPT.search(html, position)) is not None:
        parts.append(html[position : match.start()])
        end = _element_end(html, (match.group(1) or "").lower(), match.end())
        if end < 0:
            return "".join(parts)
        if match.group(1) and KEPT_SCRIPT_TYPE.search(match.group(2) or ""):
            parts.append(html[match.start() : end])
        position = end
    parts.append(html[position:])
    return "".join(parts)


def _element_end(html: str, tag: str, start: int) -> int:
    """Index just past the end of the comment (no tag) or of the element ``tag`` opened before ``start``."""
    if not tag:
        end = html.find("-->", start)
        return end + 3 if end >= 0 else -1
    closing = CLOSING_TAGS[tag].search(html, start)
    return closing.end() if closing else -1


def bound_html(html: str) -> str:
    """The markup to parse: scripts and styles removed, cut at a tag boundary below MAX_HTML_CHARS."""
    html = strip_scripts(html)
    if len(html) <= MAX_HTML_CHARS:
        return html
    cut = html.rfind("<", 0, MAX_HTML_CHARS)
    return html[: cut if cut > 0 else MAX_HTML_CHARS]
