"""The standard suite (pages, import, export, API, permissions per role) for every services model."""

from django.core.files.uploadedfile import SimpleUploadedFile

from parkos.core.testing import StandardModelTests, csv_text
from parkos.services.models import Aspect, RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest

#: the catalogue and scenarios: every role with the services app reads all of it, enterprises included
CATALOGUE_READERS = {
    "operator_admin": "all",
    "investment_staff": "all",
    "park_manager": "all",
    "service_staff": "all",
    "enterprise_user": "all",
}
#: service staff keep the catalogue (it belongs to no park, so they keep all of it)
CATALOGUE_EDITORS = {"operator_admin": "all", "service_staff": "all"}
#: requests and their messages: staff in their parks, the enterprise its own
REQUEST_READERS = {
    "operator_admin": "all",
    "service_staff": "in",
    "park_manager": "in",
    "investment_staff": "in",
    "enterprise_user": "in",
}
REQUEST_EDITORS = {"operator_admin": "all", "service_staff": "in", "enterprise_user": "in"}


def service_for(world, side: str = "in", **extra) -> Service:
    n = world.seq()
    return Service.objects.create(
        name=extra.pop("name", f"Service {n:04d}{side}"),
        aspect=extra.pop("aspect", Aspect.FINANCE),
        provider=world.org[side],
        **extra,
    )


def request_for(world, side: str = "in", **extra) -> ServiceRequest:
    n = world.seq()
    return ServiceRequest.objects.create(
        enterprise=world.org[side],
        park=world.park[side],
        service=extra.pop("service", None) or service_for(world, side),
        title=extra.pop("title", f"Request {n:04d}{side}"),
        **extra,
    )


class ServiceTests(StandardModelTests):
    model = Service
    visible_to = CATALOGUE_READERS
    editable_by = CATALOGUE_EDITORS
    update_data = {"resolution_target_days": "20"}
    invalid_data = [("name", ""), ("aspect", "space"), ("response_target_hours", "0")]

    @staticmethod
    def form_data(world):
        return {
            "name": "绿色工厂认证辅导",
            "aspect": "green",
            "provider": world.org["in"].pk,
            "eligibility": "制造业企业",
            "deliverables": "认证材料与现场辅导",
            "response_target_hours": "24",
            "resolution_target_days": "30",
            "is_active": "on",
        }

    @classmethod
    def make(cls, world, side):
        return service_for(world, side)

    @staticmethod
    def csv_rows(world):
        base = {
            "id": "",
            "aspect": "finance",
            "provider": "Org in Ltd",
            "eligibility": "",
            "deliverables": "",
            "response_target_hours": "8",
            "resolution_target_days": "10",
            "is_active": "1",
        }
        return csv_text([{**base, "name": "知识产权质押融资"}, {**base, "name": "Export credit insurance"}])

    @staticmethod
    def csv_bad_row(world):
        return ",Bad service,finance,No such provider Ltd,,,8,10,1", "provider"

    @staticmethod
    def api_data(world):
        return {"name": "API service", "aspect": "digital", "provider": world.org["in"].pk}


class ScenarioTests(StandardModelTests):
    model = Scenario
    visible_to = CATALOGUE_READERS
    editable_by = CATALOGUE_EDITORS
    update_data = {"description": "面向园区企业的ESG融资场景"}
    invalid_data = [("name", ""), ("aspect", "space"), ("end_date", "2020-01-01")]

    @staticmethod
    def form_data(world):
        return {
            "name": "ESG 金融场景",
            "aspect": "finance",
            "provider": world.org["in"].pk,
            "start_date": "2025-01-01",
            "end_date": "2026-12-31",
            "participants": [world.org["in"].pk],
        }

    @classmethod
    def make(cls, world, side):
        return Scenario.objects.create(
            name=f"Scenario {world.seq():04d}{side}", aspect=Aspect.GREEN, provider=world.org[side]
        )

    @staticmethod
    def csv_rows(world):
        base = {"id": "", "aspect": "green", "provider": "Org in Ltd", "description": "", "start_date": "2025-01-01"}
        return csv_text(
            [
                {**base, "name": "碳足迹核算场景", "end_date": "2026-06-30"},
                {**base, "name": "Green lease scenario", "end_date": ""},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",Bad scenario,green,No such provider Ltd,,2025-01-01,", "provider"

    @staticmethod
    def api_data(world):
        return {
            "name": "API scenario",
            "aspect": "overseas",
            "provider": world.org["in"].pk,
            "start_date": "2025-01-01",
        }


def free_aspects() -> list[str]:
    taken = set(ServiceDesk.objects.values_list("aspect", flat=True))
    return [a for a in Aspect.values if a not in taken]


class ServiceDeskTests(StandardModelTests):
    model = ServiceDesk
    visible_to = {"operator_admin": "all", "investment_staff": "all", "park_manager": "all", "service_staff": "all"}
    editable_by = {"operator_admin": "all", "service_staff": "all"}
    invalid_data = [("aspect", "space")]

    @staticmethod
    def update_data(world):
        return {"aspect": free_aspects()[0]}

    @staticmethod
    def form_data(world):
        return {"aspect": free_aspects()[0], "members": [world.users["service_staff"].pk]}

    @classmethod
    def make(cls, world, side):
        return ServiceDesk.objects.create(aspect=free_aspects()[0])

    @staticmethod
    def csv_rows(world):
        first, second = free_aspects()[:2]
        return csv_text([{"aspect": first, "members": "service_staff"}, {"aspect": second, "members": ""}])

    @staticmethod
    def csv_bad_row(world):
        return "space,service_staff", "aspect"

    @staticmethod
    def api_data(world):
        return {"aspect": free_aspects()[0], "members": [world.users["service_staff"].pk]}


class ServiceRequestTests(StandardModelTests):
    model = ServiceRequest
    visible_to = REQUEST_READERS
    editable_by = REQUEST_EDITORS
    update_data = {"title": "申请绿色信贷（补充材料）"}
    invalid_data = [("title", ""), ("service", "999999"), ("enterprise", "")]

    @staticmethod
    def form_data(world):
        return {
            "enterprise": world.org["in"].pk,
            "park": world.park["in"].pk,
            "service": Service.objects.filter(provider=world.org["in"]).latest("pk").pk,
            "title": "申请绿色信贷",
            "description": "需要 500 万元流动资金",
        }

    @classmethod
    def make(cls, world, side):
        return request_for(world, side)

    @staticmethod
    def csv_rows(world):
        service, _created = Service.objects.get_or_create(
            name="Imported service", provider=world.org["in"], defaults={"aspect": Aspect.TECHNOLOGY}
        )
        base = {
            "id": "",
            "enterprise": "Org in Ltd",
            "park": "park-in",
            "service": service.name,
            "aspect": "",
            "description": "",
            "status": "done",
            "assigned_to": "service_staff",
            "requested_at": "2025-05-01 09:00:00",
            "responded_at": "2025-05-01 15:00:00",
            "resolved_at": "2025-05-10 12:00:00",
            "rating": "5",
            "rating_comment": "",
        }
        return csv_text(
            [
                {**base, "title": "专利申请辅导"},
                {**base, "title": "New request", "status": "new", "responded_at": "", "resolved_at": "", "rating": ""},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",Org in Ltd,no-such-park,Imported service,,Bad,,new,,2025-05-01 09:00:00,,,,", "park"

    @staticmethod
    def api_data(world):
        return {
            "enterprise": world.org["in"].pk,
            "park": world.park["in"].pk,
            "service": Service.objects.filter(provider=world.org["in"]).latest("pk").pk,
            "title": "API request",
        }


class RequestMessageTests(StandardModelTests):
    model = RequestMessage
    visible_to = REQUEST_READERS
    editable_by = REQUEST_EDITORS
    update_data = {"body": "补充：附上营业执照"}
    invalid_data = [("body", ""), ("request", "999999")]

    @staticmethod
    def _request(world):
        return ServiceRequest.objects.filter(park=world.park["in"]).latest("pk")

    @classmethod
    def form_data(cls, world):
        return {"request": cls._request(world).pk, "body": "请提供近三年财务报表"}

    @classmethod
    def make(cls, world, side):
        author = world.users["enterprise_user"] if side == "in" else world.users["operator_admin"]
        return RequestMessage.objects.create(
            request=request_for(world, side),
            author=author,
            body=f"Message {world.seq():04d}{side}",
            attachment=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        )

    @classmethod
    def csv_rows(cls, world):
        pk = cls._request(world).pk
        return csv_text(
            [
                {"id": "", "request": pk, "author": "service_staff", "body": "已受理"},
                {"id": "", "request": pk, "author": "", "body": "Documents received"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",999999,,Lost message", "request"

    @classmethod
    def api_data(cls, world):
        return {"request": cls._request(world).pk, "body": "API message"}
