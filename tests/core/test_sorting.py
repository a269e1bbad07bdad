"""The Vietnamese sort keys (core.sorting): pure functions, no database."""

import unicodedata

import pytest

from hdnd_portal.core.sorting import SORT_KEY_LENGTH, natural_sort_key, person_sort_key


def by_person(names):
    return sorted(names, key=person_sort_key)


def by_natural(names):
    return sorted(names, key=natural_sort_key)


def test_people_sort_by_given_name_first_in_the_vietnamese_alphabet():
    names = ["Huỳnh Văn Bé", "Hồ Thị An", "Đặng Văn Đức", "Dương Minh Dũng", "Nguyễn Thị Ánh", "Trần Văn An"]
    # Given names: An, An, Ánh, Bé, Dũng, Đức; the two "An" by family name: Hồ < Trần.
    assert by_person(names) == [
        "Hồ Thị An",
        "Trần Văn An",
        "Nguyễn Thị Ánh",
        "Huỳnh Văn Bé",
        "Dương Minh Dũng",
        "Đặng Văn Đức",
    ]


def test_d_bar_comes_right_after_d_not_after_z():
    assert by_person(["A Đông", "A Dung", "A Yến", "A Em"]) == ["A Dung", "A Đông", "A Em", "A Yến"]


def test_u_horn_comes_after_u_and_before_v():
    assert by_person(["A Vân", "A Ưng", "A Uyên", "A Ước"]) == ["A Uyên", "A Ưng", "A Ước", "A Vân"]


def test_a_breve_and_a_circumflex_are_letters_after_a():
    assert by_person(["X Ân", "X Ăn", "X Bình", "X Anh"]) == ["X Anh", "X Ăn", "X Ân", "X Bình"]
    assert by_person(["X Ơn", "X Ôn", "X On", "X Phong"]) == ["X On", "X Ôn", "X Ơn", "X Phong"]


def test_same_given_name_sorts_by_family_name_hồ_before_huỳnh():
    # The database's byte order puts "Huỳnh" first (u < ồ); in the Vietnamese alphabet o < u.
    assert by_person(["Huỳnh Văn Nam", "Hồ Văn Nam"]) == ["Hồ Văn Nam", "Huỳnh Văn Nam"]
    assert by_person(["Trần Thị Mai", "Lê Văn Mai", "Lê Thị Mai"]) == ["Lê Thị Mai", "Lê Văn Mai", "Trần Thị Mai"]


def test_tones_break_ties_in_the_order_none_huyền_hỏi_ngã_sắc_nặng():
    shuffled = ["Lê Ạ", "Lê Á", "Lê Ã", "Lê A", "Lê Ả", "Lê À"]
    assert by_person(shuffled) == ["Lê A", "Lê À", "Lê Ả", "Lê Ã", "Lê Á", "Lê Ạ"]


def test_a_tone_only_breaks_a_tie_between_the_same_letters_of_a_word():
    # "Anh" and "Ánh" are two names: every Anh first, then every Ánh, each by family name.
    assert by_person(["Bùi Thị Ánh", "Vũ Thị Anh", "An Văn Anh"]) == ["An Văn Anh", "Vũ Thị Anh", "Bùi Thị Ánh"]
    # A word's tone is weighed before the next word's letters (dictionary order).
    assert by_natural(["Án An", "An Bình"]) == ["An Bình", "Án An"]
    assert by_person(["Bình Án", "An Bình"]) == ["Bình Án", "An Bình"]


def test_a_word_comes_before_its_longer_continuation():
    assert by_person(["X Anh", "X An", "X Á"]) == ["X Á", "X An", "X Anh"]


def test_capitals_decomposed_input_and_extra_spaces_do_not_change_the_key():
    assert person_sort_key("NGUYỄN  VĂN   ĐỨC") == person_sort_key("Nguyễn Văn Đức")
    assert person_sort_key(unicodedata.normalize("NFD", "Nguyễn Văn Đức")) == person_sort_key("Nguyễn Văn Đức")
    assert person_sort_key(" Hồ Thị An ") == person_sort_key("Hồ Thị An")


def test_empty_and_one_word_names():
    assert person_sort_key("") == "" and person_sort_key(None) == "" and person_sort_key("   ") == ""
    assert by_person(["Lan", "", "Nguyễn Thị Hoa", "admin"]) == ["", "admin", "Nguyễn Thị Hoa", "Lan"]


def test_punctuation_is_ignored_and_foreign_letters_keep_their_latin_place():
    assert person_sort_key("Nguyễn Thị Hoa.") == person_sort_key("Nguyễn Thị Hoa")
    assert by_person(["K'Sor Zơ", "Y Wang", "Ja Frank"]) == ["Ja Frank", "Y Wang", "K'Sor Zơ"]


def test_numbered_groups_sort_by_the_value_of_the_number():
    assert by_natural(["Tổ 10", "Tổ 2", "Tổ 11", "Tổ 1"]) == ["Tổ 1", "Tổ 2", "Tổ 10", "Tổ 11"]
    assert by_natural(["Tổ đại biểu số 10", "Tổ đại biểu số 2", "Tổ đại biểu số 1"]) == [
        "Tổ đại biểu số 1",
        "Tổ đại biểu số 2",
        "Tổ đại biểu số 10",
    ]
    assert by_natural(["Khu phố 3", "Khu phố 03", "Khu phố 12"])[-1] == "Khu phố 12"
    assert natural_sort_key("Khu phố 3") == natural_sort_key("Khu phố 03")


def test_natural_order_reads_left_to_right_with_the_vietnamese_alphabet():
    assert by_natural(["Ban Văn hóa - Xã hội", "Ban Đô thị", "Ban Dân tộc", "Ban Kinh tế - Ngân sách"]) == [
        "Ban Dân tộc",
        "Ban Đô thị",
        "Ban Kinh tế - Ngân sách",
        "Ban Văn hóa - Xã hội",
    ]
    # A number sorts before a word in the same place, and a shorter name before its continuation.
    assert by_natural(["Tổ A", "Tổ 2", "Tổ", "Tổ 2 Bắc"]) == ["Tổ", "Tổ 2", "Tổ 2 Bắc", "Tổ A"]
    assert natural_sort_key("") == "" and natural_sort_key(None) == ""


@pytest.mark.parametrize("name", ["Nguyễn " * 80, "Tổ " + "9" * 300])
def test_keys_fit_the_column(name):
    assert len(person_sort_key(name)) <= SORT_KEY_LENGTH
    assert len(natural_sort_key(name)) <= SORT_KEY_LENGTH


def test_keys_compare_the_same_byte_by_byte_as_in_python():
    # The column uses the "C" collation: byte order of the UTF-8 key must match Python's order.
    names = ["Huỳnh Văn Bé", "Hồ Thị An", "Đặng Văn Đức", "Lê Văn Ư", "Tổ 10", "Tổ 2", "K'Sor Zơ", "Ngô Ω"]
    keys = [person_sort_key(n) for n in names] + [natural_sort_key(n) for n in names]
    assert sorted(keys) == sorted(keys, key=lambda k: k.encode())
