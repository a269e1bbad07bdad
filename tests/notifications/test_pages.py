"""Pages: bell, notifications, my deadlines, a deadline, the extension form, operations."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hdnd_portal.core.models import CouncilRole, Deadline, User
from hdnd_portal.notifications.models import Notification, ReminderLog, ScanRun

pytestmark = pytest.mark.django_db


def notify(user, council, n, **kwargs):
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                council=council,
                kind="reminder",
                title=f"Sắp đến hạn: Kiến nghị Đông Anh số {i}",
                url="/notifications/deadlines/",
                **kwargs,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("rows", [10, 60])
def test_the_bell_costs_the_same_queries_whatever_the_rows(
    rows, staff_client, staff_user, council, django_assert_max_num_queries
):
    notify(staff_user, council, rows)
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse("notifications:settings"))
    html = response.content.decode()
    assert f'id="bell-count">{rows}<' in html
    assert reverse("notifications:my_deadlines") in html and html.count("Kiến nghị Đông Anh") == 6


def test_the_bell_escapes_truncates_and_offers_what_the_user_may_do(staff_client, staff_user, council):
    """The bell is written in Python (notification_tags.bell_html): titles escaped and cut at 110
    characters, unread ones in bold, "mark all as read" posting back to the page, the reminder
    operations only for those who manage them, the count's label in the user's language."""
    from django.utils import translation

    from hdnd_portal.notifications.queries import bell
    from hdnd_portal.notifications.templatetags.notification_tags import bell_html

    Notification.objects.create(user=staff_user, council=council, kind="reminder", title="<b>Đông Anh</b> " + "x" * 200)
    seen = Notification.objects.create(user=staff_user, council=council, kind="reminder", title="Đã đọc",
                                       read_at=timezone.now())
    html = staff_client.get(reverse("notifications:settings") + "?a=1&b=<2>").content.decode()
    assert "&lt;b&gt;Đông Anh&lt;/b&gt; " + "x" * 93 + "…<br>" in html and "<b>Đông Anh" not in html
    assert f'fw-semibold" href="{reverse("notifications:open", args=[seen.pk])}"' not in html
    assert 'small fw-semibold" href="' in html
    assert 'id="bell-count">1<' in html and 'aria-label="1 thông báo chưa đọc"' in html
    assert f'action="{reverse("notifications:read_all")}"' in html
    assert 'name="next" value="/notifications/settings/?a=1&amp;b=' in html
    request = staff_client.get(reverse("notifications:settings")).wsgi_request
    with translation.override("en"):
        plain, manager = bell_html(request, **bell(staff_user), can_manage=False), bell_html(
            request, **bell(staff_user), can_manage=True
        )
    assert 'aria-label="1 unread notification"' in plain and "Mark all as read" in plain
    assert reverse("notifications:operations") in manager and reverse("notifications:operations") not in plain


def test_the_bell_offers_the_reminder_operations_to_a_superuser(admin_client):
    """A superuser's permissions are an empty set that holds every permission: the bell asks it."""
    html = admin_client.get(reverse("notifications:settings")).content.decode()
    assert f'href="{reverse("notifications:operations")}"' in html


def test_the_bells_prepared_sql_reads_what_the_queryset_reads(staff_user, make_user, council):
    from hdnd_portal.notifications.queries import BELL_SIZE, _bell_queryset, bell

    other = make_user("bell_other")
    notify(staff_user, council, 9)
    notify(other, council, 3)
    Notification.objects.filter(user=staff_user, pk__in=Notification.objects.filter(user=staff_user)
                                .order_by("pk").values("pk")[:4]).update(read_at=timezone.now())
    for user, unread in ((staff_user, 5), (other, 3)):
        expected = list(_bell_queryset(user.pk))
        got = bell(user)
        assert got["unread"] == unread == expected[0].unread_count
        assert [(n.pk, n.title, n.read_at, n.created_at, n.url) for n in got["latest"]] == [
            (n.pk, n.title, n.read_at, n.created_at, n.url) for n in expected]
        assert len(got["latest"]) == min(BELL_SIZE, Notification.objects.filter(user=user).count())
    assert bell(make_user("bell_none")) == {"unread": 0, "latest": []}


@pytest.mark.parametrize("rows", [10, 60])
def test_the_notification_list_is_bounded(rows, staff_client, staff_user, council, django_assert_max_num_queries):
    notify(staff_user, council, rows)
    with django_assert_max_num_queries(16):
        response = staff_client.get(reverse("notifications:list"))
    assert response.status_code == 200
    # A list not scoped by one council (its own notifications, any council) reads the council's
    # name from the row, not from PortalListView.council_names.
    assert [row[3][0] for row in response.context["rows"]] == [council.name] * min(rows, 50)


def test_notifications_search_filter_and_export(staff_client, staff_user, council):
    notify(staff_user, council, 2)
    Notification.objects.create(user=staff_user, council=council, kind="overdue", title="Quá hạn: Thư khiếu nại")

    def titles(**params):
        return sorted(n.title for n in staff_client.get(reverse("notifications:list"), params).context["object_list"])

    assert titles(q="dong anh") == ["Sắp đến hạn: Kiến nghị Đông Anh số 0", "Sắp đến hạn: Kiến nghị Đông Anh số 1"]
    assert titles(q="DONG ANH so 1") == ["Sắp đến hạn: Kiến nghị Đông Anh số 1"]
    assert titles(kind="overdue") == ["Quá hạn: Thư khiếu nại"]
    assert len(titles(unread="on")) == 3
    response = staff_client.get(reverse("notifications:list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_mark_one_and_all_read_and_only_ones_own(staff_client, staff_user, viewer_client, council):
    notify(staff_user, council, 3)
    first, second, _third = Notification.objects.order_by("id")
    response = staff_client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == first.url
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    staff_client.post(reverse("notifications:read", args=[second.pk]))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    # Someone else's notification does not exist for you.
    assert viewer_client.get(reverse("notifications:open", args=[_third.pk])).status_code == 404
    assert viewer_client.post(reverse("notifications:read", args=[_third.pk])).status_code == 404
    staff_client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_email_settings_page_switches_to_the_digest(staff_client, staff_user):
    response = staff_client.post(reverse("notifications:settings"), {"email_mode": "daily", "email": "a@b.vn"})
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.email_mode == User.Digest.DAILY


# --- My deadlines ---------------------------------------------------------------------------


@pytest.fixture
def deadlines(make_deadline, staff_user, council, other_council):
    today = timezone.localdate()
    return {
        "mine_overdue": make_deadline(
            today - timedelta(days=5), responsible_user=staff_user, title="Trả lời cử tri Đông Anh"
        ),
        "mine_soon": make_deadline(
            today + timedelta(days=2),
            responsible_user=staff_user,
            kind="letter.resolution",
            title="Giải quyết đơn tố cáo",
        ),
        "council": make_deadline(today + timedelta(days=20), responsible_agency=None, title="Báo cáo thẩm tra"),
        "other": make_deadline(today, on_council=other_council, responsible_agency=None, title="Hạn của Nghệ An"),
    }


def listed(client, url_name, **params):
    response = client.get(reverse(f"notifications:{url_name}"), params)
    assert response.status_code == 200
    return {d.title for d in response.context["object_list"]}


def test_my_deadlines_shows_mine_and_the_council_tab_shows_all(staff_client, deadlines):
    assert listed(staff_client, "my_deadlines") == {"Trả lời cử tri Đông Anh", "Giải quyết đơn tố cáo"}
    assert listed(staff_client, "council_deadlines") == {
        "Trả lời cử tri Đông Anh",
        "Giải quyết đơn tố cáo",
        "Báo cáo thẩm tra",
    }


def test_my_deadlines_filters_and_search(staff_client, deadlines, agency):
    def council(**params):
        return listed(staff_client, "council_deadlines", **params)

    assert council(status="overdue") == {"Trả lời cử tri Đông Anh"}
    assert council(status="due_soon") == {"Giải quyết đơn tố cáo"}
    assert council(kind="letter.resolution") == {"Giải quyết đơn tố cáo"}
    assert council(responsible_agency=agency.pk) == {"Trả lời cử tri Đông Anh", "Giải quyết đơn tố cáo"}
    assert "Báo cáo thẩm tra" in council(app="core")
    assert council(app="voters") == set()
    due_to = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
    assert council(due_to=due_to) == {"Trả lời cử tri Đông Anh", "Giải quyết đơn tố cáo"}
    assert council(q="cu tri dong anh") == {"Trả lời cử tri Đông Anh"}
    assert council(q="so xay dung") == {"Trả lời cử tri Đông Anh", "Giải quyết đơn tố cáo"}  # the agency's name
    deadlines["council"].state = Deadline.State.DONE
    deadlines["council"].save()
    assert "Báo cáo thẩm tra" not in council()
    assert "Báo cáo thẩm tra" in council(status="done")


def test_my_deadlines_excel_export(staff_client, deadlines):
    response = staff_client.get(reverse("notifications:council_deadlines"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("rows", [10, 60])
def test_my_deadlines_query_count_does_not_grow(
    rows, make_deadline, staff_client, staff_user, django_assert_max_num_queries
):
    today = timezone.localdate()
    for i in range(rows):
        make_deadline(today + timedelta(days=i % 9 - 4), responsible_user=staff_user)
    with django_assert_max_num_queries(22):
        assert staff_client.get(reverse("notifications:council_deadlines")).status_code == 200
    with django_assert_max_num_queries(22):
        assert staff_client.get(reverse("notifications:my_deadlines")).status_code == 200


def test_responders_and_deputies_see_their_own_deadlines_only(responder_client, deputy_client, deadlines):
    # The agency's deadlines.
    assert listed(responder_client, "my_deadlines") == {"Trả lời cử tri Đông Anh", "Giải quyết đơn tố cáo"}
    assert responder_client.get(reverse("notifications:council_deadlines")).status_code == 403
    assert deputy_client.get(reverse("notifications:council_deadlines")).status_code == 403
    assert deputy_client.get(reverse("notifications:my_deadlines")).status_code == 200


def test_deadline_detail_permissions(
    staff_client, other_staff_client, deputy_client, deputy_user, responder_client, deadlines
):
    mine = deadlines["mine_overdue"]
    url = reverse("notifications:deadline_detail", args=[mine.pk])
    page = staff_client.get(url).content.decode()
    assert "Trả lời cử tri Đông Anh" in page and reverse("notifications:deadline_extend", args=[mine.pk]) in page
    assert other_staff_client.get(url).status_code == 404  # another council's deadline
    assert deputy_client.get(url).status_code == 403  # same council, not theirs, no permission
    assert responder_client.get(url).status_code == 200  # their agency's
    # A deputy who was reminded about the item (following it) sees it.
    ReminderLog.objects.create(
        deadline=mine, point="due", recipient=deputy_user, reason="deputy", due_date=mine.due_date
    )
    assert deputy_client.get(url).status_code == 200


# --- Extensions -------------------------------------------------------------------------------


def test_extension_moves_the_deadline_and_notifies_the_people_concerned(
    client_for, make_user, council, people, make_deadline
):
    actor = make_user("nguoigiahan", council, CouncilRole.Role.STAFF)
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    url = reverse("notifications:deadline_extend", args=[deadline.pk])
    response = client_for(actor).post(
        url,
        {"new_due_date": "17/04/2026", "legal_basis": "Luật Khiếu nại 2011, Điều 28", "decision_number": "15/QĐ-UBND"},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date == date(2026, 4, 17) and deadline.original_due_date == date(2026, 3, 18)
    extension = deadline.extensions.get()
    assert (extension.decision_number, extension.created_by) == ("15/QĐ-UBND", actor)
    notes = Notification.objects.filter(kind="extension")
    assert {n.user.username for n in notes} == {"phutrach", "traloi"}
    assert "17/04/2026" in notes[0].title and "15/QĐ-UBND" in notes[0].body
    assert ReminderLog.objects.filter(point=f"extension_{extension.pk}").count() == 2


def test_extension_to_an_earlier_date_is_refused_beside_the_field(staff_client, make_deadline, people):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    url = reverse("notifications:deadline_extend", args=[deadline.pk])
    response = staff_client.post(url, {"new_due_date": "10/03/2026", "legal_basis": "Điều 28"})
    assert response.status_code == 200
    assert "18/03/2026" in response.context["form"].errors["new_due_date"][0]
    deadline.refresh_from_db()
    assert deadline.due_date == date(2026, 3, 18) and not deadline.extensions.exists()
    assert not Notification.objects.exists()


def test_extension_beyond_what_the_law_allows_is_refused(staff_client, make_deadline, people):
    # Denunciations: 30 days per extension, at most two (rules denunciation.*).
    deadline = make_deadline(date(2026, 3, 18), kind="denunciation.resolve", responsible_user=people["responsible"])
    url = reverse("notifications:deadline_extend", args=[deadline.pk])
    response = staff_client.post(url, {"new_due_date": "30/04/2026", "legal_basis": "Luật Tố cáo 2018, Điều 30"})
    assert "17/04/2026" in response.context["form"].errors["new_due_date"][0]
    for new in ("17/04/2026", "17/05/2026"):
        assert (
            staff_client.post(url, {"new_due_date": new, "legal_basis": "Luật Tố cáo 2018, Điều 30"}).status_code == 302
        )
    response = staff_client.post(url, {"new_due_date": "01/06/2026", "legal_basis": "Luật Tố cáo 2018, Điều 30"})
    assert response.status_code == 200 and "2" in response.context["form"].errors["new_due_date"][0]
    assert Deadline.objects.get(pk=deadline.pk).due_date == date(2026, 5, 17)


def test_extension_needs_a_legal_basis_and_the_permission(
    staff_client, viewer_client, other_staff_client, make_deadline, people
):
    deadline = make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    url = reverse("notifications:deadline_extend", args=[deadline.pk])
    response = staff_client.post(url, {"new_due_date": "20/03/2026", "legal_basis": ""})
    assert response.status_code == 200 and "legal_basis" in response.context["form"].errors
    assert viewer_client.get(url).status_code == 403
    assert other_staff_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 200


# --- Operations -------------------------------------------------------------------------------


def test_operations_page_for_admins_only(admin_client, staff_client, make_deadline, people, scan):
    make_deadline(date(2026, 3, 18), responsible_user=people["responsible"])
    scan(date(2026, 3, 18))
    page = admin_client.get(reverse("notifications:operations")).content.decode()
    assert "ms" in page and str(ScanRun.objects.get().candidates) in page
    assert staff_client.get(reverse("notifications:operations")).status_code == 403
    assert staff_client.post(reverse("notifications:run_scan")).status_code == 403
    assert admin_client.get(reverse("notifications:operations"), {"export": "xlsx"}).status_code == 200


def test_run_a_scan_by_hand_from_the_operations_page(admin_client, django_capture_on_commit_callbacks,
                                                     django_user_model, council):
    # A council administrator cannot start a scan of every council; the system operator can.
    assert admin_client.post(reverse("notifications:run_scan")).status_code == 403
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(root)
    session = client.session
    session["current_council_id"] = council.id
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:run_scan"))
    assert response.status_code == 302
    assert ScanRun.objects.get().trigger == "manual"
    assert mail.outbox == []


def test_home_page_shows_my_overdue_deadlines(staff_client, staff_user, make_deadline):
    make_deadline(timezone.localdate() - timedelta(days=2), responsible_user=staff_user)
    page = staff_client.get(reverse("home")).content.decode()
    assert "Việc quá hạn của tôi" in page and "Thông báo chưa đọc" in page  # the two cards of this app


@pytest.mark.parametrize("rows", [10, 60])
def test_operations_page_query_count_is_bounded(rows, admin_client, django_assert_max_num_queries):
    ScanRun.objects.bulk_create([ScanRun(today=date(2026, 3, 18), duration_ms=i, candidates=i) for i in range(rows)])
    with django_assert_max_num_queries(18):
        assert admin_client.get(reverse("notifications:operations")).status_code == 200
