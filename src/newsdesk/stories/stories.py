"""Online story clustering: each arriving article joins a story or opens one; copies link to originals."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

from newsdesk.models import Embedder, Vectors, normalise_rows
from newsdesk.stories.adopt import Placement, adopt_many
from newsdesk.stories.centroids import Story, StoryIndex
from newsdesk.stories.dedup import CopyIndex, CopyMatch, Fingerprint, fingerprint_body
from newsdesk.stories.lexical import OnlineIdf, SparseVector, add_scaled, normalise_sparse, tfidf_vector
from newsdesk.stories.model import Assignment, RelatedArticle, StoryArticle, StoryOverview
from newsdesk.stories.names import Name, article_names, distinct_names, name_words, repeated_names
from newsdesk.stories.settings import EMBED_BATCH, ClusterSettings
from newsdesk.stories.text import lead_text, word_tokens
from newsdesk.stories.window import ArticleWindow, WindowItem

MAX_TEXT_CHARS = 200_000  # longer bodies are cut: the lead decides the story, the start proves a copy
# One BLAS thread: the per-article products are small, and threads fighting over two busy cores made
# each one ~100 times slower. Found once per process, applied around each batch.
BLAS = ThreadpoolController()


@dataclass(frozen=True)
class Prepared:
    """An article with its features computed (what `assign` needs, batched for embedding)."""

    article: StoryArticle
    published: datetime
    tokens: list[str]
    embedding: Vectors
    fingerprint: Fingerprint
    names: tuple[Name, ...]  # the names of its title and lead, in order
    title_names: tuple[Name, ...]


def story_id_for(article_id: str) -> str:
    """A story's id: stable, 32 lowercase hex digits, derived from the article that opened it."""
    return hashlib.blake2b(article_id.encode("utf-8"), digest_size=16).hexdigest()


def embedding_text(article: StoryArticle, lead_words: int) -> str:
    """The text embedded and weighed for an article: its title and the start of its body."""
    return lead_text(article.title, article.text[:MAX_TEXT_CHARS], lead_words)


class StoryClusterer:
    """Assigns articles to stories as they arrive, keeping only a time window of articles in memory."""

    def __init__(self, embedder: Embedder, settings: ClusterSettings | None = None) -> None:
        self.embedder = embedder
        self.settings = settings or ClusterSettings()
        self.idf = OnlineIdf()
        self.window = ArticleWindow(embedder.dim)
        self.stories = StoryIndex(embedder.dim)
        self.copies = CopyIndex()
        self.aliases: dict[str, str] = {}
        self.clock: datetime | None = None
        self.mean = np.zeros(embedder.dim, dtype=np.float32)
        self.embedded = 0
        self.known_names: dict[str, datetime] = {}  # names in reports of languages that capitalise only names

    # ----- assigning -----
    def assign(self, article: StoryArticle) -> Assignment:
        """Assign one article (see `assign_many`)."""
        return self.assign_many([article])[0]

    def assign_many(self, articles: Sequence[StoryArticle]) -> list[Assignment]:
        """Assign articles in arrival order; embeddings are computed in batches, decisions one by one."""
        out: list[Assignment] = []
        with BLAS.limit(limits=1, user_api="blas"):
            for start in range(0, len(articles), EMBED_BATCH):
                batch = articles[start : start + EMBED_BATCH]
                out.extend(self._assign_prepared(p) for p in self.prepare(batch))
        return out

    def prepare(self, articles: Sequence[StoryArticle]) -> list[Prepared]:
        """Compute the features of a batch of articles (one embedding call)."""
        texts = [embedding_text(a, self.settings.lead_words) for a in articles]
        vectors = self.center(self.embedder.encode(texts))
        return [
            self._prepare_one(a, text, vectors[i])
            for i, (a, text) in enumerate(zip(articles, texts, strict=True))
        ]

    def _prepare_one(self, article: StoryArticle, text: str, embedding: Vectors) -> Prepared:
        body = article.text[:MAX_TEXT_CHARS]
        title_names, lead_names = article_names(article.title, body, article.language)
        return Prepared(
            article=article,
            published=self._stamp(article.published),
            tokens=word_tokens(text),
            embedding=embedding,
            fingerprint=fingerprint_body(body, article.content_hash),
            names=(*title_names, *lead_names),
            title_names=repeated_names(title_names, lead_names),
        )

    def center(self, vectors: Vectors) -> Vectors:
        """Subtract the running mean embedding (updated by these vectors) and renormalise.

        Sentence embeddings share a common direction; without removing it, a large story's centroid
        drifts toward "news in general" and ends up close to every article.
        """
        if self.settings.centering <= 0:
            return vectors
        out = vectors.copy()
        for row, vector in enumerate(vectors):
            if not vector.any():
                continue
            self.embedded += 1
            rate = max(1.0 / self.embedded, self.settings.mean_rate)
            self.mean += rate * (vector - self.mean)
            trust = self.embedded / (self.embedded + self.settings.mean_warmup)  # few vectors: a noisy mean
            out[row] = vector - self.settings.centering * trust * self.mean
        return normalise_rows(out)

    def _assign_prepared(self, prepared: Prepared) -> Assignment:
        article = prepared.article
        known = self.window.items.get(article.id)
        if known is not None:  # the same article again: same answer, nothing changes
            return Assignment(article.id, self.resolve(known.story_id), False, known.duplicate_of)
        prepared = self.settle(prepared)
        terms = tfidf_vector(prepared.tokens, self.idf)
        match = self.copies.find(prepared.fingerprint)
        if match is not None:
            return self._add_copy(prepared, terms, match)
        return self._add_report(prepared, terms)

    def settle(self, prepared: Prepared) -> Prepared:
        """Move the clock to the article and count its words and names (before it is placed)."""
        self._advance(prepared.published)
        prepared = self._settle_names(prepared)
        self.idf.add(prepared.tokens)
        return prepared

    def adopt_many(self, articles: Sequence[StoryArticle], placements: Sequence[Placement]) -> None:
        """Place articles where another process put them (see `newsdesk.stories.adopt`)."""
        adopt_many(self, articles, placements)

    def _add_report(self, prepared: Prepared, terms: SparseVector) -> Assignment:
        embedding, wide_terms = self._expand(prepared.embedding, terms)
        best = self._best_story(embedding, wide_terms, prepared, prepared.published)
        is_new = best is None
        story = best or self._open_story(prepared)
        self.add_member(story, prepared, terms, duplicate_of=None)
        merged = self._merge_similar(story, prepared.published)
        return Assignment(prepared.article.id, self.resolve(story.id), is_new, None, merged)

    def _add_copy(self, prepared: Prepared, terms: SparseVector, match: CopyMatch) -> Assignment:
        original = self.window.items[match.article_id]
        canonical = original.duplicate_of or original.id
        story = self.stories.stories.get(self.resolve(original.story_id))
        if story is None:  # its story went dormant while the copy was in the window: report on its own
            return self._add_report(prepared, terms)
        first = self.window.items.get(canonical)
        if first is not None and _better_original(prepared, first):
            self.add_member(story, prepared, terms, duplicate_of=None, count_vectors=False)
            relinked = self._relink_copies(canonical, prepared.article.id)
            return Assignment(prepared.article.id, story.id, False, None, relinked=relinked)
        self.add_member(story, prepared, terms, duplicate_of=canonical)
        return Assignment(prepared.article.id, story.id, False, canonical)

    def _relink_copies(self, old: str, new: str) -> tuple[str, ...]:
        """Make `old` and its copies copies of `new` (an earlier or agency-crediting version arrived)."""
        relinked = [i for i in self.window.items.values() if i.id == old or i.duplicate_of == old]
        for item in relinked:
            item.duplicate_of = new
        return tuple(sorted(i.id for i in relinked))

    # ----- the pieces -----
    def _stamp(self, published: datetime | None) -> datetime:
        """The article's time: its date, or the stream clock when it has none or it lies too far ahead."""
        if published is not None and published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        if self.clock is None:
            return published or datetime.now(UTC)
        if published is None:
            return self.clock
        return min(published, self.clock + timedelta(hours=self.settings.max_clock_step_hours))

    def _advance(self, published: datetime) -> None:
        """Move the stream clock forward and let old articles and stories leave memory."""
        if self.clock is not None and published <= self.clock:
            return
        self.clock = published
        horizon = published - timedelta(days=self.settings.window_days)
        for item in [i for i in self.window.items.values() if i.published < horizon]:
            self.window.remove(item.id)
            self.copies.remove(item.id)
        for story in [s for s in self.stories.stories.values() if s.last_seen < horizon]:
            self._retire(story)
        self.known_names = {n: t for n, t in self.known_names.items() if t >= horizon}

    def _retire(self, story: Story) -> None:
        """A story goes dormant: out of memory, with its aliases."""
        self.stories.drop(story)
        for alias in story.aliases:
            self.aliases.pop(alias, None)

    def _settle_names(self, prepared: Prepared) -> Prepared:
        """Keep a German report's capitalised words that other languages' reports name (German capitalises
        every noun); remember the names of every report, so a name German reports keep using stays known."""
        if prepared.article.language == "de":
            prepared = replace(
                prepared,
                names=self._known(prepared.names),
                title_names=self._known(prepared.title_names),
            )
        for word in name_words(prepared.names):
            self.known_names[word] = prepared.published
        return prepared

    def _known(self, names: Sequence[Name]) -> tuple[Name, ...]:
        kept = (tuple(w for w in name if w in self.known_names) for name in names)
        return tuple(name for name in kept if name)

    def _expand(self, embedding: Vectors, terms: SparseVector) -> tuple[Vectors, SparseVector]:
        """Widen the article's vectors with its nearest earlier articles (helps short headlines)."""
        s = self.settings
        near = self.window.nearest(embedding, terms, s.embed_weight, s.expand_neighbours, s.expand_floor)
        if not near:
            return embedding, terms
        mean = np.mean([self.window.embedding(i) for i, _ in near], axis=0)
        wide: SparseVector = dict(terms)
        for article_id, _ in near:
            add_scaled(wide, self.window.items[article_id].terms, 1.0 / len(near))
        return normalise_rows((embedding + mean)[None, :])[0], normalise_sparse(wide)

    def _best_story(
        self, embedding: Vectors, terms: SparseVector, prepared: Prepared, now: datetime
    ) -> Story | None:
        """The story the article should join, or None when none is similar enough."""
        s = self.settings
        decay = self.stories.decay_by_row(now, s.decay_per_day, s.decay_grace_hours / 24.0)
        scores = self.stories.score(embedding, terms, s.embed_weight, decay)
        shares = self.stories.name_shares(distinct_names(prepared.names), self.idf.weight, s.names_shared)
        for story_id, share in shares.items():
            row = self.stories.stories[story_id].row
            relief = min(1.0, s.name_relief * share)
            scores[story_id] += s.name_weight * share**s.name_power + relief * float(decay[row])
        if s.title_miss > 0.0 and prepared.title_names:
            titled = self.stories.name_shares(distinct_names(prepared.title_names), self.idf.weight, 1)
            for story_id in scores:
                if story_id not in titled:
                    scores[story_id] -= s.title_miss
        if not scores:
            return None
        story_id = max(scores, key=lambda k: scores[k])
        return self.stories.stories[story_id] if scores[story_id] >= s.join_threshold else None

    def _open_story(self, prepared: Prepared) -> Story:
        story_id = story_id_for(prepared.article.id)
        return self.stories.create(story_id, prepared.article.title, prepared.published)

    def add_member(
        self,
        story: Story,
        prepared: Prepared,
        terms: SparseVector,
        duplicate_of: str | None,
        count_vectors: bool = True,
    ) -> None:
        """Make the article a member of the story (a copy's vectors are not counted)."""
        article = prepared.article
        if duplicate_of is None and count_vectors:  # copies neither move the centroid nor count as reports
            self._fade(story, prepared.published)
            self.stories.add_vectors(story, prepared.embedding, terms)
            self.stories.add_names(story, name_words(prepared.names))
        story.articles += 1
        story.members.add(article.id)
        story.first_seen = min(story.first_seen, prepared.published)
        story.last_seen = max(story.last_seen, prepared.published)
        item = WindowItem(
            article.id,
            story.id,
            article.title,
            article.source,
            article.language,
            prepared.published,
            duplicate_of,
            prepared.fingerprint,
            terms,
            article.agency,
            row=-1,
            names=tuple(distinct_names(prepared.names)),
        )
        self.window.add(item, prepared.embedding)
        self.copies.add(article.id, prepared.fingerprint)

    def _fade(self, story: Story, published: datetime) -> None:
        """Let a story's older reports weigh less as a newer one arrives (its representation follows it)."""
        half_life = self.settings.fade_half_life_days
        days = (published - story.last_seen).total_seconds() / 86_400.0
        if half_life > 0.0 and days > 0.0 and story.articles:
            self.stories.fade(story, 0.5 ** (days / half_life))

    def _merge_similar(self, story: Story, now: datetime) -> tuple[str, ...]:
        """Merge stories whose centroid now matches `story`'s; the larger (then older) story's id survives."""
        s = self.settings
        decay = self.stories.decay_by_row(now, s.decay_per_day, s.decay_grace_hours / 24.0)
        scores = self.stories.score(self.stories.centroid(story), story.terms_unit(), s.embed_weight, decay)
        scores.pop(story.id, None)
        merged: list[str] = []
        for other_id in [k for k, v in scores.items() if v >= s.merge_threshold]:
            other = self.stories.stories[other_id]
            if names_apart(story, other, s.names_shared):
                continue
            survivor, gone = (story, other) if _outranks(story, other) else (other, story)
            self.fold(survivor, gone)
            merged.append(gone.id)
            story = survivor
        return tuple(merged)

    def fold(self, survivor: Story, gone: Story) -> None:
        """Merge `gone` into `survivor`: its members, vectors and names; its id becomes an alias."""
        for member in gone.members:
            item = self.window.items.get(member)
            if item is not None:
                item.story_id = survivor.id
        self.stories.absorb(survivor, gone)
        for alias in survivor.aliases:
            self.aliases[alias] = survivor.id

    # ----- looking up -----
    def resolve(self, story_id: str) -> str:
        """The current id of a story (a merged story's id resolves to the story it joined)."""
        return self.aliases.get(story_id, story_id)

    def summary(self, story_id: str) -> StoryOverview | None:
        """Title, times, counts, sources and languages of an active story (None if unknown or dormant)."""
        story = self.stories.stories.get(self.resolve(story_id))
        if story is None:
            return None
        items = [self.window.items[m] for m in story.members if m in self.window.items]
        return StoryOverview(
            story_id=story.id,
            title=self._representative_title(story, items),
            first_seen=story.first_seen,
            last_seen=story.last_seen,
            articles=story.articles,
            distinct_reports=sum(1 for i in items if i.duplicate_of is None),
            sources=tuple(sorted({i.source for i in items if i.source})),
            languages=tuple(
                lang for lang, _ in Counter(i.language for i in items if i.language).most_common()
            ),
        )

    def active_stories(self) -> list[str]:
        """Ids of the stories in memory."""
        return list(self.stories.stories)

    def _representative_title(self, story: Story, items: Iterable[WindowItem]) -> str:
        """The title of the original report closest to the story's centroid."""
        originals = [i for i in items if i.duplicate_of is None and i.title]
        if not originals:
            return story.title
        centroid = self.stories.centroid(story)
        return max(originals, key=lambda i: float(self.window.embedding(i.id) @ centroid)).title

    def story_articles(self, story_id: str) -> list[RelatedArticle]:
        """The window's articles of a story, oldest first, with their similarity to the story."""
        from newsdesk.stories.related import story_members

        return story_members(self, self.resolve(story_id))

    def related(self, article_id: str, limit: int = 5) -> list[RelatedArticle]:
        """The nearest articles of other stories (one per story), `related_floor` similar or more."""
        from newsdesk.stories.related import nearest_other_stories

        found = nearest_other_stories(self, article_id, limit)
        return [r for r in found if r.similarity >= self.settings.related_floor]


def _better_original(new: Prepared, current: WindowItem) -> bool:
    """Whether a newly arrived copy should be the original: it credits the agency, or it is earlier."""
    credits, current_credits = bool(new.article.agency), bool(current.agency)
    if credits != current_credits:
        return credits
    return new.published < current.published


def names_apart(a: Story, b: Story, least: int) -> bool:
    """Whether two stories that both name things share fewer than `least` name words: alike in meaning but
    not one event (a trawler sinking off the island where a ferry capsized days before)."""
    return bool(a.names) and bool(b.names) and len(a.names.keys() & b.names.keys()) < least


def _outranks(a: Story, b: Story) -> bool:
    """Whether story a survives a merge with b: more articles, then older, then smaller id."""
    return (a.articles, b.first_seen, b.id) > (b.articles, a.first_seen, a.id)
