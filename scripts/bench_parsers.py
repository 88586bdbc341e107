"""Parser growth: each importer parses 1, 2, 4 and 8 MB of pathological input in linear time.

    .venv/bin/python scripts/bench_parsers.py        (make bench runs it too)

Each kind of input is built to the size, parsed by ``tracker.importers.parse`` (the same
call an upload makes, before anything touches the database), and timed as the best of a
few runs. The growth per doubling is time(2n) / time(n); linear work stays near 2, and the
target is under 2.5 for every doubling.
"""

import gc
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.importers import ImportFormatError, parse  # noqa: E402

SIZES_MB = (1, 2, 4, 8)
GROWTH_TARGET = 2.5
RUNS = 3
# Below this a time is mostly the machine's noise, so growth is measured from it at least.
NOISE_FLOOR_S = 0.05
MB = 1_000_000
GOOGLE_HEADER = "First Name,Last Name,Labels,E-mail 1 - Value,Notes\r\n"


def _repeat(head: str, unit: str, tail: str, size: int) -> bytes:
    count = max(1, (size - len(head) - len(tail)) // len(unit))
    return (head + unit * count + tail).encode("utf-8")


# Each builds about `size` bytes of one kind of input that once took more than linear time.
KINDS: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "folded": (
        "vCard: one property folded over a long run of continuation lines",
        lambda size: _repeat(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:x\r\n", " a\r\n", "END:VCARD\r\n", size
        ),
    ),
    "quoted_printable": (
        "vCard 2.1: quoted-printable soft line breaks, line after line",
        lambda size: _repeat(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN:A;B\r\nNOTE;ENCODING=QUOTED-PRINTABLE:",
            "=41=\r\n",
            "=41\r\nEND:VCARD\r\n",
            size,
        ),
    ),
    "base64_lines": (
        "vCard 2.1: a photo's base64 on unindented lines",
        lambda size: _repeat(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN:A;B\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/\r\n",
            "QUJDRA==\r\n",
            "\r\nEND:VCARD\r\n",
            size,
        ),
    ),
    "huge_line": (
        "vCard: one huge line",
        lambda size: _repeat(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:A;B\r\nNOTE:", "a", "\r\nEND:VCARD\r\n", size
        ),
    ),
    "tiny_vcards": (
        "vCard: many tiny records",
        lambda size: _repeat("", "BEGIN:VCARD\r\nFN:a b\r\nEND:VCARD\r\n", "", size),
    ),
    "csv_deep_quoting": (
        "CSV: one cell of doubled quotes",
        lambda size: _repeat(GOOGLE_HEADER + 'a,b,,a@example.jp,"', '""', '"\r\n', size),
    ),
    "csv_huge_line": (
        "CSV: one huge row without a line break",
        lambda size: _repeat(GOOGLE_HEADER + "a,b,,a@example.jp,", "a", "", size),
    ),
    "csv_tiny_rows": (
        "CSV: many tiny rows",
        lambda size: _repeat(GOOGLE_HEADER, "a,b,,,\r\n", "", size),
    ),
}


def _time(data: bytes) -> float:
    best = float("inf")
    for _ in range(RUNS):
        gc.collect()
        gc.disable()  # as timeit does: a collection landing in one run is not the parser's
        start = time.perf_counter()
        try:
            parse(data)
        except ImportFormatError:
            pass  # refusing a file is an answer too; its time counts the same
        finally:
            best = min(best, time.perf_counter() - start)
            gc.enable()
    return best


def bench_parsers(sizes: tuple[int, ...] = SIZES_MB) -> dict[str, Any]:
    """Seconds per size and growth per doubling, for each kind of input."""
    results: dict[str, Any] = {}
    for key, (label, build) in KINDS.items():
        seconds = [_time(build(size * MB)) for size in sizes]
        floored = [max(s, NOISE_FLOOR_S) for s in seconds]
        growth = [later / earlier for earlier, later in pairwise(floored)]
        results[key] = {
            "label": label,
            "seconds": seconds,
            "growth": growth,
            "ok": all(g < GROWTH_TARGET for g in growth),
        }
        print(
            f"{key:18} "
            + " ".join(f"{size} MB {s:6.3f} s" for size, s in zip(sizes, seconds, strict=True))
            + "  growth "
            + " ".join(f"{g:.2f}×" for g in growth),
            flush=True,
        )
    return results


def markdown(results: dict[str, Any], sizes: tuple[int, ...] = SIZES_MB) -> list[str]:
    """The parser section of the report."""
    head = " | ".join(f"{size} MB" for size in sizes)
    lines = [
        "## Parsers (linear time)",
        "",
        f"`tracker.importers.parse` on pathological input; best of {RUNS} runs. Growth per "
        f"doubling (target < {GROWTH_TARGET}×; linear work is about 2×), times under "
        f"{NOISE_FLOOR_S} s counted as {NOISE_FLOOR_S} s (the machine's noise).",
        "",
        f"| input | {head} | growth per doubling | |",
        "|---|" + "---|" * len(sizes) + "---|---|",
    ]
    for result in results.values():
        times = " | ".join(f"{s:.3f} s" for s in result["seconds"])
        growth = ", ".join(f"{g:.2f}×" for g in result["growth"])
        lines.append(
            f"| {result['label']} | {times} | {growth} | {'✅' if result['ok'] else '❌'} |"
        )
    return [*lines, ""]


def main() -> int:
    results = bench_parsers()
    print("\n".join(markdown(results)))
    return 0 if all(result["ok"] for result in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
