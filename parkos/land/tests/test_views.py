"""The standard suite (pages, import, export, API, permissions per role) for inefficient land and disposal cases."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parkos.core.testing import StandardModelTests, csv_text
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel

#: evaluation officers work inefficient land in their parks; park managers and investment staff read it
READERS = {"operator_admin": "all", "evaluation_officer": "in", "park_manager": "in", "investment_staff": "in"}
WORKERS = {"operator_admin": "all", "evaluation_officer": "in"}
OPENED = datetime.date(2026, 2, 1)


def parcel_for(world, side: str, **extra) -> LandParcel:
    """A fresh parcel in ``side``'s park (a parcel has one active case at a time, so each case gets its own)."""
    return LandParcel.objects.create(
        park=world.park[side], code=f"DP-{world.seq():04d}{side}", area=8000, holder=world.org[side], **extra
    )


def case_for(world, side: str, **extra) -> DisposalCase:
    parcel = parcel_for(world, side, status=LandParcel.Status.UNDER_DISPOSAL)
    return DisposalCase.objects.create(
        parcel=parcel, path=extra.pop("path", DisposalCase.Path.BUY_BACK), opened_on=OPENED, **extra
    )


def latest_case(world) -> DisposalCase:
    return DisposalCase.objects.filter(parcel__park=world.park["in"]).latest("pk")


def pdf_upload():
    return SimpleUploadedFile("valuation.pdf", b"%PDF-1.4 test", content_type="application/pdf")


class ParcelFlagTests(StandardModelTests):
    model = ParcelFlag
    visible_to = READERS
    editable_by = WORKERS
    update_data = {"detail": "厂房空置，2025 年亩均税收不足 1 万元"}
    invalid_data = [("reason", "ugly"), ("flagged_on", "yesterday"), ("detail", "")]

    @staticmethod
    def form_data(world):
        return {
            "parcel": parcel_for(world, "in").pk,
            "reason": "manual",
            "detail": "Plant empty since 2023",
            "flagged_on": "2026-03-01",
        }

    @classmethod
    def make(cls, world, side):
        return ParcelFlag.objects.create(
            parcel=parcel_for(world, side, status=LandParcel.Status.INEFFICIENT),
            reason=ParcelFlag.Reason.LOW_TAX,
            detail=f"Tax per mu low {world.seq():04d}{side}",
            flagged_on=OPENED,
        )

    @staticmethod
    def csv_rows(world):
        base = {
            "id": "",
            "reason": "manual",
            "run": "",
            "flagged_on": "2026-03-01",
            "flagged_by": "evaluation_officer",
            "cleared_on": "",
        }
        rows = []
        for detail in ("Idle plant", "厂房闲置"):
            parcel = parcel_for(world, "in")
            rows.append({**base, "parcel": f"park-in/{parcel.code}", "detail": detail})
        return csv_text([{k: row[k] for k in ParcelFlagTests.COLUMNS} for row in rows])

    COLUMNS = ("id", "parcel", "reason", "detail", "run", "flagged_on", "flagged_by", "cleared_on")

    @staticmethod
    def csv_bad_row(world):
        return ",park-in/NO-SUCH-PARCEL,manual,Idle,,2026-03-01,,", "parcel"

    @staticmethod
    def api_data(world):
        return {"parcel": parcel_for(world, "in").pk, "reason": "manual", "detail": "API flag"}

    def test_flag_by_hand_makes_the_parcel_inefficient_and_records_who(self):
        data = self.form_data(self.world)
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 302)
        flag = ParcelFlag.objects.latest("pk")
        self.assertEqual(flag.flagged_by, self.admin)
        self.assertEqual(LandParcel.objects.get(pk=data["parcel"]).status, LandParcel.Status.INEFFICIENT)

    def test_api_flag_makes_the_parcel_inefficient(self):
        data = self.api_data(self.world)
        response = self.api.post(self.api_url(), data, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(LandParcel.objects.get(pk=data["parcel"]).status, LandParcel.Status.INEFFICIENT)

    def test_flag_form_offers_only_parcels_the_user_may_change(self):
        from django.test import Client

        client = Client()
        client.force_login(self.world.users["evaluation_officer"])
        outside = parcel_for(self.world, "out")
        response = client.post(
            self.url("add"), {"parcel": outside.pk, "reason": "manual", "detail": "x", "flagged_on": "2026-03-01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("parcel", response.context["form"].errors)
        self.assertEqual(LandParcel.objects.get(pk=outside.pk).status, LandParcel.Status.IN_USE)

    def test_clearing_the_last_flag_puts_the_parcel_back_in_use(self):
        flag = self.make(self.world, "in")
        response = self.client.post(reverse("land:parcelflag_clear", kwargs={"pk": flag.pk}))
        self.assertEqual(response.status_code, 302)
        flag.refresh_from_db()
        self.assertIsNotNone(flag.cleared_on)
        self.assertEqual(flag.parcel.status, LandParcel.Status.IN_USE)


class DisposalCaseTests(StandardModelTests):
    model = DisposalCase
    visible_to = READERS
    editable_by = WORKERS
    update_data = {"notes": "已与企业完成第二轮协商"}
    invalid_data = [("path", "bulldoze"), ("opened_on", "someday"), ("status", "closed")]

    @staticmethod
    def form_data(world):
        return {
            "parcel": parcel_for(world, "in", status=LandParcel.Status.INEFFICIENT).pk,
            "path": "buy_back",
            "status": "open",
            "opened_on": "2026-03-01",
            "owner": world.users["evaluation_officer"].pk,
        }

    @classmethod
    def make(cls, world, side):
        return case_for(world, side)

    @staticmethod
    def csv_rows(world):
        base = {"id": "", "status": "open", "owner": "evaluation_officer", "opened_on": "2026-03-01"}
        rows = []
        for path, notes in (("upgrade", "Upgrade plan"), ("land_reserve", "收储")):
            parcel = parcel_for(world, "in", status=LandParcel.Status.INEFFICIENT)
            rows.append({**base, "parcel": f"park-in/{parcel.code}", "path": path, "notes": notes})
        return csv_text(rows)

    @staticmethod
    def csv_bad_row(world):
        return ",open,evaluation_officer,2026-03-01,park-in/NO-SUCH-PARCEL,upgrade,x", "parcel"

    @staticmethod
    def api_data(world):
        return {"parcel": parcel_for(world, "in", status=LandParcel.Status.INEFFICIENT).pk, "path": "upgrade"}

    def test_opening_a_case_from_the_form_puts_the_parcel_under_disposal(self):
        data = self.form_data(self.world)
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(LandParcel.objects.get(pk=data["parcel"]).status, LandParcel.Status.UNDER_DISPOSAL)

    def test_import_opens_cases_and_puts_parcels_under_disposal(self):
        preview = self.upload(self.csv_rows(self.world))
        self.client.post(self.url("import"), {"token": preview.context["token"]})
        for case in DisposalCase.objects.filter(notes__in=("Upgrade plan", "收储")):
            self.assertEqual(case.parcel.status, LandParcel.Status.UNDER_DISPOSAL)

    def test_a_parcel_has_one_active_case_at_a_time(self):
        case = self.make(self.world, "in")
        response = self.client.post(
            self.url("add"), {"parcel": case.parcel_id, "path": "upgrade", "status": "open", "opened_on": "2026-03-01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors)

    def test_close_page_frees_the_land(self):
        case = self.make(self.world, "in")
        url = reverse("land:disposalcase_close", kwargs={"pk": case.pk})
        self.assertContains(self.client.get(url), "returned")
        response = self.client.post(url, {"outcome": "returned", "closed_on": "2026-06-30", "notes": "Bought back"})
        self.assertEqual(response.status_code, 302)
        case.refresh_from_db()
        self.assertEqual((case.status, case.outcome), (DisposalCase.Status.CLOSED, DisposalCase.Outcome.RETURNED))
        self.assertEqual(case.parcel.status, LandParcel.Status.IDLE)
        self.assertIsNone(case.parcel.holder)  # bought back: the land has no holder now

    def test_close_refuses_a_date_before_the_case_opened(self):
        case = self.make(self.world, "in")
        url = reverse("land:disposalcase_close", kwargs={"pk": case.pk})
        response = self.client.post(url, {"outcome": "returned", "closed_on": "2020-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("closed_on", response.context["form"].errors)
        case.refresh_from_db()
        self.assertEqual(case.status, DisposalCase.Status.OPEN)

    def test_readers_may_not_close_a_case(self):
        from django.test import Client

        client = Client()
        client.force_login(self.world.users["investment_staff"])
        url = reverse("land:disposalcase_close", kwargs={"pk": self.obj_in.pk})
        self.assertEqual(client.post(url, {"outcome": "returned", "closed_on": "2026-06-30"}).status_code, 404)

    def test_api_close_action(self):
        case = self.make(self.world, "in")
        url = reverse("land-api:disposalcase-close", kwargs={"pk": case.pk})
        response = self.api.post(url, {"outcome": "in_use", "closed_on": "2026-05-01"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "closed")
        case.refresh_from_db()
        self.assertEqual(case.parcel.status, LandParcel.Status.IN_USE)
        again = self.api.post(url, {}, format="json")
        self.assertEqual(again.status_code, 400)

    def test_api_refuses_closing_by_patch(self):
        response = self.api.patch(self.api_url(self.obj_in), {"status": "closed"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.json())

    def test_closing_by_hand_is_refused_alike_in_every_channel(self):
        message = "Close a case with its close action, which records the outcome."
        case = self.make(self.world, "in")
        case.status = DisposalCase.Status.CLOSED
        with self.assertRaises(ValidationError) as caught:
            case.full_clean()
        self.assertEqual(caught.exception.message_dict["status"], [message])
        response = self.api.patch(self.api_url(self.obj_in), {"status": "closed"}, format="json")
        self.assertEqual(response.json()["status"], [message])
        rows = self.csv_rows(self.world).replace(",open,", ",closed,")
        response = self.upload(rows)
        self.assertEqual(response.status_code, 400)
        self.assertIn(message, [e.message for e in response.context["report"].errors if e.field == "status"])

    def test_case_page_shows_milestones_documents_parcel_and_its_history(self):
        case = self.make(self.world, "in")
        DisposalMilestone.objects.create(case=case, title="收购协议签订", due_date=datetime.date(2026, 4, 1))
        DisposalDocument.objects.create(case=case, title="评估报告", file=pdf_upload())
        response = self.client.get(self.url("", case))
        for text in ("收购协议签订", "评估报告", case.parcel.code, 'id="parcel-history"', 'id="close-case"'):
            self.assertContains(response, text)


class DisposalMilestoneTests(StandardModelTests):
    model = DisposalMilestone
    visible_to = READERS
    editable_by = WORKERS
    update_data = {"done_on": "2026-04-15"}
    invalid_data = [("title", ""), ("due_date", "next week"), ("case", "999999")]

    @staticmethod
    def form_data(world):
        return {"case": latest_case(world).pk, "title": "完成土地估价", "due_date": "2026-04-30"}

    @classmethod
    def make(cls, world, side):
        return DisposalMilestone.objects.create(
            case=case_for(world, side),
            title=f"Talks with holder {world.seq():04d}{side}",
            due_date=datetime.date(2026, 3, 31),
            owner=world.users["evaluation_officer"],
        )

    @staticmethod
    def csv_rows(world):
        base = {"id": "", "case": latest_case(world).pk, "due_date": "2026-05-01", "done_on": "", "owner": ""}
        return csv_text(
            [{**base, "title": "Valuation"}, {**base, "title": "签订收回协议", "owner": "evaluation_officer"}]
        )

    @staticmethod
    def csv_bad_row(world):
        return f",{latest_case(world).pk},2026-05-01,,nobody,Handover", "owner"

    @staticmethod
    def api_data(world):
        return {"case": latest_case(world).pk, "title": "API milestone", "due_date": "2026-05-01"}


class DisposalDocumentTests(StandardModelTests):
    model = DisposalDocument
    visible_to = READERS
    editable_by = WORKERS
    update_data = {"title": "评估报告（终稿）"}
    invalid_data = [("title", "")]

    @staticmethod
    def form_data(world):
        return {"case": latest_case(world).pk, "title": "评估报告", "file": pdf_upload()}

    @classmethod
    def make(cls, world, side):
        return DisposalDocument.objects.create(
            case=case_for(world, side), title=f"Minutes {world.seq():04d}{side}", file=pdf_upload()
        )

    @staticmethod
    def csv_rows(world):
        pk = latest_case(world).pk
        return csv_text(
            [
                {"id": "", "case": pk, "title": "Minutes 1", "file": "disposal/2026/minutes-1.pdf"},
                {"id": "", "case": pk, "title": "会议纪要二", "file": "disposal/2026/minutes-2.pdf"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",999999,Minutes,disposal/x.pdf", "case"

    @staticmethod
    def api_data(world):
        return {"case": latest_case(world).pk, "title": "API minutes", "file": "disposal/api.pdf"}

    def test_api_crud(self):
        """Files are uploaded as multipart through the API."""
        response = self.api.post(
            self.api_url(),
            {"case": latest_case(self.world).pk, "title": "Uploaded", "file": pdf_upload()},
            format="multipart",
        )
        self.assertEqual(response.status_code, 201, response.content)
        created = DisposalDocument.objects.get(pk=response.json()["id"])
        self.assertEqual(self.changes(created, "create").get().source, "api")

    def test_api_refuses_bad_input_with_field_messages(self):
        response = self.api.post(self.api_url(), {"case": latest_case(self.world).pk}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())

    def test_download_goes_through_the_permission_rule(self):
        from django.test import Client

        url = reverse("land:disposaldocument_download", kwargs={"pk": self.obj_in.pk})
        self.assertEqual(self.client.get(url).status_code, 200)
        for role, status in (("evaluation_officer", 200), ("service_staff", 404), ("enterprise_user", 404)):
            client = Client()
            client.force_login(self.world.users[role])
            self.assertEqual(client.get(url).status_code, status, role)
        client = Client()
        client.force_login(self.world.users["evaluation_officer"])
        outside = reverse("land:disposaldocument_download", kwargs={"pk": self.obj_out.pk})
        self.assertEqual(client.get(outside).status_code, 404)
