"""Measure the card reader on generated cards: time per image and field accuracy per engine.

    .venv/bin/python scripts/cardbench.py [--count 60] [--seed 1] [--engines ppocrv5]
                                          [--output docs/card-bench.json]

``ppocrv5`` is the reader's own engine. ``rapidocr`` (the rapidocr-onnxruntime package)
and ``tesseract`` (Debian's tesseract-ocr-jpn, through its command line) are comparison
points only: run them from a scratch virtualenv that has rapidocr-onnxruntime and this
project installed; an engine that is not installed is reported as such. Every engine gets
the same pictures and the same field rules, so the figures compare the OCR alone.

Field accuracy = fields read right / fields present on the card. A list field (emails,
phones, web addresses) is right when the set read equals the set printed; a phone read
from a FAX number makes the phones wrong. Readings count when the card prints them
(furigana or romaji) or its QR code holds them; suggested readings are scored apart.
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import jaconv  # noqa: E402
import numpy as np  # noqa: E402
from cards import GeneratedCard, Truth, generate  # noqa: E402

from tracker.cardreader import CardFields, Reader  # noqa: E402
from tracker.cardreader.ocr import OcrUnavailable, PPOCRv5, TextLine, lines_from_quads  # noqa: E402

TIME_TARGET_S = 3.0
OCR_TARGET = 0.90
QR_TARGET = 1.00
FIELD_KINDS = {
    "name": ("family_name", "given_name"),
    "reading": ("family_reading", "given_reading"),
    "company": ("company",),
    "department": ("department",),
    "title": ("title",),
    "address": ("address",),
    "email": ("emails",),
    "phone": ("phones",),
    "url": ("urls",),
}


# -- comparison engines ---------------------------------------------------------------------


class RapidOcrEngine:
    """rapidocr-onnxruntime with its bundled PP-OCRv4 Chinese models."""

    name = "RapidOCR (rapidocr-onnxruntime)"

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as error:
            raise OcrUnavailable("rapidocr-onnxruntime is not installed") from error
        self._ocr = RapidOCR()

    def __call__(self, image: np.ndarray) -> list[TextLine]:
        found, _ = self._ocr(np.ascontiguousarray(image[:, :, ::-1]))
        return lines_from_quads(
            [
                (np.array(box, dtype=np.float32), text, float(score))
                for box, text, score in found or []
            ]
        )


class TesseractEngine:
    """Tesseract 5 with jpn+eng, one call of the command line per image (TSV output)."""

    name = "Tesseract (tesseract-ocr-jpn)"

    def __init__(self) -> None:
        if not shutil.which("tesseract"):
            raise OcrUnavailable("tesseract is not installed")

    def __call__(self, image: np.ndarray) -> list[TextLine]:
        from PIL import Image

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "card.png"
            Image.fromarray(image).save(path)
            tsv = subprocess.run(
                ["tesseract", str(path), "stdout", "-l", "jpn+eng", "--psm", "3", "tsv"],
                capture_output=True,
                text=True,
                check=True,
                env={"OMP_THREAD_LIMIT": "2", "PATH": "/usr/bin:/bin"},
            ).stdout
        words: dict[tuple[str, str, str], list[list[str]]] = {}
        for row in tsv.splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
                words.setdefault((cells[2], cells[3], cells[4]), []).append(cells)
        lines = []
        for group in words.values():
            text, last_right = "", None
            for cells in group:
                left, width, height = int(cells[6]), int(cells[8]), int(cells[9])
                gap = left - last_right if last_right is not None else 0
                text += (" " if text and gap > 0.35 * height else "") + cells[11]
                last_right = left + width
            x0 = min(int(c[6]) for c in group)
            y0 = min(int(c[7]) for c in group)
            x1 = max(int(c[6]) + int(c[8]) for c in group)
            y1 = max(int(c[7]) + int(c[9]) for c in group)
            score = statistics.mean(float(c[10]) for c in group) / 100
            lines.append(TextLine(text, x0, y0, x1, y1, score))
        return lines


ENGINES: dict[str, Callable[[], Any]] = {
    "ppocrv5": PPOCRv5,
    "rapidocr": RapidOcrEngine,
    "tesseract": TesseractEngine,
}


# -- scoring --------------------------------------------------------------------------------


def _text_key(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[\s,、]", "", value)


def _reading_key(value: str) -> str:
    return str(jaconv.kata2hira(_text_key(value)))


def _url_key(value: str) -> str:
    return re.sub(r"^https?://", "", _text_key(value)).rstrip("/")


def _phone_key(value: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", value))


KEYS: dict[str, Callable[[str], str]] = {
    "emails": _text_key,
    "phones": _phone_key,
    "urls": _url_key,
    "family_reading": _reading_key,
    "given_reading": _reading_key,
}


def present_fields(truth: Truth) -> list[str]:
    """The fields a card shows (or its QR code holds)."""
    names = ["family_name", "given_name", "company", "address", "emails", "phones"]
    if truth.department and truth.qr != "mecard":
        names.append("department")
    if truth.title:
        names.append("title")
    if truth.urls:
        names.append("urls")
    if truth.family_reading and (truth.reading_shown or truth.qr):
        names += ["family_reading", "given_reading"]
    return names


def is_right(name: str, truth: Truth, read: CardFields) -> bool:
    key = KEYS.get(name, _text_key)
    expected, found = getattr(truth, name), getattr(read, name)
    if isinstance(expected, list):
        return {key(v) for v in expected} == {key(v) for v in found}
    return key(expected) == key(found)


@dataclass
class CardScore:
    name: str
    kind: str  # "qr" or "ocr": how the card should be read
    seconds: float
    source: str
    cpu_seconds: float = 0.0  # CPU time of this process and its children (all threads)
    right: dict[str, bool] = field(default_factory=dict)
    suggested_reading_right: bool | None = None
    wrong: dict[str, list[Any]] = field(default_factory=dict)


def score(card: GeneratedCard, read: CardFields, seconds: float) -> CardScore:
    truth = card.truth
    result = CardScore(card.name, "qr" if truth.qr else "ocr", seconds, read.source)
    for name in present_fields(truth):
        result.right[name] = is_right(name, truth, read)
        if not result.right[name]:
            result.wrong[name] = [getattr(truth, name), getattr(read, name)]
    if truth.language == "ja" and not truth.reading_shown and not truth.qr:
        result.suggested_reading_right = is_right("family_reading", truth, read) and is_right(
            "given_reading", truth, read
        )
    return result


def _share(scores: list[CardScore], names: tuple[str, ...] | None = None) -> tuple[int, int]:
    right = total = 0
    for card in scores:
        for name, ok in card.right.items():
            if names is None or name in names:
                total += 1
                right += ok
    return right, total


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summarise(engine: str, scores: list[CardScore], load_s: float) -> dict[str, Any]:
    """Accuracy per field kind and card kind, and the time per image."""
    seconds = [card.seconds for card in scores]
    ocr = [card for card in scores if card.kind == "ocr"]
    qr = [card for card in scores if card.kind == "qr"]
    ocr_right, ocr_total = _share(ocr)
    qr_right, qr_total = _share(qr)
    kinds = {}
    for kind, names in FIELD_KINDS.items():
        right, total = _share(ocr, names)
        kinds[kind] = {"right": right, "total": total, "accuracy": right / total if total else None}
    suggested = [c.suggested_reading_right for c in scores if c.suggested_reading_right is not None]
    ocr_seconds = [card.seconds for card in ocr]
    cpu = [card.cpu_seconds for card in scores]
    return {
        "engine": engine,
        "cards": len(scores),
        "ocr_cards": len(ocr),
        "qr_cards": len(qr),
        "load_s": round(load_s, 2),
        "median_s": round(statistics.median(seconds), 2) if seconds else None,
        "p95_s": round(_percentile(seconds, 0.95), 2) if seconds else None,
        "cpu_median_s": round(statistics.median(cpu), 2) if cpu else None,
        "cpu_p95_s": round(_percentile(cpu, 0.95), 2) if cpu else None,
        "ocr_median_s": round(statistics.median(ocr_seconds), 2) if ocr_seconds else None,
        "ocr_p95_s": round(_percentile(ocr_seconds, 0.95), 2) if ocr_seconds else None,
        "ocr_accuracy": ocr_right / ocr_total if ocr_total else None,
        "ocr_fields": [ocr_right, ocr_total],
        "qr_accuracy": qr_right / qr_total if qr_total else None,
        "qr_fields": [qr_right, qr_total],
        "by_kind": kinds,
        "suggested_readings": [sum(suggested), len(suggested)],
    }


def run_engine(engine: str, cards: list[GeneratedCard], verbose: bool = False) -> dict[str, Any]:
    """Read every card with one engine; the summary, or why the engine is unavailable."""
    started = time.perf_counter()
    reader = Reader(ENGINES[engine])
    status = reader.status()
    load_s = time.perf_counter() - started
    if not status.available:
        return {"engine": engine, "unavailable": status.reason}
    scores = []
    for card in cards:
        started, cpu = time.perf_counter(), _cpu()
        read = reader.read([card.image])
        scores.append(score(card, read, time.perf_counter() - started))
        scores[-1].cpu_seconds = _cpu() - cpu
        if verbose and scores[-1].wrong:
            print(
                f"  {card.name} ({card.truth.language}, {card.truth.layout}, "
                f"{card.truth.difficulty}): {scores[-1].wrong}",
                flush=True,
            )
    summary = summarise(engine, scores, load_s)
    summary["load_average"] = _load_average()
    by_difficulty = {}
    for level in ("easy", "medium", "hard"):
        names = {c.name for c in cards if c.truth.difficulty == level and not c.truth.qr}
        right, total = _share([s for s in scores if s.name in names])
        by_difficulty[level] = {"right": right, "total": total}
    summary["by_difficulty"] = by_difficulty
    summary["failures"] = {s.name: s.wrong for s in scores if s.wrong}
    return summary


def _cpu() -> float:
    """CPU seconds used so far by this process and the programs it ran (tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def describe(cards: list[GeneratedCard]) -> dict[str, Any]:
    """What the set holds: languages, layouts, QR kinds, readings shown, fonts."""
    counts: dict[str, dict[str, int]] = {}
    for card in cards:
        for key in ("language", "layout", "qr", "reading_shown", "difficulty", "font"):
            value = getattr(card.truth, key) or "none"
            counts.setdefault(key, {}).setdefault(value, 0)
            counts[key][value] += 1
    return counts


def table(results: list[dict[str, Any]]) -> list[str]:
    """The engines side by side, as markdown."""
    available = [r for r in results if "unavailable" not in r]
    lines = [
        "| Engine | Printed cards: fields right | QR cards | Median s / image | p95 s "
        "| CPU s median / p95 | Load s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in available:
        ocr_right, ocr_total = r["ocr_fields"]
        qr_right, qr_total = r["qr_fields"]
        qr_cell = f"{100 * r['qr_accuracy']:.1f} % ({qr_right}/{qr_total})" if qr_total else "—"
        lines.append(
            f"| {r['engine']} | {100 * r['ocr_accuracy']:.1f} % ({ocr_right}/{ocr_total}) "
            f"| {qr_cell} | {r['median_s']:.2f} | {r['p95_s']:.2f} "
            f"| {r['cpu_median_s']:.2f} / {r['cpu_p95_s']:.2f} | {r['load_s']:.2f} |"
        )
    lines += ["", "| Field | " + " | ".join(r["engine"] for r in available) + " |"]
    lines.append("|---|" + "---:|" * len(available))
    for kind in FIELD_KINDS:
        cells = []
        for r in available:
            k = r["by_kind"][kind]
            cells.append(
                f"{100 * k['accuracy']:.0f} % ({k['right']}/{k['total']})" if k["total"] else "—"
            )
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"{r['engine']}: load average {r['load_average']} after its run." for r in available]
    for r in results:
        if "unavailable" in r:
            lines.append(f"\n{r['engine']}: not measured ({r['unavailable']}).")
    return lines


def bench(count: int, seed: int) -> dict[str, Any]:
    """The reader's own engine on a generated set, with the targets it is held to."""
    cards = generate(count, seed)
    result = run_engine("ppocrv5", cards)
    result["set"] = describe(cards)
    result["seed"] = seed
    if "unavailable" not in result:
        result["meets"] = {
            "time": result["p95_s"] <= TIME_TARGET_S,
            "ocr_accuracy": (result["ocr_accuracy"] or 0) >= OCR_TARGET,
            "qr_accuracy": (result["qr_accuracy"] or 0) >= QR_TARGET,
        }
    return result


def _load_average() -> float | None:
    """The one-minute load average: other work on a shared machine slows every engine."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def markdown(result: dict[str, Any]) -> list[str]:
    """The card-reading section of docs/benchmarks.md."""
    lines = ["## Card reading (`flask read-card`)", ""]
    if "unavailable" in result:
        return [*lines, f"Not measured: OCR is unavailable ({result['unavailable']})."]

    def mark(ok: bool) -> str:
        return "✅" if ok else "❌"

    meets = result["meets"]
    ocr_right, ocr_total = result["ocr_fields"]
    qr_right, qr_total = result["qr_fields"]
    lines += [
        f"{result['cards']} generated cards (seed {result['seed']}: {result['ocr_cards']} printed, "
        f"{result['qr_cards']} "
        f"with a QR code), PP-OCRv5 mobile on ONNX Runtime; one-minute load average "
        f"{result['load_average']} at the end. Model load {result['load_s']:.2f} s (once per "
        "process).",
        "",
        "| Measure | Value | Target |",
        "|---|---:|---|",
        f"| Time per image, median | {result['median_s']:.2f} s | |",
        f"| CPU time per image (both cores), median / p95 | {result['cpu_median_s']:.2f} / "
        f"{result['cpu_p95_s']:.2f} s | |",
        f"| Time per image, p95 | {result['p95_s']:.2f} s | {mark(meets['time'])} ≤ "
        f"{TIME_TARGET_S:g} s |",
        f"| Printed cards: fields right | {100 * result['ocr_accuracy']:.1f} % "
        f"({ocr_right}/{ocr_total}) | {mark(meets['ocr_accuracy'])} ≥ {100 * OCR_TARGET:.0f} % |",
        f"| QR cards: fields right | {100 * (result['qr_accuracy'] or 0):.1f} % "
        f"({qr_right}/{qr_total}) | {mark(meets['qr_accuracy'])} {100 * QR_TARGET:.0f} % |",
        "",
        "| Field (printed cards) | Right |",
        "|---|---:|",
    ]
    for kind, k in result["by_kind"].items():
        if k["total"]:
            lines.append(f"| {kind} | {100 * k['accuracy']:.0f} % ({k['right']}/{k['total']}) |")
    right, total = result["suggested_readings"]
    lines += [
        "",
        f"Readings suggested for Japanese cards that print none: {right}/{total} right.",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--engines", default="ppocrv5", help="comma-separated: " + ",".join(ENGINES)
    )
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    parser.add_argument("--verbose", action="store_true", help="print each card's wrong fields")
    args = parser.parse_args(argv)
    cards = generate(args.count, args.seed)
    results = []
    for engine in [name.strip() for name in args.engines.split(",") if name.strip()]:
        print(f"[{engine}] reading {len(cards)} cards …", flush=True)
        results.append(run_engine(engine, cards, args.verbose))
    print("\n".join(table(results)))
    if args.output:
        args.output.write_text(
            json.dumps({"set": describe(cards), "results": results}, ensure_ascii=False, indent=2)
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
