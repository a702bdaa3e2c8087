"""Take images with their captions and credits out of the page, so they never reach the body."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from lxml.html import HtmlElement

from newsdesk.extract.prune import class_values, element_of, in_tree
from newsdesk.urls import resolve_url

CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source|attribution", re.IGNORECASE)
CAPTION_CLASS = re.compile(r"caption|credit", re.IGNORECASE)
TRAILING_CREDIT = re.compile(
    r"\s*[\(\[]?\s*(?:Photo|Photograph|Picture|Image|Foto|Bild|Fotografía|Imagen|Credit)s?\s*(?:by)?\s*[:©]\s*"
    r"(?P<credit>[^()\[\]]{2,120}?)\s*[\)\]]?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FigureImage:
    url: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    after_block_text: str = ""
    after_block: int | None = None


def take_figures(tree: HtmlElement, base_url: str, names: Sequence[str] | None = None) -> list[FigureImage]:
    """Collect <figure> images and stray caption elements, removing them from the tree (``names``: the
    class and id values of the page's body, when read before)."""
    images: list[FigureImage] = []
    for figure in list(tree.iter("figure")):
        image = _figure_image(figure, base_url)
        if image:
            images.append(image)
        _remove(figure)
    values = class_values(tree, names)
    marked = in_tree((element_of(value) for value in values if CAPTION_CLASS.search(value)), tree)
    for element in marked:
        if element.getparent() is None or element.tag in ("body", "html", "article", "main"):
            continue
        if len(_text(element).split()) < 80:
            _attach_caption(images, element, base_url)
            _remove(element)
    return images


def _figure_image(figure: HtmlElement, base_url: str) -> FigureImage | None:
    img = next(iter(figure.iter("img")), None)
    if img is None:
        return None
    src = img.get("src") or img.get("data-src") or (img.get("srcset") or "").split(" ")[0]
    url = resolve_url(base_url, src)
    if not url:
        return None
    credit = ""
    for element in figure.iter():
        if element is not figure and CREDIT_CLASS.search(element.get("class") or ""):
            credit = _text(element)
            _remove(element)
            break
    caption_element = next(iter(figure.iter("figcaption")), None)
    caption = _text(caption_element) if caption_element is not None else ""
    caption, credit = split_credit(caption, credit)
    alt = (img.get("alt") or "").strip()
    return FigureImage(url, caption, credit, alt, _anchor(figure))


def _anchor(element: HtmlElement) -> str:
    """Text of the paragraph just before an image, to place the image in the body later."""
    previous = element.xpath("preceding::p[1] | preceding::div[contains(@class, 'para')][1]")
    return _text(previous[-1])[:80] if previous else ""


def _attach_caption(images: list[FigureImage], element: HtmlElement, base_url: str) -> None:
    text = _text(element)
    if not text:
        return
    is_credit = bool(CREDIT_CLASS.search(element.get("class", ""))) and "caption" not in element.get(
        "class", ""
    )
    if images and (not images[-1].credit if is_credit else not images[-1].caption):
        images[-1] = replace(images[-1], credit=text) if is_credit else replace(images[-1], caption=text)
        return
    img = element.getprevious()
    src = img.get("src") if img is not None and img.tag == "img" else None
    caption, credit = ("", text) if is_credit else split_credit(text, "")
    alt = (img.get("alt") or "") if img is not None and img.tag == "img" else ""
    images.append(FigureImage(resolve_url(base_url, src), caption, credit, alt, _anchor(element)))


def split_credit(caption: str, credit: str) -> tuple[str, str]:
    """Split a trailing 'Photo: Name/Agency' off a caption when no credit element was found."""
    caption = re.sub(r"\s+", " ", caption).strip()
    credit = re.sub(r"^(?:Photo|Foto|Bild|Fotografía|Imagen|Credit)s?\s*:\s*", "", credit.strip(), flags=re.I)
    if credit:
        caption = caption.replace(credit, "").strip()
        return caption, credit
    match = TRAILING_CREDIT.search(caption)
    if match:
        return caption[: match.start()].strip(), match.group("credit").strip()
    return caption, ""


def _text(element: HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _remove(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
