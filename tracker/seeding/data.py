"""The tables seeding draws from: names, lines of work, events, tags, words, shapes.

Plain data only; tracker.seeding.generator decides how they are drawn.
"""

from dataclasses import dataclass

HORIZON_DAYS = 3 * 365  # history reaches three years back

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

# --- Weights the generator draws with -----------------------------------------------


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
