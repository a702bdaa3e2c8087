"""Safe small copies of a publisher's image: decoded under a pixel cap, resized to a few widths, as WebP."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Raster formats only: SVG (which can carry script) and anything exotic are never decoded.
DECODED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
WIDTHS = (320, 640, 960)
MAX_PIXELS = 40_000_000  # a 50-megapixel photo is already more than any page needs
MIN_SIDE = 48  # smaller images are icons, trackers or spacers, not photos
QUALITY = 78


class ImageRejected(ValueError):
    """The bytes are not an image newsdesk shows: ``reason`` says why (kept on the article)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Thumbnail:
    width: int
    height: int
    data: bytes
    media_type: str = "image/webp"


def open_image(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open ``data`` as a raster image whose size is read, and checked, before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=DECODED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"too many pixels (a decompression bomb?): {exc}") from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(f"not a raster image newsdesk shows: {exc}") from exc
    width, height = image.size
    if width * height > max_pixels:
        raise ImageRejected(f"too many pixels: {width}x{height}")
    if min(width, height) < MIN_SIDE:
        raise ImageRejected(f"too small to be a photo: {width}x{height}")
    return image


def decode_image(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The image's pixels in RGB or RGBA, turned upright (EXIF orientation)."""
    image = open_image(data, max_pixels)
    try:
        image.seek(0)  # the first frame of an animation
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageRejected(f"broken image data: {exc}") from exc
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    return upright.convert("RGBA" if has_alpha else "RGB")


def widths_for(original: int, widths: tuple[int, ...] = WIDTHS) -> list[int]:
    """The widths to make for an image ``original`` pixels wide: never larger than the original."""
    chosen = [w for w in widths if w < original]
    return [*chosen, min(original, widths[-1])] if len(chosen) < len(widths) else chosen


def make_thumbnails(data: bytes, max_pixels: int = MAX_PIXELS) -> list[Thumbnail]:
    """WebP copies of the image in ``data`` at each of ``widths_for``; ImageRejected if it is not one."""
    image = decode_image(data, max_pixels)
    copies = []
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=QUALITY, method=4)
        copies.append(Thumbnail(width, height, out.getvalue()))
    return copies
