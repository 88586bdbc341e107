"""Pictures are known by their bytes, never by their name or declared type.

One table of signatures serves the card-image upload, the backup restore, the photos of
imported vCards, and the importer's refusal of a picture uploaded as a contacts file.
"""

# The picture formats the app keeps. SVG is never accepted: it can carry script.
KEPT = ("image/jpeg", "image/png", "image/webp")
MAX_IMAGE_BYTES = 5 * 1024 * 1024

# (offset, signature, format name, content type when the app keeps it)
_SIGNATURES: tuple[tuple[int, bytes, str, str | None], ...] = (
    (0, b"\xff\xd8\xff", "JPEG", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "PNG", "image/png"),
    (8, b"WEBP", "WebP", "image/webp"),  # after "RIFF" and the length
    (0, b"GIF87a", "GIF", None),
    (0, b"GIF89a", "GIF", None),
    (0, b"II*\x00", "TIFF", None),
    (0, b"MM\x00*", "TIFF", None),
    (0, b"BM", "BMP", None),
)
# HEIF files (ISO media) name their kind by the major brand after "ftyp".
_HEIF_BRANDS = {
    **dict.fromkeys((b"heic", b"heix", b"heim", b"heis", b"hevc"), "HEIC"),
    **dict.fromkeys((b"mif1", b"msf1"), "HEIF"),
    b"avif": "AVIF",
}


def _signature(data: bytes) -> tuple[str, str | None] | None:
    if data[4:8] == b"ftyp" and (brand := _HEIF_BRANDS.get(data[8:12])):
        return brand, None
    for offset, magic, name, content_type in _SIGNATURES:
        if data[offset : offset + len(magic)] != magic:
            continue
        if offset == 8 and data[:4] != b"RIFF":
            continue
        # "BM" is two letters a text file may well start with: a bitmap says its size next.
        if magic == b"BM" and (len(data) < 26 or data[6:10] != b"\x00\x00\x00\x00"):
            continue
        return name, content_type
    return None


def image_type(data: bytes) -> str | None:
    """image/jpeg, image/png or image/webp when the bytes are one, else None."""
    found = _signature(data)
    return found[1] if found else None


def image_format(data: bytes) -> str | None:
    """The name of any picture format the bytes are in (JPEG, GIF, HEIC…), else None."""
    found = _signature(data)
    return found[0] if found else None


# Photos the app reads but does not keep as they are: an iPhone's HEIC becomes a JPEG.
CONVERTED = ("HEIC", "HEIF")


def readable_photo(data: bytes) -> bool:
    """True for a photo the card reader and card_picture open: JPEG, PNG, WebP or HEIC."""
    return image_type(data) is not None or image_format(data) in CONVERTED


# A phone camera's photo of a card, before it is shrunk (the request as a whole is capped
# by MAX_CONTENT_LENGTH).
MAX_PHOTO_BYTES = 12 * 1024 * 1024
# A card photo is kept this large: its smallest print stays legible, at a tenth of the bytes.
CARD_PICTURE_SIDE = 2000


def card_picture(data: bytes) -> bytes:
    """A photo of a card as a contact keeps it: decoded as the card reader decodes it
    (upright as the camera says, a decompression bomb refused, HEIC too), at most
    CARD_PICTURE_SIDE pixels long, as a JPEG. Raises ValueError for what is no picture."""
    # Imported here: Pillow and numpy are only needed when a card is photographed.
    import io

    from PIL import Image

    from tracker.cardreader.images import decode

    picture = Image.fromarray(decode(data))
    picture.thumbnail((CARD_PICTURE_SIDE, CARD_PICTURE_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
