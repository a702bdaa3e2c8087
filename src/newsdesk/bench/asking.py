"""`newsdesk bench ask`: the demo corpus's questions, answered offline, with and without embeddings."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click

from newsdesk.ai import Passage, answer
from newsdesk.ai.ask import Embed
from newsdesk.demo.corpus import Corpus, load_corpus

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@dataclass(frozen=True)
class AskScore:
    questions: int
    right_article: int  # the first quote is from the article the question was written from
    quoted_article: int  # ... or one of the (up to three) quotes is
    right_event: int  # ... or from another report of the same event
    right_quote: int  # the first quote contains the sentence the question was written from
    unanswered: int
    seconds: float


def corpus_passages(corpus: Corpus) -> list[Passage]:
    """Every corpus article as a passage (title, standfirst and body), as the store would hold it."""
    return [
        Passage(
            a.id,
            a.title,
            a.outlet,
            "\n".join([a.subtitle, *a.body]),
            NOW - timedelta(hours=a.hours_ago),
            a.lang,
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


def embedding_function() -> Embed:
    from newsdesk.models import load_embedder

    embedder = load_embedder()
    return lambda texts: [list(map(float, row)) for row in embedder.encode(texts)]


@click.command("ask")
@click.option("--no-embeddings", is_flag=True, help="Only the lexical ranking")
def command(no_embeddings: bool) -> None:
    """Answer the demo corpus's questions and report how often the first quote comes from the right place."""
    corpus = load_corpus()
    passages = corpus_passages(corpus)
    runs: list[tuple[str, Embed | None]] = [("lexical (BM25)", None)]
    if not no_embeddings:
        click.echo("loading the embedding model…", err=True)
        runs.append(("BM25 + embeddings", embedding_function()))
    click.echo(
        "first quote from: the question's article, any quote from it, its event; the sentence itself; "
        "unanswered"
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
    sys.stdout.flush()
