"""The clusterer's settings: one set for every stream, tuned on uci.dev and the test streams."""

from __future__ import annotations

from dataclasses import dataclass

EMBED_BATCH = 64  # articles embedded at a time


@dataclass(frozen=True)
class ClusterSettings:
    """The clusterer's knobs; one set is used for every stream (tuned on uci.dev, checked on the rest)."""

    lead_words: int = 40  # body words after the title that are embedded and weighed
    embed_weight: float = 0.7  # share of the embedding cosine in a similarity (the rest is TF-IDF)
    join_threshold: float = 0.25  # an article joins its best story at or above this
    merge_threshold: float = 0.4  # two stories whose centroids reach this become one
    # An article's vectors can be widened with its nearest earlier articles at least `expand_floor`
    # similar: +0.01 BCubed on headlines, but it pulls same-town local stories together, so it is off.
    expand_neighbours: int = 0
    expand_floor: float = 0.3
    decay_per_day: float = 0.2  # similarity lost per day since a story's latest article ...
    decay_grace_hours: float = 12.0  # ... counted after this grace
    # Names (people, places, organisations, ships, firms) an article shares with a story, once it shares at
    # least `names_shared` distinct ones (one town is not enough): their share of the article's name weight
    # (rarer names weigh more) takes `name_relief` times that share of the decay away, so a follow-up days
    # later in another language that names its event still joins it, and adds `name_weight` times the
    # share to the power `name_power`: much when the story names all the article names (a firm's hiring plan
    # the afternoon of its results: the firm, its chief, its town), little once the article brings names of
    # its own (the same airline's new route to Lima the day after its strike).
    # Two stories that both name things merge only when they share `names_shared` name words or more.
    name_weight: float = 0.12
    name_power: float = 3.0
    name_relief: float = 0.8
    names_shared: int = 2
    # A story that names none of the names in the article's title scores this much less (a rival company's
    # results the same morning; uci.dev 0.827 -> 0.842).
    title_miss: float = 0.1
    fade_half_life_days: float = 2.0  # a story's embedding follows its newest reports (0: all weigh alike)
    centering: float = 1.0  # how much of the running mean embedding is taken off each vector (0: none)
    mean_rate: float = 0.002  # update rate of that running mean once warmed up
    mean_warmup: float = 20.0  # the mean is trusted n / (n + mean_warmup) after n embeddings
    window_days: float = 4.0  # articles and stories older than this leave memory (stories go dormant)
    max_clock_step_hours: float = 36.0  # a date further ahead than this of the stream clock is clamped
    related_name_weight: float = 0.1  # added to a related article's similarity times the share of names
    # the two have in common (as many as `names_shared` or more)
    related_floor: float = 0.15  # an article of another story this similar is "related" (demo: same sport,
    # a heist and an exhibition at the same museum; below it, mostly chance)
