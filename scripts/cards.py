"""Generate business cards with their ground truth, and "photograph" them.

    .venv/bin/python scripts/cards.py OUTDIR [--count 60] [--seed 1]

writes OUTDIR/card-NNN.jpg and OUTDIR/truth.json. The benchmark (scripts/bench.py) and the
tests (tests/test_cardreader_*.py) call ``generate`` directly.

Cards are Japanese or English, in several layouts (classic, centred, two columns, a
coloured band, English style), set in whatever fonts of a list are installed (Noto Sans and
Serif CJK, IPAex, M+ in several weights, BIZ UD, VL Gothic, Motoya Maruberi, DejaVu,
Liberation, Lato, Open Sans: fonts are found, never shipped), some with printed furigana
or romaji, some with a QR code holding a vCard 2.1, 3.0, 4.0 or a MECARD. Each card is then
placed on a table and photographed: perspective, rotation, uneven light, a shadow, glare,
blur, noise and JPEG compression, each drawn at random within bounds.
"""

import argparse
import io
import json
import math
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.cardreader.result import CardFields  # noqa: E402

FONT_ROOT = Path("/usr/share/fonts")
# (file name, face index in a collection, weight label, scripts it covers)
FONT_FILES = (
    ("NotoSansCJK-Regular.ttc", 0, "regular", "ja"),
    ("NotoSansCJK-Bold.ttc", 0, "bold", "ja"),
    ("NotoSerifCJK-Regular.ttc", 0, "regular", "ja"),
    ("NotoSerifCJK-Bold.ttc", 0, "bold", "ja"),
    ("ipaexg.ttf", 0, "regular", "ja"),
    ("ipaexm.ttf", 0, "regular", "ja"),
    ("Mplus1-Light.otf", 0, "light", "ja"),
    ("Mplus1-Regular.otf", 0, "regular", "ja"),
    ("Mplus1-Bold.otf", 0, "bold", "ja"),
    ("Mplus2-Medium.otf", 0, "medium", "ja"),
    ("BIZUDPGothic-Regular.ttf", 0, "regular", "ja"),
    ("BIZUDPGothic-Bold.ttf", 0, "bold", "ja"),
    ("BIZUDPMincho-Regular.ttf", 0, "regular", "ja"),
    ("VL-PGothic-Regular.ttf", 0, "regular", "ja"),
    ("MTLmr3m.ttf", 0, "regular", "ja"),
    ("DejaVuSans.ttf", 0, "regular", "en"),
    ("DejaVuSerif.ttf", 0, "regular", "en"),
    ("LiberationSans-Regular.ttf", 0, "regular", "en"),
    ("LiberationSans-Bold.ttf", 0, "bold", "en"),
    ("LiberationSerif-Regular.ttf", 0, "regular", "en"),
    ("Lato-Regular.ttf", 0, "regular", "en"),
    ("Lato-Light.ttf", 0, "light", "en"),
    ("Lato-Bold.ttf", 0, "bold", "en"),
    ("OpenSans-Regular.ttf", 0, "regular", "en"),
    ("OpenSans-Semibold.ttf", 0, "semibold", "en"),
)

# Names with their readings, written for this set (common names, one reading each).
FAMILY = (
    ("佐藤", "さとう", "Sato"),
    ("鈴木", "すずき", "Suzuki"),
    ("高橋", "たかはし", "Takahashi"),
    ("田中", "たなか", "Tanaka"),
    ("伊藤", "いとう", "Ito"),
    ("渡辺", "わたなべ", "Watanabe"),
    ("山本", "やまもと", "Yamamoto"),
    ("中村", "なかむら", "Nakamura"),
    ("小林", "こばやし", "Kobayashi"),
    ("加藤", "かとう", "Kato"),
    ("吉田", "よしだ", "Yoshida"),
    ("山田", "やまだ", "Yamada"),
    ("佐々木", "ささき", "Sasaki"),
    ("山口", "やまぐち", "Yamaguchi"),
    ("松本", "まつもと", "Matsumoto"),
    ("井上", "いのうえ", "Inoue"),
    ("木村", "きむら", "Kimura"),
    ("清水", "しみず", "Shimizu"),
    ("森", "もり", "Mori"),
    ("池田", "いけだ", "Ikeda"),
    ("橋本", "はしもと", "Hashimoto"),
    ("石川", "いしかわ", "Ishikawa"),
    ("前田", "まえだ", "Maeda"),
    ("藤田", "ふじた", "Fujita"),
    ("岡田", "おかだ", "Okada"),
    ("長谷川", "はせがわ", "Hasegawa"),
    ("村上", "むらかみ", "Murakami"),
    ("近藤", "こんどう", "Kondo"),
    ("坂本", "さかもと", "Sakamoto"),
    ("遠藤", "えんどう", "Endo"),
    ("青木", "あおき", "Aoki"),
    ("西村", "にしむら", "Nishimura"),
    ("福田", "ふくだ", "Fukuda"),
    ("太田", "おおた", "Ota"),
    ("三浦", "みうら", "Miura"),
    ("藤原", "ふじわら", "Fujiwara"),
    ("岡本", "おかもと", "Okamoto"),
    ("松田", "まつだ", "Matsuda"),
    ("中川", "なかがわ", "Nakagawa"),
    ("原田", "はらだ", "Harada"),
    ("小野", "おの", "Ono"),
    ("竹内", "たけうち", "Takeuchi"),
)
GIVEN = (
    ("太郎", "たろう", "Taro"),
    ("花子", "はなこ", "Hanako"),
    ("健太", "けんた", "Kenta"),
    ("美咲", "みさき", "Misaki"),
    ("大輔", "だいすけ", "Daisuke"),
    ("陽子", "ようこ", "Yoko"),
    ("誠", "まこと", "Makoto"),
    ("直子", "なおこ", "Naoko"),
    ("翔太", "しょうた", "Shota"),
    ("由美", "ゆみ", "Yumi"),
    ("隆", "たかし", "Takashi"),
    ("恵子", "けいこ", "Keiko"),
    ("拓也", "たくや", "Takuya"),
    ("麻衣", "まい", "Mai"),
    ("和也", "かずや", "Kazuya"),
    ("智子", "ともこ", "Tomoko"),
    ("浩二", "こうじ", "Koji"),
    ("真由美", "まゆみ", "Mayumi"),
    ("亮", "りょう", "Ryo"),
    ("さくら", "さくら", "Sakura"),
    ("一郎", "いちろう", "Ichiro"),
    ("明美", "あけみ", "Akemi"),
    ("修", "おさむ", "Osamu"),
    ("愛", "あい", "Ai"),
    ("雄一", "ゆういち", "Yuichi"),
    ("香織", "かおり", "Kaori"),
    ("正人", "まさと", "Masato"),
    ("千尋", "ちひろ", "Chihiro"),
    ("悠斗", "ゆうと", "Yuto"),
    ("彩", "あや", "Aya"),
    ("剛", "つよし", "Tsuyoshi"),
    ("奈々", "なな", "Nana"),
    ("博之", "ひろゆき", "Hiroyuki"),
    ("聡子", "さとこ", "Satoko"),
    ("康介", "こうすけ", "Kosuke"),
    ("里美", "さとみ", "Satomi"),
)
WESTERN = (
    ("Smith", "Jane"),
    ("Brown", "Michael"),
    ("Wilson", "Emily"),
    ("Taylor", "David"),
    ("Clarke", "Sarah"),
    ("Miller", "Robert"),
    ("Davis", "Laura"),
    ("Moore", "James"),
    ("Evans", "Olivia"),
    ("Walker", "Daniel"),
    ("Turner", "Sophie"),
    ("Hughes", "Thomas"),
)
# (company word in Japanese, romaji for its domain, English name)
WORDS = (
    ("みらい", "mirai", "Mirai"),
    ("青葉", "aoba", "Aoba"),
    ("大和", "yamato", "Yamato"),
    ("さくら", "sakura", "Sakura"),
    ("東都", "toto", "Toto"),
    ("ひかり", "hikari", "Hikari"),
    ("北斗", "hokuto", "Hokuto"),
    ("はなみずき", "hanamizuki", "Hanamizuki"),
    ("光和", "kowa", "Kowa"),
    ("アクシス", "axis", "Axis"),
    ("ブルーリバー", "blueriver", "Blue River"),
    ("栄進", "eishin", "Eishin"),
)
COMPANY_JA = (
    "株式会社{w}",
    "{w}株式会社",
    "{w}税理士事務所",
    "{w}法律事務所",
    "合同会社{w}",
    "{w}商事株式会社",
    "有限会社{w}",
    "一般社団法人{w}協会",
    "税理士法人{w}",
    "{w}会計事務所",
    "株式会社{w}デザイン",
    "{w}社会保険労務士事務所",
)
COMPANY_EN = (
    "{w} Consulting Co., Ltd.",
    "{w} Design Inc.",
    "{w} Law Office",
    "{w} Partners LLC",
    "{w} Accounting Office",
    "{w} Trading Corporation",
    "{w} Holdings Ltd.",
)
DEPARTMENTS_JA = (
    "営業部",
    "総務部",
    "経営企画室",
    "営業本部 第一営業部",
    "税務部",
    "人事部 人材開発課",
    "システム開発部",
    "経理課",
    "マーケティング部",
    "東京支店",
    "",
)
TITLES_JA = (
    "部長",
    "課長",
    "代表取締役",
    "税理士",
    "弁護士",
    "主任",
    "所長",
    "マネージャー",
    "代表取締役社長",
    "係長",
    "社会保険労務士",
    "取締役",
    "",
)
DEPARTMENTS_EN = ("Sales Department", "Tax Division", "Marketing Department", "Legal Team", "")
TITLES_EN = (
    "Senior Manager",
    "Partner",
    "Managing Director",
    "CEO",
    "Certified Tax Accountant",
    "Attorney at Law",
    "Consultant",
    "Sales Manager",
    "",
)
PLACES = (
    ("150-0002", "東京都", "渋谷区渋谷", "Shibuya, Shibuya-ku, Tokyo"),
    ("100-0005", "東京都", "千代田区丸の内", "Marunouchi, Chiyoda-ku, Tokyo"),
    ("160-0023", "東京都", "新宿区西新宿", "Nishi-Shinjuku, Shinjuku-ku, Tokyo"),
    ("530-0001", "大阪府", "大阪市北区梅田", "Umeda, Kita-ku, Osaka"),
    ("460-0008", "愛知県", "名古屋市中区栄", "Sakae, Naka-ku, Nagoya"),
    ("220-0012", "神奈川県", "横浜市西区みなとみらい", "Minatomirai, Nishi-ku, Yokohama"),
    ("812-0011", "福岡県", "福岡市博多区博多駅前", "Hakataekimae, Hakata-ku, Fukuoka"),
    ("060-0005", "北海道", "札幌市中央区北五条西", "Kita 5 Jonishi, Chuo-ku, Sapporo"),
    ("980-0021", "宮城県", "仙台市青葉区中央", "Chuo, Aoba-ku, Sendai"),
    ("600-8216", "京都府", "京都市下京区東塩小路町", "Higashishiokoji-cho, Shimogyo-ku, Kyoto"),
    ("190-0012", "東京都", "立川市曙町", "Akebono-cho, Tachikawa-shi, Tokyo"),
)
BUILDINGS = (
    "",
    "",
    "ヒカリエ12F",
    "丸の内ビル5階",
    "第一ビル3F",
    "グランドタワー21階",
    "中央ビル201号",
)
BUILDINGS_EN = ("", "", "12F", "5th Floor", "Daiichi Bldg. 3F", "Suite 201")
AREA_CODES = ("03", "06", "052", "045", "092", "011", "022", "075", "042")
LAYOUTS_JA = ("classic", "centred", "columns", "band")
QR_KINDS = ("vcard21", "vcard30", "vcard40", "mecard")


@dataclass
class Truth(CardFields):
    """What a generated card says (the reader's fields), and how the card was made."""

    fax: str = ""
    language: str = "ja"
    layout: str = "classic"
    reading_shown: str = ""  # "furigana", "romaji", or "" when the card prints none
    qr: str = ""  # the QR payload's kind, "" for none
    font: str = ""
    difficulty: str = ""


@dataclass
class GeneratedCard:
    name: str
    truth: Truth
    image: bytes  # the JPEG "photo"
    flat: Image.Image | None = None  # the card as printed (kept only when asked)


def find_fonts(only: tuple[str, ...] = ()) -> dict[str, list[tuple[Path, int, str]]]:
    """The installed fonts of the list, by script ("ja" fonts also serve English)."""
    found: dict[str, list[tuple[Path, int, str]]] = {"ja": [], "en": []}
    paths = {
        path.name: path for path in FONT_ROOT.rglob("*") if path.suffix in (".ttf", ".otf", ".ttc")
    }
    for name, index, weight, script in FONT_FILES:
        if only and name not in only:
            continue
        if name in paths:
            found[script].append((paths[name], index, weight))
    found["en"] = found["en"] + found["ja"]
    if not found["ja"]:
        raise SystemExit("No Japanese font found: install fonts-noto-cjk.")
    return found


# -- the card's content ---------------------------------------------------------------------


def _phone(rng: random.Random, mobile: bool = False) -> str:
    if mobile:
        return f"{rng.choice(('090', '080', '070'))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    area = rng.choice(AREA_CODES)
    middle = 4 if len(area) == 2 else 3
    return f"{area}-{rng.randint(10 ** (middle - 1), 10**middle - 1)}-{rng.randint(1000, 9999)}"


def _japanese_person(rng: random.Random, truth: Truth) -> tuple[str, str, str]:
    family, family_reading, family_romaji = rng.choice(FAMILY)
    given, given_reading, given_romaji = rng.choice(GIVEN)
    truth.family_name, truth.given_name = family, given
    truth.family_reading, truth.given_reading = family_reading, given_reading
    return family_romaji, given_romaji, f"{given_romaji.lower()}.{family_romaji.lower()}"


def content(rng: random.Random, language: str) -> Truth:
    """The fields of one card, drawn at random."""
    truth = Truth(language=language)
    word, domain_word, english_word = rng.choice(WORDS)
    domain = f"{domain_word}-{rng.choice(('kaikei', 'law', 'office', 'design', 'group', 'sr'))}.{rng.choice(('co.jp', 'jp', 'com'))}"
    postal, prefecture, city, city_en = rng.choice(PLACES)
    block = f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    if language == "ja":
        family_romaji, given_romaji, local = _japanese_person(rng, truth)
        truth.company = rng.choice(COMPANY_JA).format(w=word)
        truth.department = rng.choice(DEPARTMENTS_JA)
        truth.title = rng.choice(TITLES_JA)
        building = rng.choice(BUILDINGS)
        truth.address = " ".join(
            part for part in (f"〒{postal}", f"{prefecture}{city}{block}", building) if part
        )
        truth.reading_shown = rng.choice(("furigana", "furigana", "romaji", ""))
    else:
        if rng.random() < 0.5:
            family_romaji, given_romaji, local = _japanese_person(rng, truth)
            truth.family_name, truth.given_name = family_romaji, given_romaji
        else:
            family, given = rng.choice(WESTERN)
            truth.family_name, truth.given_name = family, given
            local = f"{given[0].lower()}.{family.lower()}"
        truth.family_reading = truth.given_reading = ""
        truth.company = rng.choice(COMPANY_EN).format(w=english_word)
        truth.department = rng.choice(DEPARTMENTS_EN)
        truth.title = rng.choice(TITLES_EN)
        building = rng.choice(BUILDINGS_EN)
        street = f"{block} {city_en} {postal}, Japan"
        truth.address = f"{building}, {street}" if building else street
    truth.emails = [f"{local}@{domain}"]
    truth.phones = [_phone(rng)]
    if rng.random() < 0.5:
        truth.phones.append(_phone(rng, mobile=True))
    if rng.random() < 0.6:
        truth.fax = _phone(rng)
    if rng.random() < 0.7:
        truth.urls = [rng.choice((f"https://www.{domain}", f"www.{domain}", f"https://{domain}/"))]
    return truth


# -- QR payloads ----------------------------------------------------------------------------


def _escape_vcard(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _escape_mecard(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace(";", "\\;").replace(",", "\\,")


def qr_payload(truth: Truth, kind: str) -> str:
    """The card's contact as a vCard 2.1, 3.0 or 4.0 or a MECARD."""
    n = f"{_escape_vcard(truth.family_name)};{_escape_vcard(truth.given_name)};;;"
    org = _escape_vcard(truth.company) + (
        f";{_escape_vcard(truth.department)}" if truth.department else ""
    )
    address = _escape_vcard(truth.address)
    if kind == "mecard":
        parts = [f"N:{_escape_mecard(truth.family_name)},{_escape_mecard(truth.given_name)}"]
        if truth.family_reading:
            parts.append(
                f"SOUND:{_escape_mecard(truth.family_reading)},{_escape_mecard(truth.given_reading)}"
            )
        parts += [f"TEL:{phone}" for phone in truth.phones]
        parts += [f"EMAIL:{_escape_mecard(email)}" for email in truth.emails]
        parts += [f"URL:{_escape_mecard(url)}" for url in truth.urls]
        parts.append(f"ADR:{_escape_mecard(truth.address)}")
        parts.append(f"ORG:{_escape_mecard(truth.company)}")
        if truth.title:
            parts.append(f"TITLE:{_escape_mecard(truth.title)}")
        return "MECARD:" + ";".join(parts) + ";;"
    version = {"vcard21": "2.1", "vcard30": "3.0", "vcard40": "4.0"}[kind]
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if kind == "vcard40" and truth.family_reading:
        lines.append(f'N;SORT-AS="{truth.family_reading},{truth.given_reading}":{n}')
    else:
        lines.append(f"N:{n}")
    lines.append(f"FN:{_escape_vcard(truth.family_name + ' ' + truth.given_name)}")
    if truth.family_reading and kind == "vcard30":
        lines += [
            f"X-PHONETIC-LAST-NAME:{truth.family_reading}",
            f"X-PHONETIC-FIRST-NAME:{truth.given_reading}",
        ]
    if truth.family_reading and kind == "vcard21":
        lines.append(f"SOUND;X-IRMC-N:{truth.family_reading};{truth.given_reading};;;")
    lines.append(f"ORG:{org}")
    if truth.title:
        lines.append(f"TITLE:{_escape_vcard(truth.title)}")
    tel = {
        "vcard21": "TEL;WORK;VOICE:{}",
        "vcard30": "TEL;TYPE=WORK,VOICE:{}",
        "vcard40": "TEL;TYPE=work;VALUE=uri:tel:{}",
    }[kind]
    lines += [tel.format(phone) for phone in truth.phones]
    if truth.fax:
        fax = {
            "vcard21": "TEL;WORK;FAX:{}",
            "vcard30": "TEL;TYPE=WORK,FAX:{}",
            "vcard40": "TEL;TYPE=fax;VALUE=uri:tel:{}",
        }[kind]
        lines.append(fax.format(truth.fax))
    lines += [
        f"EMAIL;TYPE=work:{email}" if kind != "vcard21" else f"EMAIL;INTERNET:{email}"
        for email in truth.emails
    ]
    lines += [f"URL:{url}" for url in truth.urls]
    lines.append(
        f"ADR;TYPE=work:;;{address};;;;" if kind != "vcard21" else f"ADR;WORK:;;{address};;;;"
    )
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def qr_image(payload: str, size: int) -> Image.Image:
    import zxingcpp

    code = zxingcpp.create_barcode(
        payload.encode("utf-8"), zxingcpp.BarcodeFormat.QRCode, ec_level="M"
    )
    picture = Image.fromarray(np.asarray(code.to_image(scale=8, add_quiet_zones=True))).convert(
        "RGB"
    )
    return picture.resize((size, size), Image.Resampling.NEAREST)


# -- drawing --------------------------------------------------------------------------------


_COVERAGE: dict[tuple[Path, int, str], bool] = {}


def covers(path: Path, index: int, text: str) -> bool:
    """Whether a font has a glyph for every character (a missing one draws as .notdef)."""
    probe = ImageFont.truetype(str(path), 24, index=index)
    missing = bytes(probe.getmask("\U0010fffd"))
    for char in set(text) - {" ", "　"}:
        key = (path, index, char)
        if key not in _COVERAGE:
            _COVERAGE[key] = bytes(probe.getmask(char)) != missing
        if not _COVERAGE[key]:
            return False
    return True


class Pen:
    """Draws text on a card with a font family's faces."""

    def __init__(
        self, draw: ImageDraw.ImageDraw, font: tuple[Path, int, str], bold: tuple[Path, int, str]
    ):
        self.draw, self.font, self.bold = draw, font, bold

    def face(self, size: int, bold: bool = False, text: str = "") -> ImageFont.FreeTypeFont:
        path, index, _ = self.bold if bold else self.font
        if text and not covers(path, index, text):
            path, index = self.fallback(bold)
        return ImageFont.truetype(str(path), size, index=index)

    def fallback(self, bold: bool) -> tuple[Path, int]:
        """Noto Sans CJK JP: a printer substitutes a font that has the glyph, as here."""
        name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
        found = next(FONT_ROOT.rglob(name), None) or next(FONT_ROOT.rglob("NotoSansCJK-*.ttc"))
        return found, 0

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        size: int,
        *,
        bold: bool = False,
        anchor: str = "la",
        fill: Any = (20, 20, 20),
    ) -> tuple[int, int, int, int]:
        if not text:
            return (int(xy[0]), int(xy[1]), int(xy[0]), int(xy[1]))
        face = self.face(size, bold, text)
        self.draw.text(xy, text, font=face, fill=fill, anchor=anchor)
        box = self.draw.textbbox(xy, text, font=face, anchor=anchor)
        return (int(box[0]), int(box[1]), int(box[2]), int(box[3]))


def _spaced_name(truth: Truth) -> str:
    """The name as printed: 山田　太郎 with a full-width space, Taro Yamada in Western order."""
    if truth.language == "ja":
        return f"{truth.family_name}　{truth.given_name}"
    return f"{truth.given_name} {truth.family_name}"


def _reading_line(truth: Truth, rng: random.Random) -> str:
    if truth.reading_shown == "furigana":
        reading = (
            f"{truth.family_reading}　{truth.given_reading}"
            if rng.random() < 0.7
            else truth.family_reading + truth.given_reading
        )
        if rng.random() < 0.4:
            import jaconv

            reading = jaconv.hira2kata(reading)
        return reading
    if truth.reading_shown == "romaji":
        family = next(r for k, _, r in FAMILY if k == truth.family_name)
        given = next(r for k, _, r in GIVEN if k == truth.given_name)
        return rng.choice((f"{given} {family}", f"{family.upper()} {given}"))
    return ""


def _contact_lines(truth: Truth, rng: random.Random) -> list[str]:
    ja = truth.language == "ja"
    lines: list[str] = []
    tel_label = rng.choice(("TEL", "Tel.", "T", "電話") if ja else ("Tel", "T", "Phone"))
    fax_label = rng.choice(("FAX", "Fax.", "F") if ja else ("Fax", "F"))
    phone_line = f"{tel_label} {truth.phones[0]}"
    if truth.fax:
        if rng.random() < 0.5:
            phone_line += f"　{fax_label} {truth.fax}"
            lines.append(phone_line)
        else:
            lines += [phone_line, f"{fax_label} {truth.fax}"]
    else:
        lines.append(phone_line)
    if len(truth.phones) > 1:
        lines.append(
            f"{rng.choice(('携帯', 'Mobile', 'M')) if ja else rng.choice(('Mobile', 'M'))} {truth.phones[1]}"
        )
    lines.append(f"{rng.choice(('E-mail ', 'Mail: ', ''))}{truth.emails[0]}")
    if truth.urls:
        lines.append(truth.urls[0])
    return lines


def _address_lines(truth: Truth, rng: random.Random) -> list[str]:
    if truth.language == "ja":
        code, rest = truth.address.split(" ", 1)
        if " " in rest and rng.random() < 0.5:
            street, building = rest.split(" ", 1)
            return [f"{code} {street}", building]
        return [f"{code} {rest}"]
    if ", " in truth.address and rng.random() < 0.5 and truth.address.count(",") >= 2:
        head, tail = truth.address.split(", ", 1)
        return [head + ",", tail]
    return [truth.address]


def render(
    truth: Truth, fonts: dict[str, list[tuple[Path, int, str]]], rng: random.Random
) -> Image.Image:
    """The card as printed: 91 × 55 mm at about 12 px/mm."""
    width, height = 1092, 660
    background = rng.choice(((255, 255, 255), (250, 248, 240), (245, 247, 250), (255, 253, 245)))
    card = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(card)
    pool = fonts[truth.language]
    font = rng.choice(pool)
    bolds = [
        face
        for face in pool
        if face[0].name.split("-")[0][:6] == font[0].name.split("-")[0][:6]
        and face[2] in ("bold", "semibold", "medium")
    ]
    bold = rng.choice(bolds) if bolds and rng.random() < 0.7 else font
    truth.font = f"{font[0].stem}/{bold[0].stem}"
    pen = Pen(draw, font, bold)
    ink = rng.choice(((20, 20, 20), (30, 40, 70), (50, 50, 50)))
    accent = rng.choice(((20, 70, 140), (150, 30, 40), (30, 110, 70), (60, 60, 60)))
    name_size = rng.randint(56, 76)
    small = rng.randint(22, 27)
    margin = rng.randint(50, 70)
    reading = _reading_line(truth, rng)
    roles = [part for part in (truth.department, truth.title) if part]
    role_lines = [" ".join(roles)] if roles and rng.random() < 0.5 else roles
    if truth.language == "en" and len(roles) == 2 and rng.random() < 0.5:
        role_lines = [f"{truth.title}, {truth.department}"]
    contacts = _address_lines(truth, rng) + _contact_lines(truth, rng)
    qr_size = 230 if truth.qr else 0  # 19 mm, as printed on cards
    layout = truth.layout
    if layout == "band":
        pen.draw.rectangle((0, 0, width, 110), fill=accent)
        pen.text(
            (margin, 55),
            truth.company,
            rng.randint(30, 36),
            bold=True,
            anchor="lm",
            fill=(255, 255, 255),
        )
        y = 150
    elif layout in ("classic", "columns", "english"):
        pen.text((margin, margin), truth.company, rng.randint(28, 36), bold=True, fill=accent)
        y = margin + 60
    else:
        pen.text(
            (width / 2, margin),
            truth.company,
            rng.randint(28, 36),
            bold=True,
            anchor="ma",
            fill=accent,
        )
        y = margin + 60
    centred = layout == "centred"
    x = width / 2 if centred else margin
    anchor = "ma" if centred else "la"
    for line in role_lines:
        box = pen.text((x, y), line, small + 2, anchor=anchor, fill=ink)
        y = box[3] + 10
    y += 20
    if reading and (truth.reading_shown == "furigana"):
        box = pen.text((x, y), reading, small - 2, anchor=anchor, fill=ink)
        y = box[3] + 6
    box = pen.text(
        (x, y), _spaced_name(truth), name_size, bold=rng.random() < 0.6, anchor=anchor, fill=ink
    )
    y = box[3] + 10
    if reading and truth.reading_shown == "romaji":
        box = pen.text((x, y), reading, small, anchor=anchor, fill=ink)
        y = box[3] + 10
    line_gap = small + rng.randint(8, 14)
    if layout == "columns":
        cx = width * 0.52
        cy = max(y - 40, height - margin - line_gap * len(contacts))
        cy = min(cy, height - margin - line_gap * len(contacts))
        for line in contacts:
            pen.text((cx, cy), line, small - 2, fill=ink)
            cy += line_gap - 2
    else:
        bottom = height - margin + 10 - line_gap * len(contacts)
        top = max(y + 10, bottom)
        size = small if top + line_gap * len(contacts) < height - 20 else small - 3
        if top + (size + 10) * len(contacts) > height - 15:
            size = max(16, int((height - 15 - top) / len(contacts)) - 8)
        for line in contacts:
            box = pen.text(
                (width / 2 if centred else margin, top), line, size, anchor=anchor, fill=ink
            )
            top = box[3] + max(6, int(size * 0.35))
    if qr_size:
        code = qr_image(qr_payload(truth, truth.qr), qr_size)
        card.paste(code, (width - qr_size - 30, 30 if layout != "band" else 120))
    return card


# -- the photograph -------------------------------------------------------------------------


def photograph(card: Image.Image, rng: random.Random, difficulty: str) -> bytes:
    """The card on a table, photographed by a phone, as JPEG bytes."""
    hard = {"easy": 0.4, "medium": 0.8, "hard": 1.2}[difficulty]
    out_w, out_h = 1600, 1200
    # A table: a colour, a gradient and some grain.
    base = np.array(
        rng.choice(((120, 90, 60), (70, 70, 75), (180, 170, 150), (40, 45, 55), (150, 120, 90))),
        dtype=np.float32,
    )
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    table = base[None, None, :] * (0.85 + 0.3 * (xx / out_w))[:, :, None]
    table += np.sin(yy / rng.uniform(6, 20) + xx / 300)[:, :, None] * rng.uniform(2, 10)
    scene = Image.fromarray(np.clip(table, 0, 255).astype(np.uint8))
    # The card's corners in the photo: scaled, turned, and pulled out of square.
    share = rng.uniform(0.62, 0.85)
    cw = out_w * share
    ch = cw * card.height / card.width
    angle = math.radians(rng.uniform(-8, 8) * hard)
    cx, cy = out_w / 2 + rng.uniform(-60, 60), out_h / 2 + rng.uniform(-50, 50)
    corners = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px, py = dx * cw / 2, dy * ch / 2
        jitter = 0.05 * hard * cw
        px += rng.uniform(-jitter, jitter)
        py += rng.uniform(-jitter, jitter) * 0.6
        corners.append(
            (
                cx + px * math.cos(angle) - py * math.sin(angle),
                cy + px * math.sin(angle) + py * math.cos(angle),
            )
        )
    coefficients = _perspective(
        corners, [(0, 0), (card.width, 0), (card.width, card.height), (0, card.height)]
    )
    warped = card.transform(
        (out_w, out_h), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC
    )
    mask = Image.new("L", card.size, 255).transform(
        (out_w, out_h), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    scene.paste(warped, (0, 0), mask)
    pixels = np.asarray(scene).astype(np.float32)
    # Uneven light: a broad gradient across the photo.
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    light = 1 + 0.25 * hard * (gx * (xx / out_w - 0.5) + gy * (yy / out_h - 0.5))
    pixels *= light[:, :, None]
    # A soft shadow (a hand or the phone) over part of the card.
    if rng.random() < 0.7:
        shadow = Image.new("L", (out_w, out_h), 0)
        sx = rng.uniform(0, out_w)
        ImageDraw.Draw(shadow).polygon(
            [
                (sx, 0),
                (sx + rng.uniform(200, 600), 0),
                (sx + rng.uniform(-300, 300), out_h),
                (sx - 300, out_h),
            ],
            fill=255,
        )
        shade = np.asarray(shadow.filter(ImageFilter.GaussianBlur(60))).astype(np.float32) / 255
        pixels *= (1 - rng.uniform(0.15, 0.35) * hard * shade)[:, :, None]
    # Glare: a bright soft spot.
    if rng.random() < 0.6:
        gx0, gy0 = rng.uniform(0.2, 0.8) * out_w, rng.uniform(0.2, 0.8) * out_h
        radius = rng.uniform(80, 220)
        spot = np.exp(-(((xx - gx0) ** 2 + (yy - gy0) ** 2) / (2 * radius**2)))
        pixels += (rng.uniform(60, 130) * hard * spot)[:, :, None]
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.0) * hard
    if blur > 0.2:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    noisy = np.asarray(image).astype(np.float32) + np.random.default_rng(
        rng.randint(0, 2**31)
    ).normal(0, rng.uniform(2, 7) * hard, (out_h, out_w, 1))
    image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(55, 90))
    return buffer.getvalue()


def _perspective(
    source: list[tuple[float, float]], target: list[tuple[float, float]]
) -> list[float]:
    """The coefficients PIL's perspective transform takes, mapping photo points to card points."""
    rows = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([coordinate for point in target for coordinate in point], dtype=np.float64)
    return list(np.linalg.solve(a, b))


# -- the set --------------------------------------------------------------------------------


def generate(
    count: int = 60,
    seed: int = 1,
    *,
    fonts: tuple[str, ...] = (),
    qr_share: float = 0.2,
    english_share: float = 0.25,
    keep_flat: bool = False,
) -> list[GeneratedCard]:
    """A reproducible set of photographed cards with their truth."""
    rng = random.Random(seed)
    found = find_fonts(fonts)
    cards = []
    for number in range(1, count + 1):
        language = "en" if rng.random() < english_share else "ja"
        truth = content(rng, language)
        truth.layout = (
            "english" if language == "en" and rng.random() < 0.5 else rng.choice(LAYOUTS_JA)
        )
        if rng.random() < qr_share:
            truth.qr = rng.choice(QR_KINDS)
        truth.difficulty = rng.choice(("easy", "medium", "medium", "hard"))
        flat = render(truth, found, rng)
        photo = photograph(flat, rng, truth.difficulty)
        cards.append(GeneratedCard(f"card-{number:03d}", truth, photo, flat if keep_flat else None))
    return cards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flat", action="store_true", help="also write the cards as printed")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    truths = {}
    for card in generate(args.count, args.seed, keep_flat=args.flat):
        (args.outdir / f"{card.name}.jpg").write_bytes(card.image)
        if card.flat is not None:
            card.flat.save(args.outdir / f"{card.name}-flat.png")
        truths[card.name] = asdict(card.truth)
    (args.outdir / "truth.json").write_text(
        json.dumps(truths, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(f"Wrote {len(truths)} cards to {args.outdir}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
