from hdnd_portal.core.models import Council, Deputy
from hdnd_portal.core.search import apply_search, fold


def test_fold_strips_vietnamese_diacritics_and_d_bar():
    assert fold("Đông Anh") == "dong anh"
    assert fold("  ĐỒNG   Xuân, Hà-Nội ") == "dong xuan ha noi"
    assert fold("Nghị quyết 25/NQ-HĐND") == "nghi quyet 25 nq hdnd"
    assert fold(None) == ""


def test_unaccented_and_accented_queries_find_the_same_rows(council, make_deputy):
    make_deputy(council, "Nguyễn Văn Đông")
    make_deputy(council, "Trần Thị Anh")
    make_deputy(council, "Lê Đông Anh")
    qs = Deputy.objects.filter(council=council)
    unaccented = set(apply_search(qs, "dong anh").values_list("full_name", flat=True))
    accented = set(apply_search(qs, "Đông Anh").values_list("full_name", flat=True))
    assert unaccented == accented == {"Lê Đông Anh"}
    # Prefixes match while the user is still typing.
    assert set(apply_search(qs, "ngu va do").values_list("full_name", flat=True)) == {"Nguyễn Văn Đông"}


def test_search_text_follows_edits(council):
    council.name = "Phường Hoàn Kiếm"
    council.save()
    assert apply_search(Council.objects.all(), "hoan kiem").get() == council
