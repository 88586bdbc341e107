"""The reader on generated, photographed cards, with the real OCR model (loaded once)."""

import json
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from scripts import cardbench
from scripts.cards import GeneratedCard, generate
from tracker.cardreader import ocr_status, read_card

# The fonts CI installs (fonts-noto-cjk); the benchmark uses every font it finds.
NOTO = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJK-Bold.ttc",
)


@pytest.fixture(scope="module")
def cards() -> list[GeneratedCard]:
    """Six photographed cards: four to read by OCR (Japanese and English), two by QR."""
    found = generate(6, seed=2, fonts=NOTO, qr_share=0.3)
    assert sorted(bool(card.truth.qr) for card in found) == [False] * 4 + [True] * 2
    return found


def test_the_ocr_model_loads_from_the_installed_packages() -> None:
    status = ocr_status()
    assert status.available, status.reason
    assert status.message == ""


def test_printed_cards_are_read(cards: list[GeneratedCard]) -> None:
    scores = []
    for card in cards:
        if card.truth.qr:
            continue
        found = read_card([card.image])
        assert found.source == "ocr"
        scores.append(cardbench.score(card, found, 0.0))
        # The name and the email address are what the form needs most.
        assert {"family_name", "given_name", "emails"} <= {
            name for name, ok in scores[-1].right.items() if ok
        }, scores[-1].wrong
    right = sum(sum(score.right.values()) for score in scores)
    total = sum(len(score.right) for score in scores)
    assert right / total >= 0.9, [score.wrong for score in scores]


def test_qr_cards_are_read_exactly(cards: list[GeneratedCard]) -> None:
    for card in cards:
        if not card.truth.qr:
            continue
        found = read_card([card.image])
        assert found.source == "qr"
        assert cardbench.score(card, found, 0.0).wrong == {}


def test_read_card_prints_one_json_object_per_image_in_order(
    cards: list[GeneratedCard], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    printed = next(card for card in cards if not card.truth.qr and card.truth.language == "ja")
    coded = next(card for card in cards if card.truth.qr)
    paths = [tmp_path / "qr.jpg", tmp_path / "printed.jpg"]
    paths[0].write_bytes(coded.image)
    paths[1].write_bytes(printed.image)
    result = runner.invoke(args=["read-card", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    read = json.loads(result.stdout)
    assert [entry["file"] for entry in read] == [str(path) for path in paths]
    assert [entry["source"] for entry in read] == ["qr", "ocr"]
    assert read[0]["family_name"] == coded.truth.family_name
    assert read[1]["emails"] == printed.truth.emails
    for entry in read:
        for name in ("family_reading", "given_reading", "department", "title", "address"):
            assert isinstance(entry[name], str)
        for name in ("emails", "phones", "urls"):
            assert isinstance(entry[name], list)


def test_read_card_names_a_file_it_cannot_read_and_reads_the_rest(
    cards: list[GeneratedCard], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    coded = next(card for card in cards if card.truth.qr)
    (tmp_path / "notes.txt").write_text("not a picture")
    (tmp_path / "card.jpg").write_bytes(coded.image)
    result = runner.invoke(
        args=["read-card", str(tmp_path / "notes.txt"), str(tmp_path / "card.jpg"), "--json"]
    )
    assert result.exit_code == 1
    read = json.loads(result.stdout)
    assert read[0]["source"] == "none" and "picture" in read[0]["error"]
    assert read[1]["source"] == "qr"
    assert "notes.txt" in result.stderr
    assert "Traceback" not in result.output
