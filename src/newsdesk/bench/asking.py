"""`newsdesk bench ask`: Ask on the demo corpus: the corpus's questions and newsdesk's own question set."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from newsdesk.ai import Passage, answer
from newsdesk.ai.ask import Embed
from newsdesk.demo.corpus import Corpus, load_corpus

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
QUESTION_SET = Path(__file__).parent / "data" / "ask_questions.json"


@dataclass(frozen=True)
class AskScore:
    questions: int
    right_article: int  # the first quote is from the article the question was written from
    quoted_article: int  # ... or one of the (up to three) quotes is
    right_event: int  # ... or from another report of the same event
    right_quote: int  # the first quote contains the sentence the question was written from
    unanswered: int
    seconds: float


@dataclass(frozen=True)
class SetScore:
    """newsdesk's own question set: answered right, declined right, and by group."""

    answerable: int
    right: int
    unanswerable: int
    declined: int
    groups: dict[str, tuple[int, int]]  # group: (right, asked)
    wrong: list[str]
    seconds: float

    @property
    def overall(self) -> float:
        return (self.right + self.declined) / max(1, self.answerable + self.unanswerable)


def corpus_passages(corpus: Corpus) -> list[Passage]:
    """Every corpus article as a passage (title, standfirst and body) of its event's story."""
    return [
        Passage(
            a.id,
            a.title,
            a.outlet,
            "\n".join([a.subtitle, *a.body]),
            NOW - timedelta(hours=a.hours_ago),
            a.lang,
            a.id if a.event.startswith("local") else a.event,  # the local bundles are one-report stories
        )
        for a in corpus.articles.values()
    ]


def score_questions(corpus: Corpus, passages: Sequence[Passage], embed: Embed | None) -> AskScore:
    """Answer every corpus question from ``passages`` and count how often the first quote is right."""
    article = quoted = event = quote = unanswered = 0
    started = time.perf_counter()
    for question in corpus.questions:
        result = answer(question.q, passages, embed=embed)
        if not result.found:
            unanswered += 1
            continue
        top = result.quotes[0]
        expected = corpus.articles[question.article]
        article += top.article_id == question.article
        quoted += any(q.article_id == question.article for q in result.quotes)
        found = corpus.articles.get(top.article_id)
        event += found is not None and found.event == expected.event
        quote += question.quote.lower() in top.sentence.lower()
    elapsed = time.perf_counter() - started
    return AskScore(len(corpus.questions), article, quoted, event, quote, unanswered, elapsed)


def load_question_set(path: Path = QUESTION_SET) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["questions"]
    return questions


def figures_free(text: str) -> str:
    """Lower-case text with the separators inside figures removed ("3.400" and "3,400" both read 3400)."""
    return re.sub(r"(?<=\d)[\s.,](?=\d)", "", text.lower())


def is_right(item: dict[str, Any], corpus: Corpus, quote_article: str, said: str) -> bool:
    """The first quote comes from the question's event and the answer holds one of the expected values."""
    found = corpus.articles.get(quote_article)
    if found is None or found.event != item["event"]:
        return False
    return any(figures_free(value) in figures_free(said) for value in item["answer"])


def question_groups(item: dict[str, Any], corpus: Corpus) -> list[str]:
    """The groups a question counts in: its language, cross-language, from a story page, unanswerable."""
    if item["event"] is None:
        return ["unanswerable"]
    groups = [f"asked in {item['lang']}"]
    languages = {a.lang for a in corpus.articles.values() if a.event == item["event"]}
    if item["lang"] not in languages or item["event"].startswith("local"):
        groups.append("cross-language or single-report")
    if item.get("scope"):
        groups.append("from a story page")
    return groups


def score_question_set(
    corpus: Corpus, passages: Sequence[Passage], embed: Embed | None, questions: Sequence[dict[str, Any]]
) -> SetScore:
    right = declined = 0
    groups: dict[str, list[int]] = {}
    wrong = []
    started = time.perf_counter()
    for item in questions:
        result = answer(item["q"], passages, embed=embed, scope=item.get("scope") or "")
        if item["event"] is None:
            ok = not result.found
            declined += ok
        else:
            said = result.quotes[0].sentence if result.found else ""
            ok = result.found and is_right(item, corpus, result.quotes[0].article_id, said)
            right += ok
        for group in question_groups(item, corpus):
            tally = groups.setdefault(group, [0, 0])
            tally[0] += ok
            tally[1] += 1
        if not ok:
            wrong.append(f"{item['q']} → {result.quotes[0].sentence if result.found else '(no answer)'}")
    answerable = sum(item["event"] is not None for item in questions)
    return SetScore(
        answerable,
        right,
        len(questions) - answerable,
        declined,
        {g: (t[0], t[1]) for g, t in groups.items()},
        wrong,
        time.perf_counter() - started,
    )


def embedding_function() -> Embed:
    """The multilingual sentence embedder, each text embedded once (questions share stories' sentences)."""
    from newsdesk.models import load_embedder

    embedder = load_embedder()
    cached: dict[str, tuple[float, ...]] = {}

    def embed(texts: list[str]) -> list[tuple[float, ...]]:
        missing = [t for t in dict.fromkeys(texts) if t not in cached]
        if missing:
            for text, vector in zip(missing, embedder.encode(missing), strict=True):
                cached[text] = tuple(float(x) for x in vector)
        return [cached[t] for t in texts]

    return embed


@click.command("ask")
@click.option("--no-embeddings", is_flag=True, help="Only the lexical ranking")
@click.option("--verbose", "-v", is_flag=True, help="List the questions answered wrongly")
def command(no_embeddings: bool, verbose: bool) -> None:
    """Answer the demo corpus's questions and newsdesk's own question set; report what is right."""
    corpus = load_corpus()
    passages = corpus_passages(corpus)
    runs: list[tuple[str, Embed | None]] = [("lexical (BM25)", None)]
    if not no_embeddings:
        click.echo("loading the embedding model…", err=True)
        runs.append(("BM25 + embeddings", embedding_function()))
    click.echo(
        "corpus questions — first quote from: the question's article, any quote, its event; the "
        "sentence itself; unanswered"
    )
    click.echo(
        f"{'ranking':<20} {'article':>8} {'quoted':>7} {'event':>6} {'quote':>6} {'none':>5} {'q/s':>6}"
    )
    for name, embed in runs:
        s = score_questions(corpus, passages, embed)
        click.echo(
            f"{name:<20} {s.right_article:>4}/{s.questions} {s.quoted_article:>7} {s.right_event:>6} "
            f"{s.right_quote:>6} {s.unanswered:>5} {s.questions / s.seconds:>6.1f}"
        )
    questions = load_question_set()
    click.echo(f"\nnewsdesk's question set ({len(questions)} questions, {QUESTION_SET.name})")
    for name, embed in runs:
        t = score_question_set(corpus, passages, embed, questions)
        click.echo(
            f"{name:<20} answered right {t.right}/{t.answerable}, declined {t.declined}/{t.unanswerable}, "
            f"overall {t.overall:.3f}, {len(questions) / t.seconds:.1f} q/s"
        )
        for group, (ok, asked) in sorted(t.groups.items()):
            click.echo(f"    {group:<34} {ok}/{asked}")
        if verbose:
            for line in t.wrong:
                click.echo(f"    ✗ {line[:220]}")
    sys.stdout.flush()
