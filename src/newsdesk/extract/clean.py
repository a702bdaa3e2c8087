"""Clean the body's blocks: kicker, headline and date lines before the text, credits, labels, promos."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.extract.blocks import Block
from newsdesk.extract.text import AUTHOR_PREFIX, count_words

SENTENCE_END = (".", "!", "?", "…", ":", '"', "”", "»", "。", "！", "？")
MAX_LABEL_WORDS = 6
MAX_LEAD_LINE_WORDS = 16
MAX_CREDIT_WORDS = 40
MAX_PROMO_WORDS = 60
PROMO_EDGE = (2, 4)  # promotions are looked for among the first 2 and the last 4 blocks
MONTHS = (
    r"jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar|rero)?|fév(?:rier)?|fev(?:ereiro)?|mar(?:ch|s|zo|ço)?|märz|"
    r"apr(?:il)?|abr(?:il)?|avr(?:il)?|ma[iy]o?|mai|jun[ieo]?|juin|jul[iy]o?|juil(?:let)?|aug(?:ust)?|ago(?:sto)?|"
    r"août|sep(?:t(?:ember|iembre|embre)?)?|set(?:embro)?|o[ck]t(?:ober|ubre|obre|ubro)?|nov(?:ember|iembre|embre|embro)?|"
    r"de[cz](?:ember|iembre|embre|embro)?|déc(?:embre)?"
)
DATE = re.compile(
    rf"\b(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}:\d{{2}}|"
    rf"(?:{MONTHS})\.?\s+\d{{1,2}}\b|\d{{1,2}}\.?\s+(?:de\s+)?(?:{MONTHS})\b)|"
    rf"\d{{1,2}}\s?月\s?\d{{1,2}}\s?日|\d{{1,2}}\s?時\s?\d{{1,2}}\s?分",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"contributed (?:to this (?:report|story|article)|reporting)|^(?:additional )?reporting by\b|"
    r"\bediting by\b|^(?:write|reach|email|contact) (?:to )?.{0,60}\b(?:at|@)|^source: |"
    r"^follow .{0,50}\b(?:on|at) (?:twitter|facebook|instagram|https?:)|^(?:more|follow)\b.{0,80}https?://",
    re.IGNORECASE,
)
PROMO = re.compile(
    r"(?:newsletter|inbox|letterbox).{0,80}(?:sign up|subscrib|deliver)|(?:sign up|subscrib|deliver).{0,80}"
    r"(?:newsletter|inbox|letterbox)|for your personal,? non-commercial use|an error has occurred",
    re.IGNORECASE,
)
# What forms, account boxes and consent banners say (en, de, fr, es, it, pt): never article text.
FORM_MESSAGE = re.compile(
    r"\b(?:(?:enter|confirm|forgot|reset) (?:your |a )?(?:password|e-?mail)|password must|valid e-?mail|"
    r"required field|already have an account|already registered|create an account to|create your account|"
    r"(?:log|sign) in to (?:your|comment|continue|read)|(?:we|this (?:site|website)) uses? cookies|"
    r"accept (?:all )?cookies|"
    r"passwort (?:vergessen|muss|eingeben|wiederholen|bestätigen)|ihr passwort ein|e-mail-adresse ein|"
    r"pflichtfeld|bereits (?:ein )?(?:konto|registriert)|jetzt registrieren|"
    r"melden sie sich (?:hier |jetzt )?an|"
    r"(?:wir verwenden|nutzt|verwendet) cookies|cookies? (?:akzeptieren|zu)|"
    r"mot de passe (?:oublié|doit)|votre mot de passe|adresse e-mail valide|champ obligatoire|"
    r"nous utilisons des cookies|(?:olvidaste|olvidó) (?:tu |su )?contraseña|contraseña debe|"
    r"correo electrónico válido|campo obligatorio|(?:utilizamos|usamos) cookies|inicia sesión|regístrate|"
    r"utilizziamo (?:i )?cookie|esqueceu (?:a |sua )?senha)",
    re.IGNORECASE,
)
MAX_FORM_MESSAGE_WORDS = 45
CODE_WORD = re.compile(r"^[a-z]+(?:-[a-z]+){2,}$")
LABELS = re.compile(
    r"^\W*(?:comments?|kommentare|comentarios|comentários|commentaires|tags|etiquetas|schlagworte|share|teilen|"
    r"compartir|print|text size|by|home|thank you|explore further|don.t miss|see more|most read|top stories|"
    r"partner news|related(?: stories| articles| content)?|advertisement|anzeige|publicidad)\W*$",
    re.IGNORECASE,
)


def drop_lead_labels(blocks: Sequence[Block]) -> list[Block]:
    """Remove what comes before the first paragraph: headings (kicker, headline, deck), labels, one date."""
    dates = 0
    for index, block in enumerate(blocks):
        if block.kind == "li":
            return list(blocks[index:])
        if block.kind != "h" and not is_label(block.text):
            if dates or not is_date_line(block.text):
                return list(blocks[index:])
            dates += 1
    return []


def is_label(text: str) -> bool:
    """A short line that is not a sentence: a section name, a byline, a date, a button."""
    text = text.strip()
    words = count_words(text)
    if AUTHOR_PREFIX.match(text) and words <= MAX_LEAD_LINE_WORDS:
        return True
    return words <= MAX_LABEL_WORDS and not text.endswith(SENTENCE_END)


def is_date_line(text: str) -> bool:
    """A short line that gives a date or time (a dateline above the text), not a sentence."""
    text = text.strip()
    return count_words(text) <= MAX_LEAD_LINE_WORDS and not text.endswith(".") and bool(DATE.search(text))


def drop_furniture(blocks: Sequence[Block]) -> list[Block]:
    """Remove credit lines, page labels, code words, form and cookie messages, and (near the start or the
    end) newsletter promotions."""
    kept = []
    for index, block in enumerate(blocks):
        text, words = block.text.strip(), count_words(block.text)
        near_edge = index < PROMO_EDGE[0] or index >= len(blocks) - PROMO_EDGE[1]
        if (
            (words <= MAX_CREDIT_WORDS and CREDIT.search(text))
            or LABELS.match(text)
            or CODE_WORD.match(text)
            or (near_edge and words <= MAX_PROMO_WORDS and PROMO.search(text))
            or (words <= MAX_FORM_MESSAGE_WORDS and FORM_MESSAGE.search(text))
        ):
            continue
        kept.append(block)
    return kept
