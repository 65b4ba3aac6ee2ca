"""The demo's policies and certifications: valid rules, open and closed policies, certificates that agree with flags."""

import datetime
import random

from django.test import TestCase

from parkos.demo.generator import no_progress
from parkos.demo.policies import POLICIES, load_policies
from parkos.directory.models import Organization
from parkos.policies import matching, rules
from parkos.policies.models import Certification, Policy

TODAY = datetime.date(2026, 12, 7)


class DemoPoliciesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        names = {issuer for issuer, *_ in POLICIES if issuer != "operator"}
        governments = {n: Organization.objects.create(name=f"{n}人民政府", kind="government") for n in names}
        operator = Organization.objects.create(name="园区运营公司", kind="park_operator")
        cls.enterprises = [
            Organization.objects.create(name=f"企业{i}", is_high_tech=i % 3 == 0, is_srdi=i % 4 == 0) for i in range(60)
        ]
        cls.counts = {"policies": 0, "certifications": 0}
        load_policies(
            random.Random(1),
            enterprises=cls.enterprises,
            governments=governments,
            operators=[operator],
            today=TODAY,
            counts=cls.counts,
            progress=no_progress,
        )

    def test_policies_span_the_six_aspects_with_valid_rules(self):
        policies = list(Policy.objects.all())
        self.assertEqual(len(policies), len(POLICIES))
        self.assertEqual(
            {p.aspect for p in policies}, {"technology", "digital", "green", "service", "finance", "overseas"}
        )
        for policy in policies:
            rules.validate(policy.eligibility)
        self.assertEqual(Policy.objects.filter(status="closed").count(), 1)
        self.assertGreaterEqual(matching.open_policies(TODAY).count(), 9)

    def test_certificates_agree_with_the_flags_on_the_day(self):
        valid = Certification.objects.filter(valid_from__lte=TODAY, valid_until__gte=TODAY)
        high_tech = set(valid.filter(kind="high_tech").values_list("organization_id", flat=True))
        self.assertEqual(high_tech, {o.pk for o in self.enterprises if o.is_high_tech})
        srdi = set(valid.filter(kind__in=("srdi", "little_giant")).values_list("organization_id", flat=True))
        self.assertEqual(srdi, {o.pk for o in self.enterprises if o.is_srdi})
        self.assertEqual(self.counts["certifications"], Certification.objects.count())
