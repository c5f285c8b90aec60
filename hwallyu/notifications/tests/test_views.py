"""The bell in the header, its polling fragment, the list page and marking notices read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hwallyu.notifications import services
from hwallyu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _notices(user, count):  # type: ignore[no-untyped-def]
    Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"알림 {i}", body="본문") for i in range(count)]
    )


def test_header_bell_shows_the_unread_count(client, org):
    _notices(org.manager, 3)
    _notices(org.staff, 1)
    client.force_login(org.manager)

    html = client.get(reverse("core:home")).content.decode()

    assert 'id="hw-bell-count"' in html
    assert 'hx-get="/notifications/bell/"' in html
    assert 'hx-trigger="every 60s"' in html
    assert ">3</span>" in html
    assert "(읽지 않은 알림 3건)" in html


def test_bell_fragment_is_only_the_badge(client, org):
    _notices(org.manager, 2)
    client.force_login(org.manager)

    response = client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["X-Hwallyu-Fragment"] == "bell"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    html = response.content.decode().strip()
    assert html.startswith('<span id="hw-bell-count"')
    assert "<html" not in html and "업무 메뉴" not in html
    assert "(읽지 않은 알림 2건)" in html


def test_bell_without_unread_says_so_and_caps_large_counts(client, org):
    client.force_login(org.manager)
    html = client.get(reverse("notifications:bell")).content.decode()
    assert "(새 알림 없음)" in html
    assert "krds-badge" not in html

    _notices(org.manager, 120)
    html = client.get(reverse("notifications:bell")).content.decode()
    assert ">99+</span>" in html
    assert "(읽지 않은 알림 120건)" in html


def test_bell_after_the_session_ended(client):
    # htmx stops polling on 286 instead of swapping the login page into the header.
    assert client.get(reverse("notifications:bell"), headers={"HX-Request": "true"}).status_code == 286
    response = client.get(reverse("notifications:bell"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_list_shows_only_my_notices(client, org):
    services.notify(recipients=[org.manager], title="내 알림", email=False)
    services.notify(recipients=[org.staff], title="남의 알림", email=False)
    client.force_login(org.manager)

    html = client.get(reverse("notifications:list")).content.decode()

    assert "내 알림" in html
    assert "남의 알림" not in html


def test_list_query_count_does_not_grow_with_rows(client, org):
    client.force_login(org.manager)
    _notices(org.manager, 1)
    client.get(reverse("notifications:list"))  # warm the per-process caches (city, security policy)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("notifications:list")).status_code == 200
    _notices(org.manager, 49)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(reverse("notifications:list")).status_code == 200
    assert len(fifty) == len(one)


def test_mark_one_read_then_back_to_the_page(client, org):
    services.notify(recipients=[org.manager], title="하나", email=False)
    services.notify(recipients=[org.manager], title="둘", email=False)
    notice = Notification.objects.get(title="하나")
    client.force_login(org.manager)

    response = client.post(reverse("notifications:read", args=[notice.id]), {"next": "/notifications/?page=1"})

    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert Notification.objects.get(title="둘").read_at is None


def test_mark_read_ignores_an_outside_next(client, org):
    client.force_login(org.manager)
    response = client.post(reverse("notifications:read_all"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notice_is_not_found(client, org):
    services.notify(recipients=[org.staff], title="담당자 알림", email=False)
    notice = Notification.objects.get()
    client.force_login(org.manager)

    response = client.post(reverse("notifications:read", args=[notice.id]))

    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(client, org):
    _notices(org.manager, 4)
    client.force_login(org.manager)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=org.manager, read_at__isnull=True).exists()


def test_bell_polling_does_not_keep_an_idle_session_alive(client, org):
    from django.contrib.sessions.models import Session

    client.force_login(org.manager)
    client.get(reverse("core:home"))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))

    client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})

    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert remaining < timedelta(minutes=6)


def test_list_pages_thirty_at_a_time(client, org):
    _notices(org.manager, 65)
    client.force_login(org.manager)

    html = client.get(reverse("notifications:list"), {"page": 3}).content.decode()

    assert html.count("<tr>") == 1 + 5  # header row and the last five notices
    assert 'aria-label="페이지 이동"' in html
    assert 'href="?page=2">2</a>' in html
    assert 'aria-current="page"><span class="sr-only">현재 페이지 </span>3</a>' in html
    assert "총 65건" in html
