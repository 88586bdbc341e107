"""Photos in, upright RGB arrays out: decoding, the phone's rotation, and the card's outline.

A phone photo of a card shows the card at an angle on a table. When the card's outline
can be found (a clear four-cornered shape covering much of the photo), it is warped flat,
so that the layout rules see a card as printed; otherwise the photo is used as it is.
"""

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Larger photos are shrunk first: more pixels add time, not legible text.
MAX_SIDE = 2000
# A photo of more pixels than this is refused before it is decoded (a decompression bomb).
MAX_PIXELS = 60_000_000
_CARD_WIDTH = 1400  # the flattened card's width in pixels
_MIN_CARD_SHARE = 0.2  # the outline must cover at least this share of the photo


class ImageError(ValueError):
    """The bytes are not a picture the reader can open."""


def decode(data: bytes) -> np.ndarray:
    """The picture as an upright RGB array, its longer side at most MAX_SIDE."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ImageError("the picture is too large")
            picture = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ImageError("the file is not a picture that can be read") from error
    scale = MAX_SIDE / max(picture.size)
    if scale < 1:
        size = (round(picture.width * scale), round(picture.height * scale))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    return np.asarray(picture)


def flatten_card(image: np.ndarray) -> np.ndarray:
    """The card warped flat when its outline is found in the photo, else the photo."""
    import cv2

    corners = _card_corners(image)
    if corners is None:
        return image
    top = float(np.linalg.norm(corners[1] - corners[0]))
    bottom = float(np.linalg.norm(corners[2] - corners[3]))
    left = float(np.linalg.norm(corners[3] - corners[0]))
    right = float(np.linalg.norm(corners[2] - corners[1]))
    aspect = max(left, right) / max(top, bottom, 1.0)
    width = _CARD_WIDTH
    height = max(1, round(width * aspect))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    return np.asarray(cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC))


def _card_corners(image: np.ndarray) -> np.ndarray | None:
    """The card's four corners (top-left first, clockwise), or None when no outline is clear."""
    import cv2

    scale = 800 / max(image.shape[:2])
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    area = gray.shape[0] * gray.shape[1]
    candidates = []
    _, otsu = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(gray, 40, 120), np.ones((3, 3), np.uint8))
    for mask in (otsu, edges):
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            share = cv2.contourArea(contour) / area
            if not _MIN_CARD_SHARE <= share <= 0.97:
                continue
            hull = cv2.convexHull(contour)
            quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
            if len(quad) == 4 and cv2.isContourConvex(quad):
                candidates.append((share, quad.reshape(4, 2).astype(np.float32)))
    if not candidates:
        return None
    _, quad = max(candidates, key=lambda found: found[0])
    return _ordered(quad / scale)


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ring = points[np.argsort(angles)]  # clockwise on screen
    start = int(np.argmin(ring.sum(axis=1)))  # the top-left corner has the smallest x + y
    return np.roll(ring, -start, axis=0).astype(np.float32)
