"""Names in their script's order, search keys and reading order (tracker.text)."""

import pytest

from tracker.text import NameParts, display_name, normalise, query_terms, search_key, sort_key


@pytest.mark.parametrize(
    ("family", "given", "expected"),
    [
        ("山田", "太郎", "山田 太郎"),
        ("Smith", "Jane", "Jane Smith"),
        ("やまだ", "", "やまだ"),
        ("", "Jane", "Jane"),
        ("スミス", "ジェーン", "スミス ジェーン"),
        ("  山田 ", " 太郎 ", "山田 太郎"),
    ],
)
def test_display_name_follows_the_script(family, given, expected):
    assert display_name(family, given) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﾔﾏﾀﾞ", "やまだ"),
        ("ヤマダ", "やまだ"),
        ("ＡＢＣ", "abc"),
        ("  Jane   SMITH ", "jane smith"),
        ("山田　太郎", "山田 太郎"),
    ],
)
def test_normalise_folds_width_script_case_and_space(raw, expected):
    assert normalise(raw) == expected


def yamada() -> NameParts:
    return NameParts(
        family_name="山田",
        given_name="太郎",
        family_reading="やまだ",
        given_reading="たろう",
        company="株式会社ＡＢＣ",
    )


@pytest.mark.parametrize(
    "query",
    ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "yamada", "YAMADA", "山田", "abc", "山田 たろう", "yamada tarou"],
)
def test_every_spelling_of_the_query_finds_the_contact(query):
    key = search_key(yamada())
    assert all(any(spelling in key for spelling in term) for term in query_terms(query))


@pytest.mark.parametrize("query", ["suzuki", "すずき", "田中"])
def test_other_names_do_not_match(query):
    key = search_key(yamada())
    assert not all(any(spelling in key for spelling in term) for term in query_terms(query))


def test_query_terms_offer_kana_for_romaji_only():
    assert query_terms("yamada") == [("yamada", "やまだ")]
    assert query_terms("山田") == [("山田",)]
    assert query_terms("x") == [("x",)]
    assert query_terms("   ") == []


def test_reading_order_is_gojuon_then_latin_then_unread_names():
    people = [
        NameParts(family_name="Smith", given_name="Jane"),
        NameParts(family_name="葛西", family_reading="かさい"),
        NameParts(family_name="河合", family_reading="かわい"),
        NameParts(family_name="学院", family_reading="がくいん"),
        NameParts(family_name="阿部", family_reading="あべ"),
        NameParts(family_name="Adams", given_name="Zoe"),
        NameParts(family_name="東海林"),
        NameParts(family_name="服部", family_reading="はっとり"),
        NameParts(family_name="葉月", family_reading="はつき"),
    ]
    ordered = [p.family_name for p in sorted(people, key=sort_key)]
    # が sorts with か (がくいん between かさい's neighbours by its unvoiced form), small っ as つ.
    assert ordered == ["阿部", "学院", "葛西", "河合", "葉月", "服部", "Adams", "Smith", "東海林"]
