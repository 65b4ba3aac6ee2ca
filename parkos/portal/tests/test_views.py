"""The standard suite (pages, import, export, API, permissions per role) for profile change proposals."""

import datetime
import json

from parkos.core.testing import StandardModelTests, csv_text
from parkos.leasing.models import Lease
from parkos.portal.models import ProfileChangeRequest


def tenant_of(world, side: str) -> None:
    """Make ``side``'s organization a tenant of ``side``'s park: park staff review their tenants' proposals."""
    if not Lease.objects.filter(tenant=world.org[side], park=world.park[side]).exists():
        Lease.objects.create(
            tenant=world.org[side], park=world.park[side], start_date=datetime.date(2025, 1, 1), rent_amount=1
        )


#: proposals: the enterprise its own; park staff those of enterprises in their parks; admins all
PROPOSAL_SCOPE = {
    "operator_admin": "all",
    "park_manager": "in",
    "service_staff": "in",
    "enterprise_user": "in",
}


class ProfileChangeRequestTests(StandardModelTests):
    model = ProfileChangeRequest
    visible_to = PROPOSAL_SCOPE
    editable_by = PROPOSAL_SCOPE
    update_data = {"note": "Moved to the new campus in March."}
    invalid_data = [
        ("changes", json.dumps({"website": "not a url"})),
        ("changes", json.dumps({"credit_code": "91310000MA1FL0000X"})),
        ("changes", "{}"),
        ("organization", ""),
    ]

    @staticmethod
    def form_data(world):
        return {
            "organization": world.org["in"].pk,
            "changes": json.dumps({"website": "https://org-in.example.cn", "address": "1 Huanhu Road"}),
            "note": "New website",
        }

    @classmethod
    def make(cls, world, side):
        tenant_of(world, side)
        return ProfileChangeRequest.objects.create(
            organization=world.org[side],
            changes={"address": f"{world.seq()} Harbour Road"},
            note=f"Proposal {world.seq():04d}{side}",
        )

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {"id": "", "organization": "Org in Ltd", "changes": '{"name_en": "Org In"}', "note": "Imported A"},
                {"id": "", "organization": "Org in Ltd", "changes": '{"address": "9 Dock St"}', "note": "Imported B"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ',Org in Ltd,"{""website"": ""not a url""}",Bad', "changes"

    @staticmethod
    def api_data(world):
        return {"organization": world.org["in"].pk, "changes": {"name_en": "Org In Holdings"}, "note": "via API"}
