"""Uploaded pictures are trusted by their bytes, never by their name or declared type."""

# The signatures of the only picture formats the app keeps. SVG is never accepted: it can
# carry script.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def image_type(data: bytes) -> str | None:
    """image/jpeg, image/png or image/webp when the bytes are one, else None."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


# A phone camera's photo of a card, before it is shrunk (the request as a whole is capped
# by MAX_CONTENT_LENGTH).
MAX_PHOTO_BYTES = 12 * 1024 * 1024
# A card photo is kept this large: its smallest print stays legible, at a tenth of the bytes.
CARD_PICTURE_SIDE = 2000


def card_picture(data: bytes) -> bytes:
    """A photo of a card as a contact keeps it: decoded as the card reader decodes it
    (upright as the camera says, a decompression bomb refused), at most CARD_PICTURE_SIDE
    pixels long, as a JPEG. Raises ValueError for what is no picture."""
    import io

    from PIL import Image

    from tracker.cardreader.images import decode

    picture = Image.fromarray(decode(data))
    picture.thumbnail((CARD_PICTURE_SIDE, CARD_PICTURE_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
