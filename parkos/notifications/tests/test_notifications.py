"""Notifications: who is told (never outside their scope), by which channel, signed, retried, and read only by them."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import io
import json
import urllib.parse
from email.header import decode_header, make_header

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parkos.core.testing import PASSWORD, World
from parkos.notifications import checks, services
from parkos.notifications.digest import digest_send
from parkos.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Event,
    EventKind,
    Notification,
    Preference,
    WebhookEndpoint,
    WebhookKind,
)
from parkos.notifications.tests.receivers import SMTPSink, WebhookReceiver
from parkos.portal import services as portal
from parkos.services import services as wf
from parkos.services.models import ServiceRequest
from parkos.services.tests.test_views import service_for
from parkos.users.models import User

SECRET = "robot-secret"


class NotificationWorld(TestCase):
    """The shared world, plus staff and an enterprise user on the other side, each with an e-mail address."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.staff = cls.world.users["service_staff"]
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.admin = cls.world.users["operator_admin"]
        cls.staff_out = User.objects.create_user("service_staff_out", password=PASSWORD)
        cls.staff_out.groups.add(Group.objects.get(name="service_staff"))
        cls.staff_out.parks.add(cls.world.park["out"])
        cls.enterprise_out = User.objects.create_user("enterprise_out", password=PASSWORD)
        cls.enterprise_out.groups.add(Group.objects.get(name="enterprise_user"))
        cls.enterprise_out.organizations.add(cls.world.org["out"])
        for user in [*cls.world.users.values(), cls.staff_out, cls.enterprise_out]:
            user.email = f"{user.username}@example.com"
            user.save(update_fields=["email"])
        cls.service = service_for(cls.world, "in")
        cls.request = ServiceRequest.objects.create(
            enterprise=cls.world.org["in"], park=cls.world.park["in"], service=cls.service, title="需要融资对接"
        )

    def file(self, user=None, side="in"):
        with self.captureOnCommitCallbacks(execute=True):
            return wf.request_file(
                user=user or self.enterprise,
                enterprise=self.world.org[side],
                park=self.world.park[side],
                service=self.service,
                title="申请绿色认证",
            )

    def inbox(self, user):
        return list(Notification.objects.filter(recipient=user).values_list("event__kind", flat=True))


class RecipientTests(NotificationWorld):
    def test_a_filed_request_reaches_the_park_staff_and_no_one_outside_the_park(self):
        request = self.file()
        self.assertEqual(self.inbox(self.staff), [EventKind.REQUEST_FILED])
        for user in (self.staff_out, self.enterprise, self.enterprise_out, self.admin):
            self.assertEqual(self.inbox(user), [], user.username)
        event = Event.objects.get()
        self.assertEqual((event.object_id, event.url), (request.pk, request.get_absolute_url()))

    def test_answered_and_closed_reach_the_enterprise_only_its_own(self):
        request = self.file()
        with self.captureOnCommitCallbacks(execute=True):
            wf.request_accept(request=request, user=self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            wf.request_done(request=request, user=self.staff)
        self.assertEqual(sorted(self.inbox(self.enterprise)), [EventKind.REQUEST_ANSWERED, EventKind.REQUEST_CLOSED])
        self.assertEqual(self.inbox(self.enterprise_out), [])
        self.assertEqual(self.inbox(self.staff), [EventKind.REQUEST_FILED])  # not of its own acts

    def test_a_staff_message_answers_the_request(self):
        request = self.file()
        with self.captureOnCommitCallbacks(execute=True):
            wf.request_message(request=request, user=self.staff, body="请补充材料")
        self.assertEqual(self.inbox(self.enterprise), [EventKind.REQUEST_ANSWERED])

    def test_a_park_no_staff_covers_falls_to_the_operator_admins(self):
        self.staff.parks.clear()
        self.file(user=self.admin)  # the admin acts: it is not told, and nobody else may act on it
        self.assertEqual(Notification.objects.count(), 0)
        self.file()
        self.assertEqual(self.inbox(self.admin), [EventKind.REQUEST_FILED])

    def test_a_rolled_back_write_tells_nobody(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                from django.db import transaction

                with transaction.atomic():
                    wf.request_file(
                        user=self.enterprise,
                        enterprise=self.world.org["in"],
                        park=self.world.park["in"],
                        service=self.service,
                        title="回滚",
                    )
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertEqual(Event.objects.count(), 0)

    def test_a_proposal_of_an_enterprise_in_no_park_waits_for_the_admins_and_its_decision_reaches_it(self):
        manager = self.admin  # the organization leases nothing: no park manager covers it
        with self.captureOnCommitCallbacks(execute=True):
            proposal = portal.profile_change_propose(
                organization=self.world.org["in"], user=self.enterprise, changes={"website": "https://example.cn"}
            )
        self.assertEqual(self.inbox(manager), [EventKind.PROPOSAL_WAITING])
        self.assertEqual(Notification.objects.exclude(recipient=manager).count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            portal.profile_change_reject(request=proposal, user=manager, note="号码不对")
        self.assertEqual(self.inbox(self.enterprise), [EventKind.PROPOSAL_DECIDED])
        self.assertEqual(self.inbox(self.enterprise_out), [])

    def test_an_import_finished_reaches_whoever_started_it_with_a_link_to_the_job(self):
        from parkos.core.imports import import_job_confirm, import_job_create, import_job_start

        job = import_job_create(
            user=self.admin, model_label="directory.organization", file_name="机构.csv", content=b"id,name\n,A Ltd\n"
        )
        with self.captureOnCommitCallbacks(execute=True):
            job = import_job_start(job=job)  # the preview tells nobody
        self.assertEqual(Event.objects.count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            job = import_job_confirm(job=job)
        self.assertEqual(job.status, "done", job.error)
        self.assertEqual(self.inbox(self.admin), [EventKind.IMPORT_FINISHED])
        self.assertEqual(Notification.objects.exclude(recipient=self.admin).count(), 0)
        event = Event.objects.get()
        self.assertEqual(event.title, "机构.csv")
        self.assertEqual(event.url, reverse("directory:organization_import_job", kwargs={"job": job.pk}))


def _emit(kind, obj, **kwargs):
    return services.event_emit(
        kind=kind, content_type_id=ContentType.objects.get_for_model(obj).pk, object_id=obj.pk, **kwargs
    )


class ChannelTests(NotificationWorld):
    """Every event kind through every channel: the inbox, e-mail to a local SMTP sink, each robot's webhook."""

    def setUp(self):
        self.sink = SMTPSink()
        self.receiver = WebhookReceiver()
        self.addCleanup(self.sink.close)
        self.addCleanup(self.receiver.close)
        self.endpoints = {
            kind: WebhookEndpoint.objects.create(
                name=kind, kind=kind, url=f"{self.receiver.url}/{kind}?key=k", secret=SECRET, all_parks=True
            )
            for kind in WebhookKind.values
        }

    def smtp(self):
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.sink.port,
            EMAIL_USE_TLS=False,
        )

    def audience_args(self, kind):
        side = services.AUDIENCE[kind].side
        if side is services.Side.NAMED:
            return {"to_ids": [self.staff.pk]}, self.staff
        return {}, self.enterprise if side is services.Side.ENTERPRISE else self.staff

    def test_every_kind_reaches_the_inbox_the_mailbox_and_every_robot_signed(self):
        with self.smtp():
            for kind in EventKind.values:
                with self.subTest(kind=kind):
                    extra, recipient = self.audience_args(kind)
                    mails, posts = len(self.sink.messages), len(self.receiver.received)
                    with self.captureOnCommitCallbacks(execute=True):
                        event = _emit(kind, self.request, **extra)
                    self.assertTrue(Notification.objects.filter(event=event, recipient=recipient).exists())
                    self.assertEqual(Notification.objects.filter(event=event).exclude(recipient=recipient).count(), 0)
                    self.assertEqual(len(self.sink.messages), mails + 1)
                    to, message = self.sink.messages[-1]
                    self.assertEqual(to, [recipient.email])
                    self.assertIn("需要融资对接", self.sink.bodies()[-1])
                    self.assertEqual(len(self.receiver.received), posts + 4)
                    for received in self.receiver.received[posts:]:
                        self.check_signature(received)
                    self.assertEqual(set(event.deliveries.values_list("status", flat=True)), {DeliveryStatus.SENT})

    def check_signature(self, received):
        kind = urllib.parse.urlsplit(received.path).path.strip("/")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(received.path).query))
        body = json.loads(received.body)
        if kind == WebhookKind.WECOM:
            self.assertEqual(body["msgtype"], "text")
            self.assertIn("需要融资对接", body["text"]["content"])
        elif kind == WebhookKind.DINGTALK:
            wanted = hmac.new(SECRET.encode(), f"{query['timestamp']}\n{SECRET}".encode(), hashlib.sha256).digest()
            self.assertEqual(query["sign"], base64.b64encode(wanted).decode())
            self.assertEqual(query["key"], "k")
        elif kind == WebhookKind.FEISHU:
            wanted = hmac.new(f"{body['timestamp']}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
            self.assertEqual(body["sign"], base64.b64encode(wanted).decode())
            self.assertEqual(body["msg_type"], "text")
        else:
            stamp = received.headers["x-parkos-timestamp"]
            wanted = hmac.new(SECRET.encode(), f"{stamp}.".encode() + received.body, hashlib.sha256).hexdigest()
            self.assertEqual(received.headers["x-parkos-signature"], f"sha256={wanted}")
            self.assertEqual(body["object"]["id"], self.request.pk)

    def test_messages_go_out_in_chinese_by_default(self):
        with self.smtp(), self.captureOnCommitCallbacks(execute=True):
            _emit(EventKind.REQUEST_FILED, self.request)
        subject = str(make_header(decode_header(self.sink.messages[-1][1]["Subject"])))
        self.assertTrue(subject.startswith("[ParkOS] 服务诉求已提交"), subject)

    def test_a_500_is_retried_with_back_off_and_logged(self):
        WebhookEndpoint.objects.exclude(kind=WebhookKind.GENERIC).delete()
        self.receiver.codes = [500, 500]
        t0 = timezone.now()
        with self.captureOnCommitCallbacks(execute=True):
            event = _emit(EventKind.REQUEST_FILED, self.request, to_ids=[])
        webhook = event.deliveries.get(channel=Channel.WEBHOOK)
        self.assertEqual((webhook.status, webhook.attempts, webhook.response_code), ("retrying", 1, 500))
        self.assertIn("500", webhook.last_error)
        self.assertAlmostEqual((webhook.next_attempt_at - t0).total_seconds(), 60, delta=5)
        self.assertEqual(services.deliveries_retry_due(now=t0 + datetime.timedelta(seconds=30)), 0)
        services.deliveries_retry_due(now=t0 + datetime.timedelta(seconds=61))
        webhook.refresh_from_db()
        self.assertEqual((webhook.status, webhook.attempts), ("retrying", 2))
        self.assertAlmostEqual((webhook.next_attempt_at - t0).total_seconds(), 61 + 120, delta=5)
        services.deliveries_retry_due(now=t0 + datetime.timedelta(seconds=200))
        webhook.refresh_from_db()
        self.assertEqual((webhook.status, webhook.attempts, webhook.response_code), ("sent", 3, 200))
        self.assertEqual(len(self.receiver.received), 3)

    def test_a_delivery_gives_up_after_its_last_attempt(self):
        self.receiver.codes = [503] * 20
        WebhookEndpoint.objects.exclude(kind=WebhookKind.GENERIC).delete()
        with self.captureOnCommitCallbacks(execute=True):
            event = _emit(EventKind.REQUEST_FILED, self.request)
        webhook = event.deliveries.get(channel=Channel.WEBHOOK)
        later = timezone.now()
        for _ in range(services.MAX_ATTEMPTS):
            later += datetime.timedelta(hours=1)
            services.deliveries_retry_due(now=later)
        webhook.refresh_from_db()
        self.assertEqual((webhook.status, webhook.attempts), (DeliveryStatus.FAILED, services.MAX_ATTEMPTS))

    def test_a_webhook_scoped_to_park_a_hears_nothing_of_park_b(self):
        WebhookEndpoint.objects.all().delete()
        park_out = WebhookEndpoint.objects.create(name="B", kind=WebhookKind.GENERIC, url=self.receiver.url)
        park_out.parks.add(self.world.park["out"])
        park_in = WebhookEndpoint.objects.create(name="A", kind=WebhookKind.GENERIC, url=self.receiver.url)
        park_in.parks.add(self.world.park["in"])
        only_appeals = WebhookEndpoint.objects.create(
            name="appeals",
            kind=WebhookKind.GENERIC,
            url=self.receiver.url,
            all_parks=True,
            event_kinds=["appeal_filed"],
        )
        with self.captureOnCommitCallbacks(execute=True):
            _emit(EventKind.REQUEST_FILED, self.request)
        self.assertEqual(
            list(Delivery.objects.filter(channel=Channel.WEBHOOK).values_list("endpoint", flat=True)), [park_in.pk]
        )
        self.assertFalse(park_out.deliveries.exists() or only_appeals.deliveries.exists())

    def test_a_personal_robot_hears_only_what_its_owner_is_told_and_wants(self):
        WebhookEndpoint.objects.all().delete()
        mine = WebhookEndpoint.objects.create(
            name="mine", kind=WebhookKind.WECOM, url=self.receiver.url, owner=self.staff_out, all_parks=True
        )
        with self.captureOnCommitCallbacks(execute=True):
            _emit(EventKind.REQUEST_FILED, self.request)  # park in: staff_out is not told, nor its robot
        self.assertFalse(mine.deliveries.exists())
        mine.owner = self.staff
        mine.save()
        Preference.objects.create(user=self.staff, kind=EventKind.REQUEST_OVERDUE, webhook=False)
        with self.captureOnCommitCallbacks(execute=True):
            _emit(EventKind.REQUEST_FILED, self.request)
            _emit(EventKind.REQUEST_OVERDUE, self.request)
        self.assertEqual(list(mine.deliveries.values_list("event__kind", flat=True)), [EventKind.REQUEST_FILED])


class PreferenceAndDigestTests(NotificationWorld):
    def test_preferences_choose_the_channels_per_kind(self):
        Preference.objects.create(user=self.staff, kind=EventKind.REQUEST_FILED, in_app=False, email=False)
        self.file()
        self.assertEqual(self.inbox(self.staff), [])
        self.assertFalse(Delivery.objects.filter(recipient=self.staff).exists())
        with self.captureOnCommitCallbacks(execute=True):
            _emit(EventKind.REQUEST_OVERDUE, self.request)
        self.assertEqual(self.inbox(self.staff), [EventKind.REQUEST_OVERDUE])
        self.assertEqual(len(mail.outbox), 1)  # the default: e-mail too

    def test_the_preferences_page_saves_every_row_in_chinese(self):
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(self.staff)
        page = client.get(reverse("notifications:preferences"))
        self.assertContains(page, "通知设置")
        self.assertContains(page, "服务诉求已提交")
        client.post(reverse("notifications:preferences"), {"request_filed-in_app": "on"})
        pref = Preference.objects.get(user=self.staff, kind=EventKind.REQUEST_FILED)
        self.assertEqual((pref.in_app, pref.email, pref.webhook, pref.digest), (True, False, False, False))
        self.assertEqual(Preference.objects.filter(user=self.staff).count(), len(EventKind.values))

    def test_the_digest_lists_the_days_unread_per_user(self):
        self.file()
        with self.captureOnCommitCallbacks(execute=True):
            _emit(EventKind.REQUEST_OVERDUE, self.request)
        Notification.objects.filter(recipient=self.staff, event__kind=EventKind.REQUEST_OVERDUE).update(
            read_at=timezone.now()
        )
        mail.outbox.clear()
        self.assertEqual(digest_send(), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [self.staff.email])
        self.assertIn("申请绿色认证", message.body)
        self.assertNotIn("需要融资对接", message.body)  # read already
        Preference.objects.create(user=self.staff, kind=EventKind.REQUEST_FILED, digest=False)
        self.assertEqual(digest_send(), 0)
        call_command("notify_digest", stdout=io.StringIO())


class ScheduledCheckTests(NotificationWorld):
    def test_notify_due_tells_of_overdue_requests_once_a_day(self):
        long_ago = timezone.now() - datetime.timedelta(days=40)
        ServiceRequest.objects.filter(pk=self.request.pk).update(
            requested_at=long_ago, response_due=long_ago, resolution_due=long_ago
        )
        call_command("notify_due", stdout=io.StringIO())
        call_command("notify_due", stdout=io.StringIO())
        self.assertEqual(self.inbox(self.staff), [EventKind.REQUEST_OVERDUE])
        self.assertEqual(self.inbox(self.staff_out), [])
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        checks.run_checks(now=tomorrow)
        self.assertEqual(self.inbox(self.staff), [EventKind.REQUEST_OVERDUE] * 2)

    def test_a_request_near_its_deadline_is_about_to_breach(self):
        soon = timezone.now() + datetime.timedelta(hours=3)
        ServiceRequest.objects.filter(pk=self.request.pk).update(response_due=soon)
        counts = checks.run_checks()
        self.assertEqual(counts[EventKind.REQUEST_BREACH_SOON], 1)
        self.assertEqual(checks.run_checks()[EventKind.REQUEST_BREACH_SOON], 0)


class InboxTests(NotificationWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ct = ContentType.objects.get_for_model(ServiceRequest)
        for n in range(5):
            event = Event.objects.create(
                kind=EventKind.REQUEST_FILED, content_type=ct, object_id=cls.request.pk, title=f"请求 {n}",
                url=cls.request.get_absolute_url(),
            )  # fmt: skip
            Notification.objects.create(recipient=cls.staff, event=event)
        cls.others = Notification.objects.create(recipient=cls.staff_out, event=event)

    def client_for(self, user, language="zh-hans"):
        client = Client(headers={"accept-language": language})
        client.force_login(user)
        return client

    def test_the_inbox_lists_only_ones_own_in_chinese_in_few_queries(self):
        client = self.client_for(self.staff)
        client.get(reverse("notifications:inbox"))  # warm the session and the content types
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("notifications:inbox"))
        # the user, the page's count and the unread count, the menu's permissions and roles, the page's rows
        # (the session is read from the database on PostgreSQL only, from files on SQLite)
        self.assertEqual(len([q for q in queries if "django_session" not in q["sql"]]), 7)
        self.assertContains(page, "请求 4")
        self.assertContains(page, "全部标为已读")
        self.assertContains(page, "服务诉求已提交", count=5)
        self.assertContains(page, 'id="notification-bell"')
        self.assertNotContains(page, f"/notifications/{self.others.pk}/")

    def test_the_bell_counts_ones_own_unread(self):
        api = APIClient()
        api.force_authenticate(self.staff)
        url = reverse("notifications-api:notification-unread-count")
        self.assertEqual(api.get(url).json(), {"unread": 5})
        api.force_authenticate(self.staff_out)
        self.assertEqual(api.get(url).json(), {"unread": 1})
        api.force_authenticate(self.enterprise)
        self.assertEqual(api.get(url).json(), {"unread": 0})

    def test_opening_marks_read_and_goes_to_the_object(self):
        client = self.client_for(self.staff)
        row = Notification.objects.filter(recipient=self.staff).first()
        response = client.get(reverse("notifications:open", args=[row.pk]))
        self.assertRedirects(response, self.request.get_absolute_url(), fetch_redirect_response=False)
        row.refresh_from_db()
        self.assertIsNotNone(row.read_at)
        client.post(reverse("notifications:unread", args=[row.pk]))
        row.refresh_from_db()
        self.assertIsNone(row.read_at)
        client.post(reverse("notifications:read_all"))
        self.assertFalse(Notification.objects.filter(recipient=self.staff, read_at__isnull=True).exists())
        self.assertIsNone(Notification.objects.get(pk=self.others.pk).read_at)

    def test_no_one_opens_or_marks_anothers_notification(self):
        client = self.client_for(self.staff)
        for name in ("open", "read", "unread"):
            method = client.get if name == "open" else client.post
            self.assertEqual(method(reverse(f"notifications:{name}", args=[self.others.pk])).status_code, 404)
        api = APIClient()
        api.force_authenticate(self.staff)
        self.assertEqual(api.post(f"/api/notifications/notifications/{self.others.pk}/read/").status_code, 404)
        self.assertEqual(api.get(f"/api/notifications/notifications/{self.others.pk}/").status_code, 404)
        self.assertIsNone(Notification.objects.get(pk=self.others.pk).read_at)

    def test_the_api_lists_ones_own_and_marks_them_read(self):
        api = APIClient()
        api.force_authenticate(self.staff)
        with self.assertNumQueries(2):
            listed = api.get("/api/notifications/notifications/").json()
        self.assertEqual(listed["count"], 5)
        first = listed["results"][0]
        self.assertEqual((first["kind"], first["is_read"]), (EventKind.REQUEST_FILED, False))
        self.assertTrue(api.post(f"/api/notifications/notifications/{first['id']}/read/").json()["is_read"])
        self.assertEqual(api.get("/api/notifications/notifications/?unread=1").json()["count"], 4)
        self.assertEqual(api.post("/api/notifications/notifications/read-all/").json(), {"marked": 4})
        self.assertIsNone(Notification.objects.get(pk=self.others.pk).read_at)
        self.assertIn(APIClient().get("/api/notifications/notifications/").status_code, (401, 403))


class WebhookAdminTests(NotificationWorld):
    def test_an_admin_sets_up_a_robot_with_its_kinds_and_parks(self):
        client = Client()
        self.admin.is_staff = True
        self.admin.save(update_fields=["is_staff"])
        client.force_login(self.admin)
        response = client.post(
            reverse("admin:notifications_webhookendpoint_add"),
            {
                "name": "园区A钉钉群",
                "kind": WebhookKind.DINGTALK,
                "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
                "secret": SECRET,
                "event_kinds": [EventKind.REQUEST_FILED, EventKind.REQUEST_OVERDUE],
                "parks": [self.world.park["in"].pk],
                "is_active": "on",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        endpoint = WebhookEndpoint.objects.get()
        self.assertEqual(endpoint.event_kinds, [EventKind.REQUEST_FILED, EventKind.REQUEST_OVERDUE])
        self.assertTrue(endpoint.hears(EventKind.REQUEST_FILED))
        self.assertFalse(endpoint.hears(EventKind.LEASE_EXPIRING))
        self.assertEqual(list(endpoint.parks.all()), [self.world.park["in"]])
