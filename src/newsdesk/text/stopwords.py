"""Stop words: each language's full list (``stop_words``) and the shorter lists summaries and stories use."""

from __future__ import annotations

from newsdesk.text.lexicon import stop_words


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of a literal list."""
    return frozenset(text.split())


# Facts and entities read ``stop_words`` (the lexicon's stop.LANG.txt). The ai stage (summaries, ask) and the
# stories stage (lexical similarity) were tuned on the shorter lists below; reading the full lists (plus the
# few words only these lists have) moves their benchmarks (summaries: ROUGE-1 31.69 -> 31.60 on cnn.dev; ask:
# 29 -> 30 of 48 first quotes from the right article; clustering: BCubed F1 0.8270 -> 0.8274 on uci.dev), so
# they stay apart until a change of those numbers is wanted.
SUMMARY_STOP_WORDS: dict[str, frozenset[str]] = {
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

STORY_LISTS = {
    "en": """a an the of to in on for and or but with at by from as is are was were be been being it its this
    that these those his her their our your my he she they we you i not no will would can could should may
    might has have had do does did about after before over under up down out into than then so if when what
    who how why where which new says said say via more most just also all any some one two s t vs amid its
    here there now get gets got why while would just because against during off again only own same too very
    them him us me""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber mit auf in im ins an am
    zu zum zur von vom für bei aus nach ist sind war waren wird werden wurde wurden hat haben hatte sich
    nicht kein keine auch als wie so dass daß es er sie wir ihr ich du sein seine ihre ihren noch nur schon
    über unter vor durch gegen um bis seit mehr sehr dieser diese dieses jetzt heute""",
    "es": """el la los las un una unos unas y o pero con en de del al a por para desde hasta es son fue
    fueron ser ha han había se su sus lo le les que como más muy no ni también ya este esta estos estas ese
    esa sobre entre tras según sin hoy""",
}
STORY_STOP_WORDS = frozenset(word for words in STORY_LISTS.values() for word in words.split())


__all__ = ["STORY_STOP_WORDS", "SUMMARY_STOP_WORDS", "stop_words", "word_set"]
