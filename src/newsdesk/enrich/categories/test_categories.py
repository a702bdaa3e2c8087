"""Category classifier: evaluation floors on AG News and the demo corpus, feed evidence, bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsdesk.bench.classification import load_gold, score, to_ag, to_ag_group
from newsdesk.cli.classify_cmd import command as classify_command
from newsdesk.demo.corpus import load_corpus
from newsdesk.enrich.categories import categories
from newsdesk.enrich.categories.categories import (
    ArticleText,
    classify,
    classify_many,
    combine_experts,
    load_model,
    supported,
)
from newsdesk.enrich.categories.taxonomy import GENERAL, TAXONOMY
from newsdesk.testing.services import skip_or_fail

BENCH = Path(__file__).resolve().parents[4] / ".." / "shared" / "bench" / "categories"
FLOOR = json.loads((Path(__file__).parent / "categories_floor.json").read_text("utf-8"))
CORPUS = load_corpus()


@pytest.fixture(scope="module")
def dev_subset() -> list:  # type: ignore[type-arg]
    path = BENCH / "agnews.dev.jsonl"
    if not path.is_file():
        skip_or_fail(f"benchmark data not found at {path}")
    return load_gold(path, FLOOR["agnews_dev_rows"])


def test_accuracy_on_a_fixed_agnews_dev_subset_stays_above_the_floor(dev_subset: list) -> None:  # type: ignore[type-arg]
    results = classify_many([ArticleText(item.title, item.text) for item in dev_subset])
    predicted = {item.id: to_ag(r.label) for item, r in zip(dev_subset, results, strict=True)}
    scores = score({item.id: item.label for item in dev_subset}, predicted)
    assert scores.accuracy >= FLOOR["agnews_dev_accuracy"]


@pytest.mark.parametrize(("with_sections", "key"), [(False, "demo_text_only"), (True, "demo_with_sections")])
def test_demo_corpus_categories_stay_above_the_floor(with_sections: bool, key: str) -> None:
    articles = list(CORPUS.articles.values())
    results = classify_many(
        [ArticleText(a.title, "\n\n".join(a.body), (a.section,) if with_sections else ()) for a in articles]
    )
    right = sum(r.label == a.category for r, a in zip(results, articles, strict=True))
    assert right / len(articles) >= FLOOR[key]


def test_german_and_spanish_sports_articles_are_sports_from_their_text_alone() -> None:
    for lang in ("de", "es"):
        article = next(a for a in CORPUS.articles.values() if a.lang == lang and a.category == "sports")
        assert classify(article.title, "\n\n".join(article.body)).label == "sports"


def test_the_fine_tuned_e5_reads_articles_in_every_language(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []

    def record(texts: list[str]) -> np.ndarray:
        read.extend(texts)
        return np.zeros((len(texts), 4))

    monkeypatch.setattr(categories, "category_logits", record)
    classify_many([ArticleText("Der Bundestag stimmt ab", "Die Abgeordneten stimmten am Donnerstag ab.")])
    classify_many([ArticleText("El Madrid gana", "El Real Madrid ganó 3-1 al Barcelona.")])
    texts = [t for t in read if t.strip()]  # each batch also reads an empty text (``supported``)
    assert len(texts) == 2 and "Bundestag" in texts[0] and "Madrid" in texts[1]


def test_a_publishers_category_is_strong_evidence() -> None:
    text = "The club announced the decision on Tuesday after a long meeting."
    assert classify("Decision announced", text, feed_categories=["Deportes"]).label == "sports"
    assert classify("Decision announced", text, feed_categories=["Wirtschaft"]).label == "business"


@pytest.mark.parametrize(
    ("title", "text", "feed", "default", "expected"),
    [
        ("", "", (), None, ("general", 0.0, "none")),
        ("", "", (), "science", ("science", 0.0, "default")),
        ("", "   ", ("Deportes",), "science", ("sports", 1.0, "feed")),
        ("2024", "12 345 678 — 3.5 %", (), "health", ("health", 0.0, "default")),
        ("", "", ("Köln",), "not-a-label", ("general", 0.0, "none")),
    ],
)
def test_articles_without_text_get_a_clear_answer(
    title: str, text: str, feed: tuple[str, ...], default: str | None, expected: tuple[str, float, str]
) -> None:
    result = classify(title, text, feed, default)
    assert (result.label, result.confidence, result.method) == expected


def test_odd_texts_get_a_label_of_the_taxonomy_quickly() -> None:
    started = time.monotonic()
    odd = [
        ArticleText("Bourse", "Die Börse stieg. La bolsa subió. Stocks rose. " * 20),
        ArticleText("ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏕᎶᏆᏍᏗ " * 50),
        ArticleText("Long", "The central bank raised interest rates again. " * 25_000),
        ArticleText("word", ""),
        ArticleText("Shares \ud800 fell", "Stocks fell sharply #55296; on Tuesday \udfff as banks slid."),
    ]
    results = classify_many(odd)
    assert all(r.label in (*TAXONOMY, GENERAL) and 0.0 <= r.confidence <= 1.0 for r in results)
    assert results[0].label == "business"
    assert results[2].label == "business"
    assert results[4].label == "business"  # lone surrogates (one from an entity remnant) are dropped
    assert time.monotonic() - started < 20


def test_the_model_file_is_small_and_records_how_it_was_trained() -> None:
    model = load_model()
    meta = json.loads(model.meta)
    assert meta["rows"] == 5558 and meta["cv_accuracy"] > 0.85
    assert (Path(__file__).parent / "models" / "categories.npz").stat().st_size < 5_000_000


def test_the_classify_command_writes_one_label_per_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "title": "Striker scores twice as United win the derby", "text": "The match ended 2-1."},
        {"id": 7, "title": None, "text": ""},
        {"id": "c", "title": "Sitzung", "text": "", "categories": ["Wirtschaft"]},
    ]
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(classify_command, ["--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["id"], r["label"]) for r in rows] == [("a", "sports"), (7, "general"), ("c", "business")]


def test_the_classify_command_names_a_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "title": "x", "text": "y"}\n{not json\n', "utf-8")
    result = CliRunner().invoke(classify_command, ["--input", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and "in.jsonl:2" in result.output


def test_the_bench_metric_matches_the_reference_scorer() -> None:
    gold = {"1": "World", "2": "World", "3": "Sports", "4": "Business"}
    predicted: dict[str, str | None] = {"1": "World", "2": "Sports", "3": "Sports", "4": None}
    scores = score(gold, predicted)
    assert scores.accuracy == 0.5
    assert round(scores.per_class["World"].f1, 4) == 0.6667
    assert round(scores.macro_f1, 4) == round((2 / 3 + 2 / 3 + 0) / 3, 4)


def test_restricting_to_ag_classes_uses_the_group_a_label_was_refined_from() -> None:
    assert to_ag_group("entertainment") == "World" and to_ag("entertainment") is None
    assert to_ag_group("health") == to_ag("health") == "Sci/Tech"
    assert to_ag_group("politics") == "World" and to_ag_group("sports") == "Sports"
    assert to_ag_group("general") is None


def test_e5_multiplies_the_use_models_probabilities() -> None:
    base = np.array([[0.5, 0.2, 0.2, 0.1]])
    assert np.allclose(combine_experts(base, np.zeros((1, 4))), base)  # an undecided e5 changes nothing
    sure = combine_experts(base, np.log(np.array([[0.1, 0.1, 0.7, 0.1]])))
    assert np.allclose(sure, np.array([[0.05, 0.02, 0.14, 0.01]]) / 0.22)
    assert np.isclose(sure.sum(), 1.0) and sure.argmax() == 2


def test_a_group_the_text_gives_no_evidence_for_is_passed_over_unless_the_publisher_names_it() -> None:
    groups = np.array([0.38, 0.04, 0.13, 0.45])  # world, sports, business, technology
    nothing = np.array([0.16, 0.02, 0.21, 0.61])  # what the models give a text with nothing in it
    assert supported(groups, nothing, [None]) == {"world", "politics", "entertainment", "sports"}
    assert "technology" in supported(groups, nothing, ["technology", None])
    assert "health" in supported(groups, nothing, [None, "health"])  # a source default is evidence too
    assert len(supported(nothing, nothing, [])) == len(TAXONOMY)  # as likely as for nothing: all kept


def test_local_stories_are_not_filed_under_technology_for_the_models_lean() -> None:
    local = [a for a in CORPUS.articles.values() if "water main" in a.title or "Punggol" in a.title]
    results = classify_many([ArticleText(a.title, "\n\n".join(a.body)) for a in local])
    assert len(local) == 2 and [r.label for r in results] == ["world", "world"]  # technology before
    assert all(round(r.scores[r.label], 4) == r.confidence for r in results)
