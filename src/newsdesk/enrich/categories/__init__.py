"""Categories: an article's taxonomy label, from its text, its publisher's categories and the source."""

from newsdesk.enrich.categories.categories import (
    ArticleText,
    CategoryResult,
    classify,
    classify_many,
    model_text,
    rbf_features,
)
from newsdesk.enrich.categories.linear import SoftmaxModel, softmax, sparse_dot
from newsdesk.enrich.categories.taxonomy import AG_TO_GROUP, GROUPS, REFINEMENT, TAXONOMY, TAXONOMY_TO_AG
from newsdesk.enrich.categories.textfeatures import SparseRows, build_vocabulary, vectorise

__all__ = [
    "AG_TO_GROUP",
    "GROUPS",
    "REFINEMENT",
    "TAXONOMY",
    "TAXONOMY_TO_AG",
    "ArticleText",
    "CategoryResult",
    "SoftmaxModel",
    "SparseRows",
    "build_vocabulary",
    "classify",
    "classify_many",
    "model_text",
    "rbf_features",
    "softmax",
    "sparse_dot",
    "vectorise",
]
