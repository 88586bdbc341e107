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
