"""Service request workflow rules: transitions, timestamps, who may act, overdue edges, routing, scenarios, pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.services import services as wf
from parkos.services.models import Aspect, RequestMessage, Scenario, ServiceDesk, ServiceRequest, Status
from parkos.services.tests.test_views import request_for, service_for
from parkos.users.models import User

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


class WorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.staff = cls.world.users["service_staff"]
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.service = service_for(cls.world, "in", response_target_hours=24, resolution_target_days=10)

    def file(self, **extra):
        return wf.request_file(
            user=extra.pop("user", self.enterprise),
            enterprise=extra.pop("enterprise", self.world.org["in"]),
            park=self.world.park["in"],
            service=extra.pop("service", self.service),
            title="需要融资对接",
            requested_at=extra.pop("requested_at", T0),
        )

    def test_filing_takes_aspect_and_deadlines_from_the_service(self):
        request = self.file()
        self.assertEqual(request.status, Status.NEW)
        self.assertEqual(request.aspect, Aspect.FINANCE)
        self.assertEqual(request.response_due, T0 + datetime.timedelta(hours=24))
        self.assertEqual(request.resolution_due, T0 + datetime.timedelta(days=10))

    def test_enterprise_user_files_only_for_its_own_enterprise(self):
        with self.assertRaises(ValidationError) as caught:
            self.file(enterprise=self.world.org["out"])
        self.assertIn("enterprise", caught.exception.message_dict)

    def test_staff_file_only_in_their_parks(self):
        with self.assertRaises(ValidationError) as caught:
            wf.request_file(
                user=self.staff,
                enterprise=self.world.org["out"],
                park=self.world.park["out"],
                service=self.service,
                title="x",
            )
        self.assertIn("park", caught.exception.message_dict)
        self.assertFalse(ServiceRequest.objects.filter(park=self.world.park["out"]).exists())

    def test_inactive_service_takes_no_requests(self):
        closed = service_for(self.world, "in", is_active=False)
        with self.assertRaises(ValidationError) as caught:
            self.file(service=closed)
        self.assertIn("service", caught.exception.message_dict)

    def test_full_path_sets_timestamps(self):
        request = self.file()
        accepted_at = T0 + datetime.timedelta(hours=3)
        request = wf.request_accept(request=request, user=self.staff, now=accepted_at)
        self.assertEqual((request.status, request.responded_at), (Status.ACCEPTED, accepted_at))
        self.assertEqual(request.assigned_to, self.staff)
        request = wf.request_start(request=request, user=self.staff, now=accepted_at + datetime.timedelta(hours=1))
        request = wf.request_wait(request=request, user=self.staff)
        self.assertEqual(request.status, Status.WAITING)
        wf.request_message(request=request, user=self.enterprise, body="材料已补充")
        request.refresh_from_db()
        self.assertEqual(request.status, Status.IN_PROGRESS, "the enterprise's answer resumes the work")
        done_at = T0 + datetime.timedelta(days=5)
        request = wf.request_done(request=request, user=self.staff, now=done_at)
        self.assertEqual((request.status, request.resolved_at), (Status.DONE, done_at))
        self.assertEqual(request.responded_at, accepted_at, "the first response is kept")

    def test_transitions_outside_the_allowed_ones_are_refused(self):
        request = self.file()
        for move in (wf.request_start, wf.request_wait, wf.request_done):
            with self.subTest(move=move.__name__), self.assertRaises(ValidationError) as caught:
                move(request=request, user=self.staff)
            self.assertIn("status", caught.exception.message_dict)
        request = wf.request_done(request=wf.request_accept(request=request, user=self.staff), user=self.staff)
        for move in (wf.request_accept, wf.request_start, wf.request_done):
            with self.subTest(move=move.__name__), self.assertRaises(ValidationError):
                move(request=request, user=self.staff)
        with self.assertRaises(ValidationError):
            wf.request_decline(request=request, user=self.staff, reason="too late")

    def test_decline_needs_a_reason_posts_it_and_closes(self):
        request = self.file()
        with self.assertRaises(ValidationError) as caught:
            wf.request_decline(request=request, user=self.staff, reason=" ")
        self.assertIn("reason", caught.exception.message_dict)
        request = wf.request_decline(request=request, user=self.staff, reason="不属于服务范围")
        self.assertEqual(request.status, Status.DECLINED)
        self.assertIsNotNone(request.responded_at)
        self.assertIsNotNone(request.resolved_at)
        self.assertEqual(request.messages.get().body, "不属于服务范围")

    def test_enterprise_user_cannot_move_the_status(self):
        request = self.file()
        with self.assertRaises(PermissionDenied):
            wf.request_accept(request=request, user=self.enterprise)

    def test_park_manager_reads_but_cannot_act(self):
        request = self.file()
        with self.assertRaises(PermissionDenied):
            wf.request_accept(request=request, user=self.world.users["park_manager"])
        with self.assertRaises(PermissionDenied):
            wf.request_message(request=request, user=self.world.users["park_manager"], body="hi")

    def test_staff_outside_the_park_get_404(self):
        from parkos.core.errors import NotFound

        request = request_for(self.world, "out")
        with self.assertRaises(NotFound):
            wf.request_accept(request=request, user=self.staff)

    def test_first_staff_message_is_the_response_but_enterprise_messages_are_not(self):
        request = self.file()
        wf.request_message(request=request, user=self.enterprise, body="补充说明")
        request.refresh_from_db()
        self.assertIsNone(request.responded_at)
        answered = T0 + datetime.timedelta(hours=30)
        wf.request_message(request=request, user=self.staff, body="请提供报表", now=answered)
        request.refresh_from_db()
        self.assertEqual(request.responded_at, answered)
        self.assertEqual(request.status, Status.NEW, "answering does not accept")

    def test_closed_request_takes_no_messages(self):
        request = wf.request_decline(request=self.file(), user=self.staff, reason="重复申请")
        with self.assertRaises(ValidationError):
            wf.request_message(request=request, user=self.enterprise, body="why?")

    def test_rating_only_when_done_and_only_by_the_enterprise(self):
        request = wf.request_accept(request=self.file(), user=self.staff)
        with self.assertRaises(ValidationError) as caught:
            wf.request_rate(request=request, user=self.enterprise, rating=5)
        self.assertIn("rating", caught.exception.message_dict)
        request = wf.request_done(request=request, user=self.staff)
        with self.assertRaises(PermissionDenied):
            wf.request_rate(request=request, user=self.staff, rating=5)
        for bad in (0, 6, "x"):
            with self.subTest(rating=bad), self.assertRaises(ValidationError):
                wf.request_rate(request=request, user=self.enterprise, rating=bad)
        request = wf.request_rate(request=request, user=self.enterprise, rating=4, comment="响应及时")
        self.assertEqual((request.rating, request.rating_comment), (4, "响应及时"))
        self.assertTrue(
            ObjectChange.objects.filter(changed_object_id=request.pk, postchange_data__rating=4).exists(),
            "the rating is in the change log",
        )


class OverdueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        service = service_for(cls.world, "in", response_target_hours=8, resolution_target_days=3)
        cls.request = request_for(cls.world, "in", service=service, requested_at=T0)

    def test_response_overdue_only_after_the_target_passed(self):
        due = T0 + datetime.timedelta(hours=8)
        self.assertFalse(self.request.is_response_overdue(now=due))
        self.assertTrue(self.request.is_response_overdue(now=due + datetime.timedelta(seconds=1)))
        self.assertFalse(ServiceRequest.objects.overdue(now=due).exists())
        self.assertTrue(ServiceRequest.objects.overdue(now=due + datetime.timedelta(seconds=1)).exists())

    def test_resolution_overdue_at_its_edge_and_never_once_resolved(self):
        due = T0 + datetime.timedelta(days=3)
        self.assertFalse(self.request.is_resolution_overdue(now=due))
        self.assertTrue(self.request.is_resolution_overdue(now=due + datetime.timedelta(seconds=1)))
        self.request.responded_at = T0 + datetime.timedelta(hours=1)
        self.request.resolved_at = due + datetime.timedelta(days=1)
        self.request.status = Status.DONE
        self.request.save()
        later = due + datetime.timedelta(days=30)
        self.assertFalse(self.request.is_resolution_overdue(now=later))
        self.assertFalse(ServiceRequest.objects.overdue(now=later).filter(pk=self.request.pk).exists())

    def test_deadlines_follow_a_change_of_service(self):
        slower = service_for(self.world, "in", aspect=Aspect.GREEN, response_target_hours=48)
        self.request.service = slower
        self.request.save()
        self.request.refresh_from_db()
        self.assertEqual(self.request.aspect, Aspect.GREEN)
        self.assertEqual(self.request.response_due, T0 + datetime.timedelta(hours=48))


class RoutingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.busy = cls.world.users["service_staff"]
        cls.free = User.objects.create_user(username="free-staff")
        cls.free.groups.add(*cls.busy.groups.all())
        cls.elsewhere = User.objects.create_user(username="other-park-staff")
        cls.elsewhere.groups.add(*cls.busy.groups.all())
        cls.free.parks.add(cls.world.park["in"])
        cls.elsewhere.parks.add(cls.world.park["out"])
        desk = ServiceDesk.objects.create(aspect=Aspect.FINANCE)
        desk.members.add(cls.busy, cls.free, cls.elsewhere)
        cls.service = service_for(cls.world, "in")
        request_for(cls.world, "in", service=cls.service, assigned_to=cls.busy)

    def file(self, park="in"):
        return wf.request_file(
            user=self.world.users["operator_admin"],
            enterprise=self.world.org[park],
            park=self.world.park[park],
            service=self.service,
            title="x",
        )

    def test_routes_to_the_member_in_the_park_with_fewest_open_requests(self):
        self.assertEqual(self.file().assigned_to, self.free)

    def test_closed_requests_do_not_count_as_load(self):
        ServiceRequest.objects.filter(assigned_to=self.busy).update(status=Status.DONE)
        request_for(self.world, "in", service=self.service, assigned_to=self.free)
        self.assertEqual(self.file().assigned_to, self.busy)

    def test_only_members_assigned_to_the_park(self):
        self.assertEqual(self.file("out").assigned_to, self.elsewhere)

    def test_no_desk_leaves_the_request_unassigned(self):
        green = service_for(self.world, "in", aspect=Aspect.GREEN)
        request = wf.request_file(
            user=self.busy, enterprise=self.world.org["in"], park=self.world.park["in"], service=green, title="x"
        )
        self.assertIsNone(request.assigned_to)

    def test_a_request_added_through_the_form_is_routed_too(self):
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        response = client.post(
            reverse("services:servicerequest_add"),
            {
                "enterprise": self.world.org["in"].pk,
                "park": self.world.park["in"].pk,
                "service": self.service.pk,
                "title": "表单申请",
            },
        )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors
        )
        self.assertEqual(ServiceRequest.objects.get(title="表单申请").assigned_to, self.free)


class PagesTests(TestCase):
    """The enterprise files, staff answer and close from the request's page, the enterprise rates."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.service = service_for(cls.world, "in")

    def client_for(self, role):
        client = Client()
        client.force_login(self.world.users[role])
        return client

    def test_enterprise_files_staff_close_enterprise_rates(self):
        enterprise, staff = self.client_for("enterprise_user"), self.client_for("service_staff")
        page = enterprise.get(reverse("services:service", args=[self.service.pk]))
        self.assertContains(page, f"{reverse('services:servicerequest_add')}?service={self.service.pk}")
        form = enterprise.get(reverse("services:servicerequest_add"), {"service": self.service.pk})
        self.assertEqual(form.status_code, 200)
        self.assertNotContains(form, 'name="status"')
        self.assertNotContains(form, 'name="assigned_to"')
        self.assertContains(form, self.world.park["in"].name, msg_prefix="the park its enterprise holds land in")
        response = enterprise.post(
            reverse("services:servicerequest_add"),
            {
                "enterprise": self.world.org["in"].pk,
                "park": self.world.park["in"].pk,
                "service": self.service.pk,
                "title": "融资需求",
            },
        )
        self.assertEqual(response.status_code, 302)
        request = ServiceRequest.objects.get(title="融资需求")
        detail = staff.get(request.get_absolute_url())
        self.assertContains(detail, 'data-transition="accept"')
        staff.post(reverse("services:servicerequest_transition", args=[request.pk, "accept"]))
        upload = SimpleUploadedFile("list.pdf", b"%PDF-1.4 list")
        staff.post(
            reverse("services:servicerequest_message", args=[request.pk]),
            {"body": "请提交材料清单", "attachment": upload},
        )
        message = RequestMessage.objects.get(request=request)
        self.assertEqual(message.author, self.world.users["service_staff"])
        download = enterprise.get(reverse("services:requestmessage_download", args=[message.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(b"".join(download.streaming_content), b"%PDF-1.4 list")
        self.assertEqual(
            self.client_for("park_manager")
            .get(reverse("services:requestmessage_download", args=[message.pk]))
            .status_code,
            200,
        )
        staff.post(reverse("services:servicerequest_transition", args=[request.pk, "done"]))
        detail = enterprise.get(request.get_absolute_url())
        self.assertContains(detail, 'id="rating-form"')
        self.assertNotContains(detail, 'data-transition="accept"')
        enterprise.post(reverse("services:servicerequest_rate", args=[request.pk]), {"rating": "5", "comment": "很好"})
        request.refresh_from_db()
        self.assertEqual((request.status, request.rating), (Status.DONE, 5))

    def test_attachment_outside_scope_is_404(self):
        request = request_for(self.world, "out")
        message = RequestMessage.objects.create(
            request=request,
            author=self.world.users["operator_admin"],
            body="x",
            attachment=SimpleUploadedFile("a.pdf", b"x"),
        )
        for role in ("service_staff", "enterprise_user", "government_partner"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.client_for(role)
                    .get(reverse("services:requestmessage_download", args=[message.pk]))
                    .status_code,
                    404,
                )

    def test_enterprise_edits_only_title_and_description_and_only_while_new(self):
        request = request_for(self.world, "in")
        enterprise = self.client_for("enterprise_user")
        form = enterprise.get(reverse("services:servicerequest_edit", args=[request.pk]))
        self.assertEqual(list(form.context["form"].fields), ["title", "description"])
        wf.request_accept(request=request, user=self.world.users["service_staff"])
        self.assertEqual(enterprise.get(reverse("services:servicerequest_edit", args=[request.pk])).status_code, 404)
        api = APIClient()
        api.force_authenticate(self.world.users["enterprise_user"])
        self.assertEqual(
            api.patch(f"/api/services/requests/{request.pk}/", {"title": "x"}, format="json").status_code, 404
        )

    def test_enterprise_cannot_set_status_through_the_api(self):
        api = APIClient()
        api.force_authenticate(self.world.users["enterprise_user"])
        request = request_for(self.world, "in")
        response = api.patch(f"/api/services/requests/{request.pk}/", {"status": "done", "rating": 5}, format="json")
        self.assertEqual(response.status_code, 200)
        request.refresh_from_db()
        self.assertEqual((request.status, request.rating), (Status.NEW, None))

    def test_api_workflow_actions(self):
        staff, enterprise = APIClient(), APIClient()
        staff.force_authenticate(self.world.users["service_staff"])
        enterprise.force_authenticate(self.world.users["enterprise_user"])
        request = request_for(self.world, "in")
        url = f"/api/services/requests/{request.pk}/"
        self.assertEqual(enterprise.post(url + "accept/").status_code, 403)
        self.assertEqual(staff.post(url + "done/").status_code, 400)
        self.assertEqual(staff.post(url + "accept/").json()["status"], "accepted")
        self.assertEqual(staff.post(url + "message/", {"body": "ok"}, format="json").status_code, 201)
        self.assertEqual(staff.post(url + "done/").json()["status"], "done")
        response = enterprise.post(url + "rate/", {"rating": 3}, format="json")
        self.assertEqual(response.json()["rating"], 3)
        self.assertEqual(
            staff.post(f"/api/services/requests/{request_for(self.world, 'out').pk}/accept/").status_code, 404
        )

    def test_catalogue_groups_services_by_aspect(self):
        service_for(self.world, "in", aspect=Aspect.GREEN, name="碳核算")
        page = self.client_for("enterprise_user").get(reverse("services:catalogue"))
        self.assertContains(page, 'data-aspect="green"')
        self.assertContains(page, "碳核算")
        self.assertContains(page, f'data-file-service="{self.service.pk}"')


class ScenarioMembershipTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scenario = Scenario.objects.create(
            name="ESG 融资场景",
            aspect=Aspect.FINANCE,
            provider=Organization.objects.create(name="测试银行", kind=Organization.Kind.FINANCIAL),
            end_date=datetime.date(2099, 1, 1),
        )

    def test_enterprise_joins_and_leaves_for_itself_only(self):
        user = self.world.users["enterprise_user"]
        wf.scenario_join(scenario=self.scenario, user=user, organization=self.world.org["in"])
        self.assertTrue(self.scenario.participants.filter(pk=self.world.org["in"].pk).exists())
        with self.assertRaises(PermissionDenied):
            wf.scenario_join(scenario=self.scenario, user=user, organization=self.world.org["out"])
        wf.scenario_leave(scenario=self.scenario, user=user, organization=self.world.org["in"])
        self.assertFalse(self.scenario.participants.exists())

    def test_closed_scenario_takes_no_one(self):
        self.scenario.end_date = datetime.date(2020, 1, 1)
        self.scenario.save()
        with self.assertRaises(ValidationError):
            wf.scenario_join(
                scenario=self.scenario, user=self.world.users["enterprise_user"], organization=self.world.org["in"]
            )

    def test_join_button_and_api(self):
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        page = client.get(self.scenario.get_absolute_url())
        self.assertContains(page, 'data-membership="join"')
        client.post(
            reverse("services:scenario_membership", args=[self.scenario.pk, "join"]),
            {"organization": self.world.org["in"].pk},
        )
        self.assertTrue(self.scenario.participants.filter(pk=self.world.org["in"].pk).exists())
        api = APIClient()
        api.force_authenticate(self.world.users["enterprise_user"])
        response = api.post(
            f"/api/services/scenarios/{self.scenario.pk}/leave/",
            {"organization": self.world.org["in"].pk},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(self.scenario.participants.exists())
        response = api.post(
            f"/api/services/scenarios/{self.scenario.pk}/join/",
            {"organization": self.world.org["out"].pk},
            format="json",
        )
        self.assertEqual(response.status_code, 403)

    def test_enterprise_does_not_see_other_participants(self):
        self.scenario.participants.add(self.world.org["out"])
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        self.assertNotContains(client.get(self.scenario.get_absolute_url()), "Org out Ltd")
        api = APIClient()
        api.force_authenticate(self.world.users["enterprise_user"])
        self.assertEqual(api.get(f"/api/services/scenarios/{self.scenario.pk}/").json()["participants"], [])


class ReadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.request = request_for(cls.world, "in", assigned_to=cls.world.users["service_staff"])
        request_for(cls.world, "in")

    def test_pages_render_for_every_reader(self):
        urls = [
            self.request.get_absolute_url(),
            reverse("services:catalogue"),
            reverse("services:figures"),
            reverse("services:servicerequest_list") + "?mine=true&overdue=true&is_open=true",
        ]
        for role in ("operator_admin", "service_staff", "park_manager", "investment_staff", "enterprise_user"):
            client = Client()
            client.force_login(self.world.users[role])
            for url in urls:
                with self.subTest(role=role, url=url):
                    self.assertEqual(client.get(url).status_code, 200)

    def test_my_requests_filter(self):
        client = Client()
        client.force_login(self.world.users["service_staff"])
        response = client.get(reverse("services:servicerequest_list"), {"mine": "true"})
        self.assertEqual(list(response.context["table"].data), [self.request])

    def test_menu_links_to_catalogue_and_figures(self):
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        page = client.get(reverse("services:servicerequest_list"))
        self.assertContains(page, reverse("services:catalogue"))
        self.assertContains(page, reverse("services:figures"))
        client.force_login(self.world.users["evaluation_officer"])
        self.assertEqual(client.get(reverse("services:catalogue")).status_code, 403)
