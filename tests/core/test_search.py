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


def test_searchable_tables_are_searched_through_their_stored_vector(council, make_deputy, make_user):
    """The GIN index is on a column PostgreSQL keeps (search_vector), so a list sorted by date does
    not compute to_tsvector on each row it walks; the user table (not a SearchableModel) keeps
    its expression index. History tables hold no vector: a history row is never searched."""
    from django.db import connection

    from hdnd_portal.core.models import CouncilRole, Deputy, Membership, User

    deputy = make_deputy(council, "Phạm Thị Hoà")
    sql = str(apply_search(Deputy.objects.all(), "hoa").query)
    assert '"search_vector" @@' in sql and "to_tsvector" not in sql
    # Through a relation, as the memberships list searches its deputies and the roles list its users.
    through = str(apply_search(Membership.objects.all(), "hoa", column="deputy__search_text").query)
    assert '"core_deputy"."search_vector" @@' in through
    assert "to_tsvector" in str(apply_search(CouncilRole.objects.all(), "hoa", column="user__search_text").query)
    assert "to_tsvector" in str(apply_search(User.objects.all(), "hoa").query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'search_vector'"
            " AND table_name LIKE %s", ["%historical%"]
        )
        assert cursor.fetchall() == []
        cursor.execute("SELECT search_vector::text FROM core_deputy WHERE id = %s", [deputy.pk])
        assert cursor.fetchone()[0] == "'hoa' 'pham' 'thi'"  # stripped: no positions
    # A write by a road that bypasses save() (queryset.update) keeps the vector in step.
    Deputy.objects.filter(pk=deputy.pk).update(search_text="le van tam")
    assert list(apply_search(Deputy.objects.all(), "tam").values_list("pk", flat=True)) == [deputy.pk]
    assert not apply_search(Deputy.objects.all(), "hoa").exists()
