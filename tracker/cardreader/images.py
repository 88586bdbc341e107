"""Photos in, upright RGB arrays out: decoded, turned as the phone's EXIF says, shrunk."""

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

# Pillow opens HEIC and HEIF photos (an iPhone's) from here on.
register_heif_opener()

# Larger photos are shrunk first: more pixels add time, not legible text (a QR code's
# modules stay several pixels wide in a card photographed from a hand's length).
MAX_SIDE = 3000
# A photo of more pixels than this is refused before it is decoded (a decompression bomb).
MAX_PIXELS = 60_000_000


class ImageError(ValueError):
    """The bytes are not a picture the reader can open."""


def decode(data: bytes) -> np.ndarray:
    """The picture as an upright RGB array, its longer side at most MAX_SIDE."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ImageError("the picture is too large")
            picture = ImageOps.exif_transpose(opened).convert("RGB")
    # A damaged file can fail late, in the decoder: "broken PNG file" is a SyntaxError.
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise ImageError("the file is not a picture that can be read") from error
    scale = MAX_SIDE / max(picture.size)
    if scale < 1:
        size = (round(picture.width * scale), round(picture.height * scale))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    return np.asarray(picture)
