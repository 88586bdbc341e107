"""A realistic, reproducible dataset for one user: `flask seed` and the benchmarks.

The same plan and seed give the same rows, byte for byte, on an empty account. Contacts
are ~80 % Japanese (kanji names with their hiragana readings) and ~20 % Western, with
companies, departments, titles, expertise, tags (some with cadences), origin events and
introducers. Touchpoints are spread over the three years before today, with a skewed
(lognormal) number per contact, a card exchange first for most, several contacts on
some, and follow-up dates on some; referrals go both ways and as introductions.

Rows are built in memory and inserted in batches with SQLAlchemy Core. The fields the app
derives are computed here with the same pure rules tracker.services.derived uses, so
that a `flask recompute` afterwards changes nothing. Records (touchpoints, referrals,
events, first meetings, archive times) are never dated after today; follow-up dates and
snoozes are plans, and may lie ahead, as the app allows.
"""

import bisect
import math
import random
import time as clock
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from tracker import text as names
from tracker.dates import today_in
from tracker.db import Base, write_transaction
from tracker.models import NAME_LEN, Tag
from tracker.relationships import (
    Evidence,
    Touch,
    effective_cadence,
    evidence,
    last_touch,
    pending_follow_up,
    strength_level,
    warmth_dates,
)
from tracker.relationships import Referral as RuleReferral
from tracker.services.users import find_by_email
from tracker.vocabulary import STAGES

# --- The plans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedPlan:
    """How much to seed, and the random seed that fixes every choice."""

    contacts: int
    touchpoints: int
    seed: int = 1


TIERS: dict[str, SeedPlan] = {
    "solo": SeedPlan(contacts=500, touchpoints=5_000),
    "heavy": SeedPlan(contacts=5_000, touchpoints=50_000),
    "firm": SeedPlan(contacts=20_000, touchpoints=400_000),
}
TOUCHPOINTS_PER_CONTACT = 10  # when only --contacts is given
HORIZON_DAYS = 3 * 365  # history reaches three years back
BATCH_ROWS = 5_000


@dataclass
class SeedCounts:
    """What a seeding run inserted, and how long it took."""

    events: int = 0
    tags: int = 0
    contacts: int = 0
    methods: int = 0
    touchpoints: int = 0
    touchpoint_links: int = 0
    referrals: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Return the counts as a plain dict."""
        return dict(self.__dict__)


# --- Vocabulary: names, companies, events, tags -----------------------------------------

# 150 common family names and their usual readings.
FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"),
    ("伊藤", "いとう"), ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"),
    ("小林", "こばやし"), ("加藤", "かとう"), ("吉田", "よしだ"), ("山田", "やまだ"),
    ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"), ("井上", "いのうえ"),
    ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"),
    ("山崎", "やまざき"), ("森", "もり"), ("池田", "いけだ"), ("橋本", "はしもと"),
    ("阿部", "あべ"), ("石川", "いしかわ"), ("山下", "やました"), ("中島", "なかじま"),
    ("石井", "いしい"), ("小川", "おがわ"), ("前田", "まえだ"), ("岡田", "おかだ"),
    ("長谷川", "はせがわ"), ("藤田", "ふじた"), ("後藤", "ごとう"), ("近藤", "こんどう"),
    ("村上", "むらかみ"), ("遠藤", "えんどう"), ("青木", "あおき"), ("坂本", "さかもと"),
    ("斉藤", "さいとう"), ("福田", "ふくだ"), ("太田", "おおた"), ("西村", "にしむら"),
    ("藤井", "ふじい"), ("金子", "かねこ"), ("岡本", "おかもと"), ("藤原", "ふじわら"),
    ("中野", "なかの"), ("三浦", "みうら"), ("原田", "はらだ"), ("中川", "なかがわ"),
    ("松田", "まつだ"), ("竹内", "たけうち"), ("小野", "おの"), ("田村", "たむら"),
    ("中山", "なかやま"), ("和田", "わだ"), ("石田", "いしだ"), ("森田", "もりた"),
    ("上田", "うえだ"), ("原", "はら"), ("内田", "うちだ"), ("柴田", "しばた"),
    ("酒井", "さかい"), ("宮崎", "みやざき"), ("横山", "よこやま"), ("高木", "たかぎ"),
    ("安藤", "あんどう"), ("宮本", "みやもと"), ("大野", "おおの"), ("小島", "こじま"),
    ("谷口", "たにぐち"), ("今井", "いまい"), ("工藤", "くどう"), ("高田", "たかだ"),
    ("増田", "ますだ"), ("丸山", "まるやま"), ("杉山", "すぎやま"), ("村田", "むらた"),
    ("大塚", "おおつか"), ("新井", "あらい"), ("小山", "こやま"), ("平野", "ひらの"),
    ("藤本", "ふじもと"), ("河野", "こうの"), ("上野", "うえの"), ("野口", "のぐち"),
    ("武田", "たけだ"), ("松井", "まつい"), ("千葉", "ちば"), ("岩崎", "いわさき"),
    ("菅原", "すがわら"), ("木下", "きのした"), ("久保", "くぼ"), ("佐野", "さの"),
    ("野村", "のむら"), ("松尾", "まつお"), ("市川", "いちかわ"), ("菊地", "きくち"),
    ("杉本", "すぎもと"), ("古川", "ふるかわ"), ("大西", "おおにし"), ("島田", "しまだ"),
    ("水野", "みずの"), ("桜井", "さくらい"), ("高野", "たかの"), ("堀", "ほり"),
    ("吉川", "よしかわ"), ("山内", "やまうち"), ("西田", "にしだ"), ("飯田", "いいだ"),
    ("菊池", "きくち"), ("西川", "にしかわ"), ("小松", "こまつ"), ("北村", "きたむら"),
    ("安田", "やすだ"), ("五十嵐", "いがらし"), ("川口", "かわぐち"), ("平田", "ひらた"),
    ("関", "せき"), ("中田", "なかた"), ("久保田", "くぼた"), ("服部", "はっとり"),
    ("川崎", "かわさき"), ("岩田", "いわた"), ("土屋", "つちや"), ("川村", "かわむら"),
    ("福島", "ふくしま"), ("本田", "ほんだ"), ("辻", "つじ"), ("樋口", "ひぐち"),
    ("秋山", "あきやま"), ("田口", "たぐち"), ("永井", "ながい"), ("山中", "やまなか"),
    ("中西", "なかにし"), ("吉村", "よしむら"), ("大橋", "おおはし"), ("松下", "まつした"),
    ("荒木", "あらき"), ("浅野", "あさの"), ("大久保", "おおくぼ"), ("野田", "のだ"),
    ("星野", "ほしの"), ("宮田", "みやた"), ("松岡", "まつおか"), ("早川", "はやかわ"),
    ("内藤", "ないとう"), ("小池", "こいけ"),
)  # fmt: skip

# 150 common given names and their readings.
GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("太郎", "たろう"), ("一郎", "いちろう"), ("健太", "けんた"), ("翔太", "しょうた"),
    ("大輔", "だいすけ"), ("健一", "けんいち"), ("誠", "まこと"), ("浩", "ひろし"),
    ("隆", "たかし"), ("剛", "つよし"), ("直樹", "なおき"), ("拓也", "たくや"),
    ("和也", "かずや"), ("達也", "たつや"), ("哲也", "てつや"), ("雄一", "ゆういち"),
    ("博之", "ひろゆき"), ("正樹", "まさき"), ("秀樹", "ひでき"), ("大樹", "だいき"),
    ("亮", "りょう"), ("悠斗", "ゆうと"), ("蓮", "れん"), ("陽翔", "はると"),
    ("大和", "やまと"), ("湊", "みなと"), ("翼", "つばさ"), ("颯太", "そうた"),
    ("拓海", "たくみ"), ("海斗", "かいと"), ("陸", "りく"), ("聡", "さとし"),
    ("学", "まなぶ"), ("修", "おさむ"), ("茂", "しげる"), ("実", "みのる"),
    ("清", "きよし"), ("勝", "まさる"), ("進", "すすむ"), ("明", "あきら"),
    ("豊", "ゆたか"), ("徹", "とおる"), ("淳", "じゅん"), ("康介", "こうすけ"),
    ("健二", "けんじ"), ("浩二", "こうじ"), ("幸一", "こういち"), ("信也", "しんや"),
    ("慎吾", "しんご"), ("俊介", "しゅんすけ"), ("祐介", "ゆうすけ"), ("圭", "けい"),
    ("航", "わたる"), ("純一", "じゅんいち"), ("孝", "たかし"), ("義男", "よしお"),
    ("正人", "まさと"), ("裕太", "ゆうた"), ("智也", "ともや"), ("隼人", "はやと"),
    ("光", "ひかる"), ("賢治", "けんじ"), ("修平", "しゅうへい"), ("洋平", "ようへい"),
    ("翔平", "しょうへい"), ("雄大", "ゆうだい"), ("和彦", "かずひこ"), ("克也", "かつや"),
    ("大地", "だいち"), ("恭平", "きょうへい"), ("昌弘", "まさひろ"), ("英二", "えいじ"),
    ("武", "たけし"), ("悟", "さとる"), ("稔", "みのる"),
    ("花子", "はなこ"), ("陽子", "ようこ"), ("恵子", "けいこ"), ("京子", "きょうこ"),
    ("幸子", "さちこ"), ("洋子", "ようこ"), ("美穂", "みほ"), ("由美", "ゆみ"),
    ("真由美", "まゆみ"), ("久美子", "くみこ"), ("裕子", "ゆうこ"), ("直美", "なおみ"),
    ("智子", "ともこ"), ("明美", "あけみ"), ("香織", "かおり"), ("沙織", "さおり"),
    ("愛", "あい"), ("彩", "あや"), ("綾香", "あやか"), ("麻衣", "まい"),
    ("舞", "まい"), ("美咲", "みさき"), ("優子", "ゆうこ"), ("陽菜", "ひな"),
    ("結衣", "ゆい"), ("葵", "あおい"), ("さくら", "さくら"), ("凛", "りん"),
    ("美月", "みづき"), ("七海", "ななみ"), ("千尋", "ちひろ"), ("真央", "まお"),
    ("奈々", "なな"), ("由佳", "ゆか"), ("恵", "めぐみ"), ("加奈子", "かなこ"),
    ("理恵", "りえ"), ("友美", "ともみ"), ("純子", "じゅんこ"), ("典子", "のりこ"),
    ("和子", "かずこ"), ("節子", "せつこ"), ("美香", "みか"), ("麻美", "あさみ"),
    ("亜希子", "あきこ"), ("里美", "さとみ"), ("瞳", "ひとみ"), ("静香", "しずか"),
    ("千夏", "ちなつ"), ("美紀", "みき"), ("早紀", "さき"), ("雅子", "まさこ"),
    ("遥", "はるか"), ("菜々子", "ななこ"), ("真理子", "まりこ"), ("絵美", "えみ"),
    ("美和", "みわ"), ("玲奈", "れいな"), ("詩織", "しおり"), ("桃子", "ももこ"),
    ("莉子", "りこ"), ("芽衣", "めい"), ("楓", "かえで"), ("茜", "あかね"),
    ("梓", "あずさ"), ("萌", "もえ"), ("薫", "かおる"), ("美奈子", "みなこ"),
    ("順子", "じゅんこ"), ("弘美", "ひろみ"), ("晴美", "はるみ"), ("千秋", "ちあき"),
    ("朋子", "ともこ"), ("直人", "なおと"), ("和樹", "かずき"),
)  # fmt: skip

# Western names, with the katakana some users type as the reading.
WESTERN_GIVEN: tuple[tuple[str, str], ...] = (
    ("James", "ジェームズ"), ("John", "ジョン"), ("Michael", "マイケル"), ("David", "デビッド"),
    ("Robert", "ロバート"), ("Daniel", "ダニエル"), ("Thomas", "トーマス"), ("Mark", "マーク"),
    ("Paul", "ポール"), ("Andrew", "アンドリュー"), ("Emma", "エマ"), ("Olivia", "オリビア"),
    ("Sarah", "サラ"), ("Emily", "エミリー"), ("Jessica", "ジェシカ"), ("Laura", "ローラ"),
    ("Anna", "アンナ"), ("Sophie", "ソフィー"), ("Claire", "クレア"), ("Hannah", "ハンナ"),
    ("Lucas", "ルーカス"), ("Pierre", "ピエール"), ("Marie", "マリー"), ("Julia", "ジュリア"),
    ("Chris", "クリス"), ("Kevin", "ケビン"), ("Rachel", "レイチェル"), ("Ben", "ベン"),
)  # fmt: skip
WESTERN_FAMILY: tuple[tuple[str, str], ...] = (
    ("Smith", "スミス"), ("Johnson", "ジョンソン"), ("Brown", "ブラウン"),
    ("Williams", "ウィリアムズ"), ("Jones", "ジョーンズ"), ("Miller", "ミラー"),
    ("Davis", "デイビス"), ("Wilson", "ウィルソン"), ("Taylor", "テイラー"),
    ("Anderson", "アンダーソン"), ("Moore", "ムーア"), ("Martin", "マーティン"),
    ("Clark", "クラーク"), ("Walker", "ウォーカー"), ("Young", "ヤング"), ("King", "キング"),
    ("Wright", "ライト"), ("Scott", "スコット"), ("Green", "グリーン"), ("Baker", "ベイカー"),
    ("Müller", "ミュラー"), ("Schmidt", "シュミット"), ("Dubois", "デュボワ"),
    ("Rossi", "ロッシ"), ("García", "ガルシア"), ("O'Brien", "オブライエン"),
)  # fmt: skip


@dataclass(frozen=True)
class Profession:
    """A line of work: how its companies are named, its departments, titles and skills."""

    companies: tuple[str, ...]  # patterns with {stem}, {family} or {area}
    departments: tuple[str, ...]
    titles: tuple[str, ...]
    skills: tuple[str, ...]
    weight: int


PROFESSIONS: tuple[Profession, ...] = (
    Profession(
        ("{stem}税理士法人", "{family}税理士事務所", "税理士法人{stem}"),
        ("", "", "資産税部", "法人部"),
        ("税理士", "代表社員", "パートナー税理士", "所長"),
        ("法人税申告", "相続税申告", "事業承継", "資金繰り相談", "インボイス対応", "税務調査対応"),
        8,
    ),
    Profession(
        ("{family}法律事務所", "{stem}総合法律事務所"),
        ("",),
        ("弁護士", "パートナー弁護士", "代表弁護士"),
        ("契約書レビュー", "債権回収", "労務トラブル", "M&A法務", "相続紛争", "企業法務"),
        6,
    ),
    Profession(
        ("{family}司法書士事務所", "司法書士法人{stem}"),
        ("",),
        ("司法書士", "代表司法書士"),
        ("不動産登記", "商業登記", "相続手続き", "会社設立", "成年後見"),
        5,
    ),
    Profession(
        ("{family}社会保険労務士事務所", "社労士法人{stem}"),
        ("",),
        ("社会保険労務士", "所長"),
        ("就業規則", "助成金申請", "労務相談", "給与計算", "採用の仕組みづくり"),
        4,
    ),
    Profession(
        ("{family}行政書士事務所",),
        ("",),
        ("行政書士",),
        ("許認可申請", "建設業許可", "補助金申請", "ビザ申請", "飲食店営業許可"),
        3,
    ),
    Profession(
        ("株式会社{stem}コンサルティング", "{stem}経営研究所"),
        ("", "経営支援部"),
        ("代表取締役", "シニアコンサルタント", "中小企業診断士"),
        ("事業計画", "補助金申請", "資金調達", "経営改善", "事業再構築"),
        5,
    ),
    Profession(
        ("{stem}銀行 {area}支店", "{stem}信用金庫 {area}支店"),
        ("法人営業部", "融資課", "営業課"),
        ("支店長", "課長", "融資担当", "渉外担当"),
        ("事業融資", "創業融資", "事業性評価", "ビジネスマッチング"),
        5,
    ),
    Profession(
        ("{stem}生命保険", "株式会社{stem}保険サービス"),
        ("法人営業部", ""),
        ("営業部長", "ライフプランナー", "代理店代表"),
        ("法人保険", "退職金準備", "事業保障", "相続対策の保険"),
        4,
    ),
    Profession(
        ("{stem}不動産株式会社", "株式会社{stem}ホーム"),
        ("売買仲介部", "賃貸管理部", ""),
        ("代表取締役", "営業部長", "宅地建物取引士"),
        ("売買仲介", "テナント探し", "不動産売却", "賃貸管理", "収益物件"),
        5,
    ),
    Profession(
        ("{stem}デザイン", "株式会社{stem}クリエイティブ", "デザイン事務所{stem}"),
        ("", "制作部"),
        ("デザイナー", "アートディレクター", "代表"),
        ("ロゴ制作", "パンフレット", "Webサイト制作", "パッケージデザイン", "名刺デザイン"),
        5,
    ),
    Profession(
        ("株式会社{stem}システムズ", "{stem}ソリューションズ株式会社"),
        ("開発部", "営業部", "カスタマーサクセス部"),
        ("代表取締役", "エンジニア", "営業マネージャー", "CTO"),
        ("業務システム開発", "IT導入補助金", "クラウド移行", "セキュリティ対策", "kintone導入"),
        6,
    ),
    Profession(
        ("{stem}印刷株式会社",),
        ("営業部", ""),
        ("営業", "工場長", "代表取締役"),
        ("チラシ印刷", "名刺印刷", "販促物制作"),
        2,
    ),
    Profession(
        ("{stem}食堂", "レストラン{stem}", "株式会社{stem}フーズ"),
        ("",),
        ("オーナー", "店長", "代表取締役"),
        ("会食の手配", "ケータリング", "飲食店開業の相談"),
        4,
    ),
    Profession(
        ("{stem}工業株式会社", "株式会社{family}製作所"),
        ("", "製造部", "総務部"),
        ("代表取締役社長", "専務取締役", "工場長", "総務部長"),
        ("金属加工", "試作品製作", "設備投資", "事業承継"),
        6,
    ),
    Profession(
        ("{stem}建設株式会社", "株式会社{family}工務店"),
        ("", "工事部"),
        ("代表取締役", "現場監督", "一級建築士"),
        ("リフォーム", "店舗内装", "新築工事", "耐震補強"),
        4,
    ),
    Profession(
        ("{stem}商事株式会社", "株式会社{stem}トレーディング"),
        ("営業部", "海外事業部", "経理部"),
        ("部長", "課長", "係長", "担当"),
        ("輸入販売", "販路開拓", "海外取引", "卸売"),
        5,
    ),
    Profession(
        ("{stem}特許事務所",),
        ("",),
        ("弁理士", "所長"),
        ("特許出願", "商標登録", "知財戦略"),
        2,
    ),
    Profession(
        ("{stem}クリニック", "医療法人{stem}会"),
        ("",),
        ("院長", "理事長", "事務長"),
        ("開業医の相談", "医療法人化", "健康診断"),
        2,
    ),
    Profession(
        ("株式会社{stem}キャリア",),
        ("人材紹介部", ""),
        ("キャリアアドバイザー", "代表取締役"),
        ("採用支援", "人材紹介", "研修"),
        3,
    ),
)

WESTERN_PROFESSIONS: tuple[Profession, ...] = (
    Profession(
        ("{family} & Partners LLP", "Pacific Tax Advisors"),
        ("", "Tax"),
        ("Partner", "Tax Manager", "Senior Associate"),
        ("cross-border tax", "US tax filings", "transfer pricing"),
        4,
    ),
    Profession(
        ("Harbor Design Studio", "{family} Creative"),
        ("",),
        ("Designer", "Creative Director"),
        ("brand design", "web design", "English copywriting"),
        3,
    ),
    Profession(
        ("Bright Path Consulting", "{family} Advisory K.K."),
        ("", "Strategy"),
        ("Managing Director", "Consultant", "Founder"),
        ("market entry", "M&A advisory", "fundraising"),
        4,
    ),
    Profession(
        ("Tokyo Expat Realty", "Blue Sky Relocation"),
        ("",),
        ("Agent", "Relocation Manager"),
        ("relocation", "office search", "visa support"),
        2,
    ),
    Profession(
        ("{family} Trading Co.", "Global Link Imports"),
        ("Sales", "Operations"),
        ("Sales Director", "Country Manager", "Buyer"),
        ("import/export", "distribution", "sourcing"),
        3,
    ),
    Profession(
        ("{family} Law Office", "Asia Legal Group"),
        ("",),
        ("Attorney", "Foreign Law Partner"),
        ("contracts in English", "employment law", "immigration"),
        2,
    ),
)

STEMS = (
    "さくら", "みらい", "青葉", "日本橋", "富士", "大和", "北斗", "明星", "ひまわり", "朝日",
    "若葉", "松風", "中央", "銀座", "湘南", "城北", "港", "浪速", "アオバ", "ミナト",
    "グローバル", "ネクスト", "サンライズ", "ハーモニー", "リンク", "アーク", "ブライト",
    "クレスト", "東洋", "丸の内", "共栄", "協和", "三和", "太平", "光陽", "千代田", "白鷺",
    "桜花", "双葉", "大空", "春風", "常盤", "瑞穂", "あおぞら", "つばさ", "はなまる",
)  # fmt: skip
AREAS = (
    "渋谷", "新宿", "丸の内", "日本橋", "品川", "横浜", "大宮", "池袋", "銀座", "赤坂",
    "六本木", "梅田", "名古屋", "博多", "神田", "上野", "川崎", "千葉",
)  # fmt: skip

# (kind, name pattern, place patterns, weight): repeating events, one row per date.
EVENT_SERIES: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("networking", "異業種交流会 in {area}", ("{area}の貸会議室", "{area}のホテル宴会場"), 8),
    ("networking", "{area}ビジネス交流会", ("{area}駅前のカフェ", "{area}の貸会議室"), 6),
    ("networking", "経営者朝活交流会", ("{area}のホテル",), 4),
    ("networking", "士業交流会", ("{area}の会議室",), 5),
    ("networking", "Tokyo Business Mixer", ("{area} rooftop bar",), 2),
    ("seminar", "相続・事業承継セミナー", ("{area}商工会議所",), 4),
    ("seminar", "インボイス制度対応セミナー", ("{area}の研修センター",), 3),
    ("seminar", "補助金活用セミナー", ("{area}の研修センター", "オンライン"), 4),
    ("seminar", "電子帳簿保存法セミナー", ("オンライン",), 2),
    ("seminar", "DX推進セミナー", ("{area}のコワーキングスペース",), 3),
    ("community", "商工会議所 青年部 例会", ("{area}商工会議所",), 5),
    ("community", "倫理法人会 モーニングセミナー", ("{area}のホテル",), 5),
    ("community", "ロータリークラブ 例会", ("{area}のホテル",), 3),
    ("community", "BNI {area}チャプター 定例会", ("{area}のホテル",), 4),
    ("community", "中小企業家同友会 例会", ("{area}の会議室",), 3),
    ("community", "大学OB会", ("{area}の居酒屋",), 2),
    ("client", "顧問先の新年会", ("{area}の料亭",), 2),
    ("client", "顧問先の周年記念パーティー", ("{area}のホテル宴会場",), 2),
    ("introduction", "紹介を受けての会食", ("{area}の和食店",), 2),
    ("other", "忘年会", ("{area}の居酒屋",), 2),
    ("other", "展示会 {area}", ("{area}の展示場",), 2),
)

# (name, cadence phrase or None, weight when picked for a contact)
TAGS: tuple[tuple[str, str | None, int], ...] = (
    ("顧問先", "monthly", 6),
    ("家族経営の社長", "monthly", 4),
    ("士業仲間", "every 2 months", 6),
    ("紹介元", "quarterly", 4),
    ("VIP", "2w", 1),
    ("見込み客", "6 weeks", 4),
    ("相続案件", "毎月", 2),
    ("BNI", "隔週", 2),
    ("大学同期", "yearly", 2),
    ("元同僚", "半年ごと", 2),
    ("協力業者", "quarterly", 3),
    ("年賀状", None, 8),
    ("ゴルフ", None, 4),
    ("勉強会仲間", None, 5),
    ("同業", None, 4),
    ("English", None, 3),
    ("IT", None, 4),
    ("飲食", None, 3),
    ("不動産", None, 3),
    ("補助金", None, 3),
    ("商工会議所", None, 4),
    ("経営者", None, 6),
    ("メディア", None, 1),
    ("海外", None, 2),
)

CADENCE_OVERRIDES = (
    "2w", "monthly", "every 3 months", "quarterly", "yearly", "毎月", "3ヶ月ごと", "半年ごと",
    "6 weeks",
)  # fmt: skip

TOPICS_JA = (
    "事業承継", "相続対策", "補助金", "資金調達", "採用", "新規出店", "節税", "会社設立",
    "契約書", "労務", "不動産売却", "M&A", "IT導入", "海外展開", "インボイス対応", "決算",
    "税務調査", "ホームページ刷新", "融資", "社員研修",
)  # fmt: skip
TOPICS_EN = (
    "succession planning", "cross-border tax", "visas", "fundraising", "hiring",
    "office search", "bookkeeping", "market entry", "a joint seminar", "a new website",
)  # fmt: skip

SUMMARIES_JA: dict[str, tuple[str, ...]] = {
    "card_exchange": ("名刺交換", "名刺交換：{topic}の話", "名刺交換。{topic}に関心あり"),
    "meeting": ("{topic}の打ち合わせ", "定例ミーティング", "事務所を訪問：{topic}"),
    "meal": ("ランチ：近況報告", "会食：{topic}の話", "懇親会で隣の席"),
    "call": ("電話：{topic}の件", "電話で近況確認", "Zoomで{topic}の相談"),
    "message": ("お礼のメール", "LINEで近況連絡", "資料を送付", "年賀状", "暑中見舞い"),
    "event": ("交流会で再会", "セミナーで再会", "例会で挨拶"),
    "worked_together": ("{topic}の案件を共同で対応", "共同セミナーを開催", "顧客対応を協業"),
    "consulted_me": ("{topic}について相談を受けた", "{topic}の件で質問を受けた"),
    "consulted_them": ("{topic}について相談した", "{topic}の件で意見を聞いた"),
    "note": ("覚え書き：{topic}に関心あり", "メモ：次回は{topic}の話", "メモ：お子さんが受験生"),
}
SUMMARIES_EN: dict[str, tuple[str, ...]] = {
    "card_exchange": ("Exchanged cards", "Exchanged cards; talked about {topic}"),
    "meeting": ("Meeting about {topic}", "Visited their office"),
    "meal": ("Lunch catch-up", "Dinner: {topic}"),
    "call": ("Call about {topic}", "Quick catch-up call"),
    "message": ("Thank-you email", "Sent the slides", "New Year greetings"),
    "event": ("Saw them again at the mixer", "Met at the seminar"),
    "worked_together": ("Worked together on {topic}", "Co-hosted a seminar"),
    "consulted_me": ("They asked me about {topic}",),
    "consulted_them": ("Asked them about {topic}",),
    "note": ("Note: interested in {topic}", "Note: prefers email"),
}
TOUCH_NOTES = (
    "次回は来月。資料を送る約束。",
    "奥様も同業。紹介できそうな顧問先あり。",
    "ゴルフ好き。秋のコンペに誘う。",
    "早口だが丁寧。仕事が速い。",
    "Follow up with the proposal next week.",
)
CONTACT_NOTES = (
    "ゴルフ好き。",
    "英語対応可。",
    "お子さんが受験生。",
    "朝型。連絡は午前中に。",
    "紹介には慎重な方。",
    "日本酒に詳しい。",
    "Prefers email to calls.",
)
ORIGIN_NOTES = ("大学の同期", "前職の同僚", "顧問先からの紹介", "SNSで知り合った", "近所の経営者")
SUBJECTS_GIVEN = (
    "顧問先の社長",
    "相続の相談者",
    "知人の飲食店オーナー",
    "開業予定の方",
    "取引先の経理担当者",
    "A client starting a company in Japan",
)
REFERRAL_NOTES = ("紹介料は受け取らない方針で。", "初回面談に同席。", "Joined the first meeting.")
SUBJECTS_RECEIVED = (
    "新規顧問の依頼者",
    "相続税申告の依頼者",
    "法人設立の相談者",
    "決算を任せたいという社長",
    "A founder who needs a Japanese accountant",
)

# --- Shapes of relationships -----------------------------------------------------------

ARCHETYPES = ("card", "acquaintance", "trusted", "collaborator")
ARCHETYPE_WEIGHTS = (45, 28, 18, 9)
MIN_TOUCHES = {"card": 1, "acquaintance": 2, "trusted": 5, "collaborator": 8}
EXTRA_WEIGHT = {"card": 0.0, "acquaintance": 1.0, "trusted": 3.0, "collaborator": 6.0}
MAX_TOUCHES = 600  # per contact: about one every other day for three years
# Days from the first meeting to the last touch, per archetype (low, high).
SPAN_DAYS = {
    "card": (0, 0),
    "acquaintance": (7, 85),
    "trusted": (100, HORIZON_DAYS),
    "collaborator": (150, HORIZON_DAYS),
}
EVENT_WINDOW_DAYS = 30  # an origin event is at most this long before the drawn first meeting
CADENCE_GUESS = {"card": 30, "acquaintance": 91, "trusted": 61, "collaborator": 42}
# Shares of warm, cooling, cold and dormant relationships aimed at, per archetype.
WARMTH_MIX = {
    "acquaintance": (30, 15, 20, 35),
    "trusted": (40, 20, 20, 20),
    "collaborator": (50, 20, 20, 10),
}
KIND_WEIGHTS = {
    "acquaintance": {"message": 30, "meeting": 20, "call": 15, "event": 15, "meal": 8, "note": 10},
    "trusted": {
        "meeting": 25, "message": 20, "call": 15, "meal": 12, "event": 6, "note": 8,
        "consulted_me": 3, "consulted_them": 1, "worked_together": 5,
    },
    "collaborator": {
        "meeting": 22, "message": 18, "call": 14, "meal": 12, "event": 4, "note": 6,
        "consulted_me": 8, "consulted_them": 8, "worked_together": 8,
    },
}  # fmt: skip
GROUP_KINDS = frozenset({"meeting", "meal", "event", "worked_together"})
GROUP_SHARE = 0.12  # of those, how many involve more people
STATUSES = ("introduced", "met", "engaged", "not_a_fit")
STATUS_WEIGHTS_RECENT = (60.0, 30.0, 10.0, 0.0)  # referred in the last 30 days
STATUS_WEIGHTS_OLD = (15.0, 25.0, 45.0, 15.0)


# --- In-memory drafts --------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """One contact being drafted, with its history once it is known."""

    archetype: str
    western: bool
    family_name: str = ""
    given_name: str = ""
    family_reading: str = ""
    given_reading: str = ""
    company: str = ""
    department: str = ""
    title: str = ""
    expertise: str = ""
    notes: str = ""
    email: str = ""
    phone: str = ""
    first_met_on: date | None = None
    last_on: date | None = None
    shape: str = "plain"  # card variants: plain, with_note, no_touch, note_only
    touches_wanted: int = 0
    origin: str = "none"  # event, introducer, note, none
    origin_event: int | None = None  # index into the events
    introduced_by: int | None = None  # index into the people
    origin_note: str = ""
    cadence: str | None = None
    tags: list[int] = field(default_factory=list)  # indexes into TAGS
    snoozed_until: date | None = None
    archived_at: datetime | None = None
    id: int = 0
    touches: list[Touch] = field(default_factory=list)
    referrals: list[RuleReferral] = field(default_factory=list)


@dataclass(slots=True)
class TouchDraft:
    """One touchpoint being drafted; contacts are indexes into the people."""

    on: date
    kind: str
    contacts: list[int]
    at: time | None = None
    summary: str = ""
    notes: str = ""
    initiated_by: str | None = None
    follow_up_on: date | None = None
    event: int | None = None
    id: int = 0


@dataclass(slots=True)
class ReferralDraft:
    """One referral being drafted; people are indexes into the people."""

    on: date
    direction: str
    contact: int
    other: int | None = None
    subject: str = ""
    subject_contact: int | None = None
    status: str = "introduced"
    notes: str = ""


@dataclass(slots=True)
class EventDraft:
    """One event being drafted."""

    name: str
    kind: str
    held_on: date
    place: str
    id: int = 0


@dataclass
class Draft:
    """Everything one seeding run will insert, before ids are given."""

    today: date
    events: list[EventDraft]
    people: list[Person]
    touches: list[TouchDraft]
    referrals: list[ReferralDraft]


# --- Random helpers ----------------------------------------------------------------------


class Chooser:
    """A seeded random source with the weighted picks the generator needs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._cumulative: dict[tuple[float, ...], list[float]] = {}

    def chance(self, share: float) -> bool:
        """Return True with this probability."""
        return self.rng.random() < share

    def pick(self, items: Sequence[Any]) -> Any:
        """Return one item, uniformly."""
        return items[self.rng.randrange(len(items))]

    def weighted(self, items: Sequence[Any], weights: tuple[float, ...]) -> Any:
        """Return one item with probability proportional to its weight."""
        cumulative = self._cumulative.get(weights)
        if cumulative is None:
            cumulative = self._cumulative[weights] = _cumulate(weights)
        point = self.rng.random() * cumulative[-1]
        return items[bisect.bisect_right(cumulative, point)]

    def day_between(self, start: date, end: date) -> date:
        """Return a day from start to end, both included."""
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))


def _cumulate(weights: Sequence[float]) -> list[float]:
    """Return the running totals of the weights."""
    totals, running = [], 0.0
    for weight in weights:
        running += weight
        totals.append(running)
    return totals


def _zipf_weights(count: int, exponent: float = 0.8) -> tuple[float, ...]:
    """Return Zipf-like weights: the first item is the most common."""
    return tuple(1 / (rank**exponent) for rank in range(1, count + 1))


FAMILY_WEIGHTS = _zipf_weights(len(FAMILY_NAMES))
GIVEN_WEIGHTS = _zipf_weights(len(GIVEN_NAMES), 0.5)
PROFESSION_WEIGHTS = tuple(p.weight for p in PROFESSIONS)
WESTERN_PROFESSION_WEIGHTS = tuple(p.weight for p in WESTERN_PROFESSIONS)
EVENT_WEIGHTS = tuple(series[3] for series in EVENT_SERIES)
TAG_WEIGHTS = tuple(tag[2] for tag in TAGS)
KIND_TABLES = {name: (tuple(table), tuple(table.values())) for name, table in KIND_WEIGHTS.items()}
REAL_KIND_TABLES = {
    name: (
        tuple(k for k in table if k != "note"),
        tuple(w for k, w in table.items() if k != "note"),
    )
    for name, table in KIND_WEIGHTS.items()
}


# --- Generating the draft ----------------------------------------------------------------


class Generator:
    """Draws a whole dataset from a plan and a seed, in memory."""

    def __init__(self, plan: SeedPlan, today: date) -> None:
        self.plan = plan
        self.today = today
        self.start = today - timedelta(days=HORIZON_DAYS)
        self.choose = Chooser(plan.seed)
        self.companies: dict[int, list[str]] = defaultdict(list)
        self.events: list[EventDraft] = []
        self.event_days: list[date] = []
        self.people: list[Person] = []
        self.touches: list[TouchDraft] = []
        self.referrals: list[ReferralDraft] = []

    def draft(self) -> Draft:
        """Draw events, people, their timelines, touchpoints and referrals."""
        self._draw_events()
        self.people = [self._draw_person() for _ in range(self.plan.contacts)]
        self._allocate_touches()
        for person in self.people:
            self._draw_timeline(person)
        self.people.sort(key=_met_order)
        self._draw_introducers()
        for index, person in enumerate(self.people):
            self._draw_history(index, person)
        self._add_group_members()
        self._draw_referrals()
        return Draft(self.today, self.events, self.people, self.touches, self.referrals)

    # Events

    def _draw_events(self) -> None:
        """Draw the events, one row per date, spread over the three years."""
        count = max(12, self.plan.contacts // 10)
        days = sorted(self.choose.day_between(self.start, self.today) for _ in range(count))
        for held_on in days:
            kind, pattern, places, _weight = self.choose.weighted(EVENT_SERIES, EVENT_WEIGHTS)
            area = self.choose.pick(AREAS)
            place = self.choose.pick(places).format(area=area)
            self.events.append(EventDraft(pattern.format(area=area), kind, held_on, place))
        self.event_days = [event.held_on for event in self.events]

    # People

    def _draw_person(self) -> Person:
        """Draw one contact's name, work, tags and the shape of the relationship."""
        archetype = self.choose.weighted(ARCHETYPES, ARCHETYPE_WEIGHTS)
        person = Person(archetype=archetype, western=self.choose.chance(0.2))
        if person.western:
            self._name_western(person)
        else:
            self._name_japanese(person)
        self._draw_work(person)
        self._draw_extras(person)
        if archetype == "card":
            person.shape = self.choose.weighted(
                ("plain", "with_note", "no_touch", "note_only"), (85, 8, 3, 4)
            )
        return person

    def _name_japanese(self, person: Person) -> None:
        """Give a kanji family and given name with their readings."""
        person.family_name, person.family_reading = self.choose.weighted(
            FAMILY_NAMES, FAMILY_WEIGHTS
        )
        person.given_name, person.given_reading = self.choose.weighted(GIVEN_NAMES, GIVEN_WEIGHTS)

    def _name_western(self, person: Person) -> None:
        """Give a Western name; some users type a katakana reading for it."""
        given, given_kana = self.choose.pick(WESTERN_GIVEN)
        family, family_kana = self.choose.pick(WESTERN_FAMILY)
        person.family_name, person.given_name = family, given
        if self.choose.chance(0.3):
            person.family_reading, person.given_reading = family_kana, given_kana

    def _draw_work(self, person: Person) -> None:
        """Give a company (often shared with other contacts), department, title, skills."""
        if person.western:
            kind = 100 + self._pick_index(WESTERN_PROFESSIONS, WESTERN_PROFESSION_WEIGHTS)
            work = WESTERN_PROFESSIONS[kind - 100]
        else:
            kind = self._pick_index(PROFESSIONS, PROFESSION_WEIGHTS)
            work = PROFESSIONS[kind]
        known = self.companies[kind]
        if known and self.choose.chance(0.35):
            person.company = self.choose.pick(known)
        else:
            person.company = self.choose.pick(work.companies).format(
                stem=self.choose.pick(STEMS),
                family=person.family_name,
                area=self.choose.pick(AREAS),
            )
            known.append(person.company)
        person.department = self.choose.pick(work.departments)
        person.title = self.choose.pick(work.titles)
        if self.choose.chance(0.85):
            count = min(len(work.skills), 1 + self.choose.rng.randrange(3))
            separator = ", " if person.western else "、"
            person.expertise = separator.join(self.choose.rng.sample(work.skills, count))

    def _pick_index(self, items: Sequence[Any], weights: tuple[float, ...]) -> int:
        """Return the index of a weighted pick."""
        return int(self.choose.weighted(range(len(items)), weights))

    def _draw_extras(self, person: Person) -> None:
        """Draw tags, a cadence of its own, notes, an email and a phone number."""
        tag_count = self.choose.weighted((0, 1, 2, 3), (35, 35, 20, 10))
        picked: list[int] = []
        for _ in range(tag_count):
            tag = self._pick_index(TAGS, TAG_WEIGHTS)
            if tag not in picked:
                picked.append(tag)
        person.tags = sorted(picked)
        if self.choose.chance(0.05):
            person.cadence = self.choose.pick(CADENCE_OVERRIDES)
        if self.choose.chance(0.25):
            person.notes = self.choose.pick(CONTACT_NOTES)
        number = self.choose.rng.randrange(10_000_000)
        if self.choose.chance(0.85):
            person.email = f"contact{number:07d}@example.jp"
        if self.choose.chance(0.7):
            prefix = self.choose.pick(("03", "06", "045", "090", "080"))
            person.phone = f"{prefix}-{number % 10_000:04d}-{number // 1_000 % 10_000:04d}"

    # How many touchpoints each person starts

    def _allocate_touches(self) -> None:
        """Share the touchpoints out: a minimum per shape, the rest lognormally skewed."""
        minimums = [_minimum_touches(person) for person in self.people]
        weights = [
            EXTRA_WEIGHT[person.archetype] * self.choose.rng.lognormvariate(0.0, 1.0)
            for person in self.people
        ]
        counts = allocate(self.plan.touchpoints, minimums, weights, MAX_TOUCHES)
        for person, count in zip(self.people, counts, strict=True):
            person.touches_wanted = count

    # Timelines: first meeting and last touch

    def _draw_timeline(self, person: Person) -> None:
        """Choose the first meeting and the last real touch, aiming at a warmth."""
        if person.archetype == "card":
            if person.shape != "no_touch" or self.choose.chance(0.5):
                person.first_met_on = self.choose.day_between(self.start, self.today)
            person.last_on = person.first_met_on
        else:
            self._draw_span(person)
        self._draw_origin(person)

    def _draw_span(self, person: Person) -> None:
        """Place a longer relationship: a gap since the last touch, then its span."""
        low, high = SPAN_DAYS[person.archetype]
        cadence = CADENCE_GUESS[person.archetype]
        warmth = self.choose.weighted(range(4), WARMTH_MIX[person.archetype])
        bounds = ((0.0, 0.7), (0.76, 0.99), (1.05, 2.9), (3.1, HORIZON_DAYS / cadence))[warmth]
        gap = int(self.choose.rng.uniform(*bounds) * cadence)
        gap = min(gap, HORIZON_DAYS - low)
        last = self.today - timedelta(days=gap)
        room = (last - self.start).days
        span = self.choose.rng.randint(low, max(low, min(high, room)))
        person.last_on = last
        person.first_met_on = last - timedelta(days=span)

    def _draw_origin(self, person: Person) -> None:
        """Say where the person was met: an event near the first meeting, or otherwise."""
        origin = self.choose.weighted(("event", "introducer", "note", "none"), (55, 15, 10, 20))
        if origin == "event" and person.first_met_on is not None:
            event = self._event_near(person.first_met_on, person)
            if event is not None:
                person.origin, person.origin_event = "event", event
                person.first_met_on = self.events[event].held_on
                return
            origin = "note"
        if origin == "note" and self.choose.chance(0.8):
            person.origin, person.origin_note = "note", self.choose.pick(ORIGIN_NOTES)
        elif origin == "introducer":
            person.origin = "introducer"

    def _event_near(self, day: date, person: Person) -> int | None:
        """Return an event shortly before the day that keeps the drawn span possible."""
        latest = day
        if person.last_on is not None and person.archetype != "card":
            low = SPAN_DAYS[person.archetype][0]
            latest = min(day, person.last_on - timedelta(days=low))
        first = bisect.bisect_left(self.event_days, day - timedelta(days=EVENT_WINDOW_DAYS))
        last = bisect.bisect_right(self.event_days, latest)
        if first >= last:
            return None
        return self.choose.rng.randrange(first, last)

    def _draw_introducers(self) -> None:
        """Pick an introducer met earlier for those introduced; most are closer contacts."""
        close = [i for i, p in enumerate(self.people) if p.archetype in ("trusted", "collaborator")]
        close_days = [self.people[i].first_met_on or self.today for i in close]
        for person in self.people:
            if person.origin != "introducer" or person.first_met_on is None:
                continue
            known = bisect.bisect_left(close_days, person.first_met_on)
            if known == 0:
                person.origin, person.origin_note = "note", self.choose.pick(ORIGIN_NOTES)
                continue
            person.introduced_by = close[self.choose.rng.randrange(known)]

    # Touchpoints

    def _draw_history(self, index: int, person: Person) -> None:
        """Draw the person's own touchpoints: first meeting, the ones between, the last."""
        count = person.touches_wanted
        if count == 0 or person.first_met_on is None:
            return
        first = person.first_met_on
        if person.archetype == "card":
            self._draw_card_history(index, person, first)
            return
        last = person.last_on or first
        days = sorted(self.choose.day_between(first, last) for _ in range(count - 2))
        kinds, weights = KIND_TABLES[person.archetype]
        middle = [self.choose.weighted(kinds, weights) for _ in days]
        if person.archetype == "collaborator" and len(middle) >= 2 and self.choose.chance(0.3):
            middle[0], middle[-1] = "consulted_me", "consulted_them"
        self._add_first_touch(index, person, first)
        for day, kind in zip(days, middle, strict=True):
            self._add_touch(index, person, day, kind)
        real_kinds, real_weights = REAL_KIND_TABLES[person.archetype]
        self._add_touch(index, person, last, self.choose.weighted(real_kinds, real_weights))

    def _draw_card_history(self, index: int, person: Person, first: date) -> None:
        """A card exchange (or only a note), and for some a private note after it."""
        if person.shape == "note_only":
            self._add_touch(index, person, first, "note")
            return
        self._add_first_touch(index, person, first)
        if person.shape == "with_note":
            later = self.choose.day_between(first, min(self.today, first + timedelta(days=20)))
            self._add_touch(index, person, later, "note")

    def _add_first_touch(self, index: int, person: Person, first: date) -> None:
        """Log the first meeting: a card exchange for most, at the event if there was one."""
        kind = "card_exchange"
        if person.origin_event is None and self.choose.chance(0.15):
            kind = self.choose.pick(("meeting", "call", "message", "event"))
        touch = self._add_touch(index, person, first, kind)
        touch.event = person.origin_event
        # Most follow-ups set at a card exchange are kept; with people never met again,
        # a few are forgotten and stay due.
        share = 0.1 if person.archetype == "card" else 0.3
        if kind == "card_exchange" and self.choose.chance(share):
            touch.follow_up_on = first + timedelta(days=self.choose.rng.randint(7, 30))

    def _add_touch(self, index: int, person: Person, day: date, kind: str) -> TouchDraft:
        """Append one touchpoint with this person, with realistic details."""
        touch = TouchDraft(on=day, kind=kind, contacts=[index])
        english = person.western and self.choose.chance(0.7)
        templates = (SUMMARIES_EN if english else SUMMARIES_JA)[kind]
        topic = self.choose.pick(TOPICS_EN if english else TOPICS_JA)
        touch.summary = self.choose.pick(templates).format(topic=topic)
        if kind not in ("note", "message") and self.choose.chance(0.35):
            touch.at = time(self.choose.rng.randint(8, 20), self.choose.pick((0, 15, 30, 45)))
        if kind not in ("note", "card_exchange"):
            touch.initiated_by = self.choose.weighted(("me", "them", None), (45, 35, 20))
        if self.choose.chance(0.12):
            touch.notes = self.choose.pick(TOUCH_NOTES)
        if kind != "card_exchange" and self.choose.chance(0.1):
            touch.follow_up_on = day + timedelta(days=self.choose.rng.randint(3, 45))
        if kind == "event":
            touch.event = self._event_on_or_before(day, person.first_met_on or day)
            if touch.event is not None:
                touch.on = self.events[touch.event].held_on
        self.touches.append(touch)
        return touch

    def _event_on_or_before(self, day: date, earliest: date) -> int | None:
        """Return the latest event held from `earliest` to `day`, if any."""
        position = bisect.bisect_right(self.event_days, day) - 1
        if position >= 0 and self.event_days[position] >= earliest:
            return position
        return None

    def _add_group_members(self) -> None:
        """Add colleagues or regulars (people met more than once) to some group touchpoints."""
        regulars = [i for i, p in enumerate(self.people) if p.archetype != "card"]
        regular_days = [self.people[i].first_met_on or date.max for i in regulars]
        by_company: dict[str, list[int]] = defaultdict(list)
        for index, person in enumerate(self.people):
            by_company[person.company].append(index)
        for touch in self.touches:
            if touch.kind not in GROUP_KINDS or not self.choose.chance(GROUP_SHARE):
                continue
            colleagues = by_company[self.people[touch.contacts[0]].company]
            known = regulars[: bisect.bisect_right(regular_days, touch.on)]
            for _ in range(self.choose.weighted((1, 2, 3), (60.0, 30.0, 10.0))):
                other = self._group_member(colleagues, known, touch.on)
                if other is not None and other not in touch.contacts:
                    touch.contacts.append(other)

    def _group_member(self, colleagues: list[int], known: list[int], day: date) -> int | None:
        """Return a colleague met by that day, else a regular met by then."""
        if self.choose.chance(0.4):
            candidate: int = self.choose.pick(colleagues)
            met = self.people[candidate].first_met_on
            if met is not None and met <= day:
                return candidate
        return self.choose.pick(known) if known else None

    # Referrals

    def _draw_referrals(self) -> None:
        """Draw referrals: both ways for collaborators, one way for some, from introducers."""
        met_days = [person.first_met_on or date.max for person in self.people]
        for index, person in enumerate(self.people):
            if person.first_met_on is None:
                continue
            if person.introduced_by is not None and self.choose.chance(0.4):
                self._add_referral(
                    person.introduced_by,
                    person.first_met_on,
                    "received",
                    subject_contact=index,
                )
            given, received = self._referral_counts(person.archetype)
            for direction, count in (("given", given), ("received", received)):
                for _ in range(count):
                    self._draw_referral(index, person.first_met_on, direction, met_days)

    def _referral_counts(self, archetype: str) -> tuple[int, int]:
        """How many referrals to give to and receive from a person of this archetype."""
        randint = self.choose.rng.randint
        if archetype == "collaborator":
            if self.choose.chance(0.7):
                return randint(1, 4), randint(1, 4)
            return (randint(0, 1), 0) if self.choose.chance(0.5) else (0, randint(0, 1))
        if archetype == "trusted" and self.choose.chance(0.25):
            return (randint(1, 3), 0) if self.choose.chance(0.5) else (0, randint(1, 3))
        if archetype == "acquaintance" and self.choose.chance(0.05):
            return (1, 0) if self.choose.chance(0.5) else (0, 1)
        return 0, 0

    def _draw_referral(self, index: int, met: date, direction: str, met_days: list[date]) -> None:
        """Draw one referral after the first meeting; some given ones are introductions."""
        on = self._recent_leaning_day(met)
        if direction == "given" and self.choose.chance(0.2):
            known = bisect.bisect_right(met_days, on)
            other = self.choose.rng.randrange(known) if known else index
            if other != index:
                self._add_referral(index, on, "introduction", other=other)
                return
        self._add_referral(index, on, direction)

    def _recent_leaning_day(self, earliest: date) -> date:
        """A day from earliest to today, more often recent than not."""
        span = (self.today - earliest).days
        return self.today - timedelta(days=int(span * self.choose.rng.random() ** 1.5))

    def _add_referral(
        self,
        contact: int,
        on: date,
        direction: str,
        *,
        other: int | None = None,
        subject_contact: int | None = None,
    ) -> None:
        """Append one referral with a subject, a status fitting its age, and maybe notes."""
        referral = ReferralDraft(on=on, direction=direction, contact=contact, other=other)
        referral.subject_contact = subject_contact
        if subject_contact is None and direction != "introduction":
            subjects = SUBJECTS_RECEIVED if direction == "received" else SUBJECTS_GIVEN
            referral.subject = self.choose.pick(subjects)
        recent = (self.today - on).days <= 30
        weights = STATUS_WEIGHTS_RECENT if recent else STATUS_WEIGHTS_OLD
        referral.status = self.choose.weighted(STATUSES, weights)
        if self.choose.chance(0.2):
            referral.notes = self.choose.pick(REFERRAL_NOTES)
        self.referrals.append(referral)


def _minimum_touches(person: Person) -> int:
    """The touchpoints a person's shape needs at least."""
    if person.archetype != "card":
        return MIN_TOUCHES[person.archetype]
    return {"plain": 1, "with_note": 2, "no_touch": 0, "note_only": 1}[person.shape]


def _met_order(person: Person) -> tuple[date, str]:
    """Sort key: first met first; people never met last."""
    return (person.first_met_on or date.max, person.family_reading + person.family_name)


def allocate(total: int, minimums: list[int], weights: list[float], cap: int) -> list[int]:
    """Share `total` out: each gets its minimum, the rest by weight, none above the cap."""
    counts = list(minimums)
    remaining = total - sum(counts)
    while remaining > 0:
        open_ = [i for i, w in enumerate(weights) if w > 0 and counts[i] < cap]
        if not open_:
            break
        weight_sum = math.fsum(weights[i] for i in open_)
        shares = {i: remaining * weights[i] / weight_sum for i in open_}
        given = 0
        for i in open_:
            add = min(int(shares[i]), cap - counts[i])
            counts[i] += add
            given += add
        if given == 0:
            for i in sorted(open_, key=lambda i: -(shares[i] % 1))[:remaining]:
                counts[i] += 1
                given += 1
        remaining -= given
    return counts


# --- Ids and derived fields --------------------------------------------------------------


def assign_ids(draft: Draft, starts: dict[str, int]) -> None:
    """Number events and people in draft order, touchpoints in the order they happened."""
    for offset, event in enumerate(draft.events):
        event.id = starts["events"] + offset
    for offset, person in enumerate(draft.people):
        person.id = starts["contacts"] + offset
    draft.touches.sort(key=lambda t: (t.on, t.at or time.min))
    for offset, touch in enumerate(draft.touches):
        touch.id = starts["touchpoints"] + offset


def collect_histories(draft: Draft) -> None:
    """Give each person its touches and referrals, as the rules (and load_histories) see them."""
    for touch in draft.touches:
        rule_touch = Touch(
            on=touch.on, kind=touch.kind, follow_up_on=touch.follow_up_on, order=touch.id
        )
        for index in touch.contacts:
            draft.people[index].touches.append(rule_touch)
    for referral in draft.referrals:
        partners: list[tuple[int | None, str]] = [(referral.contact, referral.direction)]
        if referral.direction == "introduction":
            partners = [(referral.contact, "given"), (referral.other, "given")]
        for partner, direction in partners:
            if partner is not None:
                draft.people[partner].referrals.append(RuleReferral(referral.on, direction))


def label_stage(found: str, choose: Chooser) -> str:
    """The stage a user would set: mostly what the evidence says, sometimes behind or ahead."""
    rank = STAGES.index(found)
    roll = choose.rng.random()
    if rank > 0 and roll < 0.12:
        return STAGES[rank - 1]  # a promotion candidate
    if rank < len(STAGES) - 1 and roll > 0.94:
        return STAGES[rank + 1]  # a label ahead of the evidence
    return found


def derived_fields(
    person: Person, stage: str, tag_cadences: list[str | None], found: Evidence
) -> dict[str, Any]:
    """The fields tracker.services.derived.derive stores, worked out by the same rules.

    ``found`` must be evidence(person.touches, person.referrals, today), as derive's is.
    """
    last = last_touch(person.touches)
    cadence = effective_cadence(stage, person.cadence, tag_cadences)
    dates = warmth_dates(last, cadence)
    return {
        "last_touch_on": last,
        "follow_up_on": pending_follow_up(person.touches),
        "cooling_on": dates.cooling_on if dates else None,
        "next_due_on": dates.due_on if dates else None,
        "dormant_after": dates.dormant_after if dates else None,
        "evidence_stage": found.stage,
        "strength_level": strength_level(person.touches, person.referrals),
    }


def name_keys(person: Person, tag_names: list[str]) -> dict[str, str]:
    """The search and sort keys Contact.refresh_keys would store (tags in name order)."""
    parts = names.NameParts(
        family_name=person.family_name,
        given_name=person.given_name,
        family_reading=person.family_reading,
        given_reading=person.given_reading,
        company=person.company,
        department=person.department,
        title=person.title,
        notes=person.notes,
        expertise=person.expertise,
        tags=tuple(sorted(tag_names)),
    )
    return {
        "search_key": names.search_key(parts),
        "sort_key": names.sort_key(parts)[: 4 * NAME_LEN + 10],
    }


# --- Rows --------------------------------------------------------------------------------


def _stamp(day: date, at: time | None = None) -> datetime:
    """A deterministic creation time on a day (noon UTC unless a time is given)."""
    return datetime.combine(day, at or time(12, 0), tzinfo=UTC)


def _draw_status(person: Person, choose: Chooser, today: date) -> None:
    """Archive a few long-dormant people and snooze a few others."""
    last = person.last_on
    if last is not None and (today - last).days > 365 and choose.chance(0.08):
        person.archived_at = _stamp(choose.day_between(last + timedelta(days=180), today))
    elif choose.chance(0.02):
        person.snoozed_until = today + timedelta(days=choose.rng.randint(-20, 40))


def contact_rows(
    draft: Draft, user_id: int, tags: list[tuple[int, str, str | None]], seed: int
) -> list[dict[str, Any]]:
    """The contact rows, with every derived field computed."""
    choose = Chooser(seed * 7919 + 1)
    rows = []
    for person in draft.people:
        _draw_status(person, choose, draft.today)
        found = evidence(person.touches, person.referrals, draft.today)
        stage = label_stage(found.stage, choose)
        own_tags = [tags[i] for i in person.tags]
        created = _stamp(person.first_met_on or draft.today - timedelta(days=HORIZON_DAYS))
        rows.append(
            {
                "id": person.id,
                "user_id": user_id,
                "family_name": person.family_name,
                "given_name": person.given_name,
                "family_reading": person.family_reading,
                "given_reading": person.given_reading,
                "company": person.company,
                "department": person.department,
                "title": person.title,
                "expertise": person.expertise,
                "notes": person.notes,
                "first_met_on": person.first_met_on,
                "origin_event_id": _event_id(draft, person.origin_event),
                "introduced_by_id": _person_id(draft, person.introduced_by),
                "origin_note": person.origin_note,
                "stage": stage,
                "cadence": person.cadence,
                "snoozed_until": person.snoozed_until,
                "archived_at": person.archived_at,
                "created_at": created,
                "updated_at": created,
                **derived_fields(person, stage, [t[2] for t in own_tags], found),
                **name_keys(person, [t[1] for t in own_tags]),
            }
        )
    return rows


def _event_id(draft: Draft, index: int | None) -> int | None:
    """The id of an event index."""
    return None if index is None else draft.events[index].id


def _person_id(draft: Draft, index: int | None) -> int | None:
    """The id of a person index."""
    return None if index is None else draft.people[index].id


def event_rows(draft: Draft, user_id: int) -> list[dict[str, Any]]:
    """The event rows."""
    return [
        {
            "id": event.id,
            "user_id": user_id,
            "name": event.name,
            "kind": event.kind,
            "held_on": event.held_on,
            "place": event.place,
            "notes": "",
            "created_at": _stamp(event.held_on),
        }
        for event in draft.events
    ]


def method_rows(draft: Draft) -> list[dict[str, Any]]:
    """Each person's email address and phone number, where they have them."""
    rows = []
    for person in draft.people:
        values = [("email", "仕事", person.email), ("phone", "携帯", person.phone)]
        present = [(kind, label, value) for kind, label, value in values if value]
        for position, (kind, label, value) in enumerate(present):
            if person.western:
                label = "work" if kind == "email" else "mobile"
            rows.append(
                {
                    "contact_id": person.id,
                    "kind": kind,
                    "label": label,
                    "value": value,
                    "position": position,
                }
            )
    return rows


def touchpoint_rows(draft: Draft, user_id: int) -> list[dict[str, Any]]:
    """The touchpoint rows."""
    rows = []
    for touch in draft.touches:
        stamp = _stamp(touch.on, touch.at)
        rows.append(
            {
                "id": touch.id,
                "user_id": user_id,
                "occurred_on": touch.on,
                "occurred_at": touch.at,
                "kind": touch.kind,
                "summary": touch.summary,
                "notes": touch.notes,
                "initiated_by": touch.initiated_by,
                "follow_up_on": touch.follow_up_on,
                "event_id": _event_id(draft, touch.event),
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return rows


def link_rows(draft: Draft) -> list[dict[str, int]]:
    """Which contacts each touchpoint involves."""
    return [
        {"touchpoint_id": touch.id, "contact_id": draft.people[index].id}
        for touch in draft.touches
        for index in touch.contacts
    ]


def referral_rows(draft: Draft, user_id: int) -> list[dict[str, Any]]:
    """The referral rows, oldest first."""
    rows = []
    for referral in sorted(draft.referrals, key=lambda r: r.on):
        stamp = _stamp(referral.on)
        rows.append(
            {
                "user_id": user_id,
                "referred_on": referral.on,
                "direction": referral.direction,
                "contact_id": draft.people[referral.contact].id,
                "other_contact_id": _person_id(draft, referral.other),
                "subject": referral.subject,
                "subject_contact_id": _person_id(draft, referral.subject_contact),
                "status": referral.status,
                "notes": referral.notes,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return rows


# --- Writing -----------------------------------------------------------------------------

ID_TABLES = ("events", "tags", "contacts", "touchpoints")
LOCKED_TABLES = "events, tags, contacts, contact_methods, contact_tags, touchpoints, referrals"


def table(name: str) -> Table:
    """The Core table of this name."""
    return Base.metadata.tables[name]


def insert_batches(session: Session, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows with SQLAlchemy Core, a batch at a time."""
    statement = insert(table(name))
    for start in range(0, len(rows), BATCH_ROWS):
        session.execute(statement, rows[start : start + BATCH_ROWS])


def next_ids(session: Session) -> dict[str, int]:
    """The first free id of each table whose ids the rows set themselves."""
    return {
        name: (session.scalar(select(func.max(table(name).c.id))) or 0) + 1 for name in ID_TABLES
    }


def lock_for_ids(session: Session) -> None:
    """Keep other writers out while ids are chosen (SQLite: BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"LOCK TABLE {LOCKED_TABLES} IN SHARE ROW EXCLUSIVE MODE"))


def sync_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the ids inserted explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )


def ensure_tags(session: Session, user_id: int, first_id: int) -> list[tuple[int, str, str | None]]:
    """The user's tags for TAGS, as (id, name, cadence): existing ones kept, others added."""
    existing = {
        names.normalise(tag.name): (tag.id, tag.name, tag.cadence)
        for tag in session.scalars(select(Tag).where(Tag.user_id == user_id))
    }
    tags: list[tuple[int, str, str | None]] = []
    new_rows: list[dict[str, Any]] = []
    for name, cadence, _weight in TAGS:
        found = existing.get(names.normalise(name))
        if found is None:
            found = (first_id + len(new_rows), name, cadence)
            new_rows.append({"id": found[0], "user_id": user_id, "name": name, "cadence": cadence})
        tags.append(found)
    insert_batches(session, "tags", new_rows)
    return tags


def seed_user(session: Session, user_id: int, plan: SeedPlan, today: date) -> SeedCounts:
    """Add a generated dataset to a user's account, in the session's transaction."""
    started = clock.perf_counter()
    lock_for_ids(session)
    starts = next_ids(session)
    draft = Generator(plan, today).draft()
    assign_ids(draft, starts)
    collect_histories(draft)
    tags = ensure_tags(session, user_id, starts["tags"])
    contacts = contact_rows(draft, user_id, tags, plan.seed)
    methods = method_rows(draft)
    tag_links = [
        {"contact_id": person.id, "tag_id": tags[i][0]}
        for person in draft.people
        for i in person.tags
    ]
    touchpoints = touchpoint_rows(draft, user_id)
    links = link_rows(draft)
    referrals = referral_rows(draft, user_id)
    insert_batches(session, "events", event_rows(draft, user_id))
    insert_batches(session, "contacts", contacts)
    insert_batches(session, "contact_methods", methods)
    insert_batches(session, "contact_tags", tag_links)
    insert_batches(session, "touchpoints", touchpoints)
    insert_batches(session, "touchpoint_contacts", links)
    insert_batches(session, "referrals", referrals)
    sync_sequences(session)
    return SeedCounts(
        events=len(draft.events),
        tags=len(tags),
        contacts=len(contacts),
        methods=len(methods),
        touchpoints=len(touchpoints),
        touchpoint_links=len(links),
        referrals=len(referrals),
        seconds=clock.perf_counter() - started,
    )


def plan_for(
    tier: str | None, contacts: int | None, touchpoints: int | None, seed: int
) -> SeedPlan:
    """The plan the options describe: a tier's sizes, or --contacts at the tier's ratio."""
    if tier is None and contacts is None:
        raise click.UsageError("Give --tier or --contacts.")
    if tier is not None:
        base = TIERS[tier]
        ratio = base.touchpoints / base.contacts
    else:
        base, ratio = SeedPlan(contacts or 0, 0), float(TOUCHPOINTS_PER_CONTACT)
    count = contacts if contacts is not None else base.contacts
    if touchpoints is None:
        touchpoints = round(count * ratio)
    return SeedPlan(contacts=count, touchpoints=touchpoints, seed=seed)


def _describe(counts: SeedCounts) -> str:
    """One line on what was seeded."""
    return (
        f"{counts.contacts} contacts, {counts.touchpoints} touchpoints "
        f"({counts.touchpoint_links} links), {counts.referrals} referrals, "
        f"{counts.events} events, {counts.tags} tags in {counts.seconds:.1f} s"
    )


@click.command("seed")
@click.option("--user", "email", required=True, help="The account to fill (it must exist).")
@click.option("--tier", type=click.Choice(list(TIERS)), help="solo, heavy or firm.")
@click.option("--contacts", type=click.IntRange(min=1), help="How many contacts.")
@click.option("--touchpoints", type=click.IntRange(min=0), help="How many touchpoints.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@with_appcontext
def seed_command(
    email: str, tier: str | None, contacts: int | None, touchpoints: int | None, seed: int
) -> None:
    """Fill an account with a realistic, reproducible dataset (for demos and benchmarks)."""
    plan = plan_for(tier, contacts, touchpoints, seed)
    with write_transaction() as session:
        user = find_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account with the email address {email}.")
        today = today_in(user.time_zone, current_app.config.get("TODAY"))
        counts = seed_user(session, user.id, plan, today)
    click.echo(f"Seeded {user.email} (seed {seed}, today {today}): {_describe(counts)}.")
