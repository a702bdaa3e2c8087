"""Extract stage: clean article text and metadata from HTML."""

from newsdesk.extract.blocks import Block
from newsdesk.extract.extract import ExtractedArticle, Hints, extract_article
from newsdesk.extract.html import ExtractionError
from newsdesk.extract.images import FigureImage

__all__ = ["Block", "ExtractedArticle", "ExtractionError", "FigureImage", "Hints", "extract_article"]
