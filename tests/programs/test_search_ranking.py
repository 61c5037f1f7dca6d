"""The ranking and the snippets of programs.search, on small indexes made here (no database):
where a word is found decides the score, the words' scores add up, a program for businesses
gets one point more, and ties go to the shorter reading."""

from core.text import search_text
from programs import search

BUSINESS = "中小企業・小規模事業者"


def row(pk, name, tagline="", body="", reading="", audience=BUSINESS, number=None):
    return (
        pk,
        search_text(name),
        search_text(tagline),
        search_text(name, tagline, body),
        reading,
        name,
        1,
        number if number is not None else pk,
        audience,
    )


def index_of(rows):
    """The index of rows made by row(): its texts are kept apart, read when first searched."""
    return search.Index(
        [(r[0], *r[4:]) for r in rows], business_audiences=[BUSINESS], texts=[r[:4] for r in rows]
    )


def ranked(rows, text, order=""):
    index = index_of(rows)
    found = index.find(search.parse(text), order)
    return index.pks_at(found.positions)


def test_the_best_place_of_a_word_decides():
    rows = [
        row(1, "相談窓口", body="補助金の申請を手伝います", reading="そうだん"),
        row(2, "案内", tagline="補助金のご案内", reading="あんない"),
        row(3, "ものづくり補助金", reading="ものづくりほじょきん"),
    ]
    assert ranked(rows, "補助金") == [3, 2, 1]


def test_a_program_for_businesses_wins_a_tie_but_not_a_better_place():
    rows = [
        row(1, "窓口あ", body="融資の相談", reading="あ", audience="支援機関"),
        row(2, "窓口い", body="融資の相談", reading="い"),
        row(3, "窓口う", tagline="融資のご案内", reading="う", audience="支援機関"),
    ]
    # 3: tagline (6) beats 2: body plus the business point (2 + 1), which beats 1: body (2).
    assert ranked(rows, "融資") == [3, 2, 1]


def test_the_scores_of_the_words_add_up():
    rows = [
        row(1, "創業の窓口", body="融資も", reading="あ"),  # name 16 + body 2
        row(2, "窓口", tagline="創業と融資", reading="い"),  # tagline 6 + tagline 6
        row(3, "窓口", body="創業 融資", reading="う"),  # body 2 + body 2
    ]
    assert ranked(rows, "創業 融資") == [1, 2, 3]


def test_equal_scores_go_to_the_shorter_reading_and_other_orders_ignore_the_score():
    rows = [
        row(1, "経営相談の窓口", reading="けいえいそうだんのまどぐち", number=1),
        row(2, "経営相談", reading="けいえいそうだん", number=2),
    ]
    assert ranked(rows, "経営相談") == [2, 1]
    assert ranked(rows, "経営相談", order="handbook") == [1, 2]


def test_any_word_when_no_program_has_all_of_them():
    rows = [
        row(1, "岡山の窓口", reading="あ"),
        row(2, "補助金", reading="い"),
        row(3, "窓口", body="補助金", reading="う"),
    ]
    index = index_of(rows)
    found = index.find(search.parse("岡山 補助金"))
    assert found.every == set()
    # 1 and 2 tie (a word in the name); readings of one kana, so the shorter name first.
    assert index.pks_at(found.positions) == [2, 1, 3]


def test_a_snippet_marks_the_text_as_printed_where_folding_moves_characters():
    # ㈱ folds to three characters and the spaces are dropped: the mark must still fall on
    # the printed ＩＴ 導入, not a few characters off.
    html = search.snippet(["㈱ＳＭＲＪ の ＩＴ 導入 支援です"], ["it導入"])
    assert html == "㈱ＳＭＲＪ の <mark>ＩＴ 導入</mark> 支援です"


def test_facet_groups_made_alike_from_different_columns_are_counted_together():
    """The index numbers each distinct raw value of the caller's columns once and makes its
    payload from it; two raw values may make one payload (lines of 対象 in another order)."""
    rows = [(pk, "よみ", "名前", 1, pk, BUSINESS, audience) for pk, audience in
            [(1, "a\nb"), (2, "b\na"), (3, "a")]]  # fmt: skip
    index = search.Index(rows, payload=lambda a: frozenset(a.split("\n")))
    counts = index.count_payloads(range(3))
    assert counts == {frozenset({"a", "b"}): 2, frozenset({"a"}): 1}
    kept = index.keep([2, 1, 0], lambda audiences: "b" in audiences)
    assert index.pks_at(kept) == [2, 1]
