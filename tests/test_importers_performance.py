"""10,000 realistic vCards parse whole. How long that takes is make bench's to say (its
parser section and its 10,000-card import): a test never asserts wall-clock time."""

from tracker.importers import parse

CARDS = 10_000


def _vcard(number: int) -> str:
    """A realistic card: Japanese names with readings, several methods, a folded note."""
    note = f"交流会{number}で名刺交換。法人税\\, 相続\\; 事業承継の相談。\\n次回は来月。" * 2
    folded = "\r\n ".join(note[start : start + 24] for start in range(0, len(note), 24))
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"N:山田{number};太郎;;;\r\nFN:山田{number} 太郎\r\n"
        "X-PHONETIC-LAST-NAME:やまだ\r\nX-PHONETIC-FIRST-NAME:たろう\r\n"
        f"ORG:株式会社サンプル{number};営業部\r\nTITLE:部長\r\n"
        f"TEL;TYPE=WORK,VOICE:03-0000-{number % 10_000:04d}\r\n"
        f"TEL;TYPE=CELL:090-0000-{number % 10_000:04d}\r\n"
        f"EMAIL;TYPE=INTERNET,WORK:taro{number}@example.jp\r\n"
        "ADR;TYPE=WORK:;;丸の内1-1-1;千代田区;東京都;100-0005;日本\r\n"
        f"URL:https://example.jp/{number}\r\n"
        f"NOTE:{folded}\r\n"
        "CATEGORIES:取引先,交流会\r\nBDAY:--1127\r\nEND:VCARD\r\n"
    )


def test_ten_thousand_vcards_parse_whole() -> None:
    data = "".join(_vcard(number) for number in range(CARDS)).encode("utf-8")
    result = parse(data)
    assert len(result.cards) == CARDS and result.errors == [] and not result.not_kept
    assert result.cards[-1].notes.startswith(f"交流会{CARDS - 1}で名刺交換。法人税, 相続;")
