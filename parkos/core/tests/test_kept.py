"""Figures kept between requests (parkos.core.kept): versions per topic bumped by writes, audiences, keeping."""

from __future__ import annotations

from unittest import mock

from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.test import TestCase, override_settings

from parkos.core import kept
from parkos.core.testing import PASSWORD, World
from parkos.directory.models import Industry
from parkos.parks.models import LandParcel
from parkos.users.models import User

TOPIC = "leasing_figures"  # reads industries (LeasingConfig.ready): watched at once and on commit


@override_settings(PARKOS_FIGURES_CACHE_SECONDS=300)
class KeptTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def compute(self, value: object = 1):
        calls = []

        def compute():
            calls.append(1)
            return {"value": value}

        return compute, calls

    def test_figures_are_computed_once_per_version_and_parts(self):
        compute, calls = self.compute()
        for _time in range(2):
            self.assertEqual(kept.kept("example", (TOPIC,), ("a", 1), compute), {"value": 1})
        kept.kept("example", (TOPIC,), ("a", 2), compute)
        self.assertEqual(len(calls), 2)
        kept.bump(TOPIC)
        kept.kept("example", (TOPIC,), ("a", 1), compute)
        self.assertEqual(len(calls), 3)

    def test_a_write_while_computing_leaves_the_figures_stale(self):
        def compute():
            Industry.objects.create(code="NEW", name="New")  # a write the figures read, after their version
            return {"value": 1}

        kept.kept("example", (TOPIC,), (), compute)
        again, calls = self.compute(2)
        self.assertEqual(kept.kept("example", (TOPIC,), (), again), {"value": 2})
        self.assertEqual(len(calls), 1)

    def test_figures_are_computed_again_after_the_setting_s_seconds(self):
        compute, calls = self.compute()
        kept.kept("example", (TOPIC,), (), compute)
        with mock.patch.object(kept.time, "time", return_value=kept.time.time() + 301):
            kept.kept("example", (TOPIC,), (), compute)
        self.assertEqual(len(calls), 2)

    def test_a_write_bumps_a_topic_at_once_and_again_when_it_commits(self):
        before = kept.version((TOPIC,))
        with self.captureOnCommitCallbacks() as callbacks:
            Industry.objects.create(code="X1", name="X1")
            at_once = kept.version((TOPIC,))
            Industry.objects.create(code="X2", name="X2")  # no figures read since: no need to bump again
            self.assertEqual(kept.version((TOPIC,)), at_once)
            kept.kept("example", (TOPIC,), (), lambda: {})  # read (and kept) with the writes so far
            Industry.objects.create(code="X3", name="X3")
            again = kept.version((TOPIC,))
        self.assertNotIn(at_once, (before, again))
        self.assertEqual(len(callbacks), 1)  # once per transaction
        callbacks[0]()
        self.assertNotEqual(kept.version((TOPIC,)), again)

    def test_a_topic_not_watched_at_once_waits_for_the_commit_and_a_rollback_leaves_it(self):
        before = kept.version(("agreements",))  # the cockpit's
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    self.world.park["in"].save()
                    self.assertEqual(kept.version(("agreements",)), before)
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(kept.version(("agreements",)), before)

    def test_fixtures_loaded_and_links_about_to_change_bump_nothing(self):
        before = kept.version((TOPIC,))
        kept.changed(Industry, raw=True)
        kept.changed(Industry, action="pre_add")
        kept.changed(Group)  # no kept figures read it
        self.assertEqual(kept.version((TOPIC,)), before)

    def test_the_audience_is_the_reach_not_the_user(self):
        models = (LandParcel,)
        users = self.world.users
        admin, manager = users["operator_admin"], users["park_manager"]
        colleague = User.objects.create_user(username="colleague", password=PASSWORD)
        colleague.groups.add(Group.objects.get(name="park_manager"))
        colleague.parks.add(self.world.park["in"])
        elsewhere = User.objects.create_user(username="elsewhere", password=PASSWORD)
        elsewhere.groups.add(Group.objects.get(name="park_manager"))
        elsewhere.parks.add(self.world.park["out"])
        enterprise = users["enterprise_user"]
        self.assertTrue(kept.audience(admin, models).endswith(":all"))
        self.assertEqual(kept.audience(colleague, models), kept.audience(manager, models))
        self.assertNotEqual(kept.audience(elsewhere, models), kept.audience(manager, models))
        self.assertIn(":organizations:", kept.audience(enterprise, models))
        self.assertTrue(kept.audience(AnonymousUser(), models).endswith(":none"))
        self.assertEqual(len({kept.audience(u, models) for u in (admin, manager, elsewhere, enterprise)}), 4)

    @override_settings(PARKOS_FIGURES_CACHE_SECONDS=0)
    def test_nothing_is_kept_when_the_setting_is_0(self):
        compute, calls = self.compute()
        kept.kept("example", (TOPIC,), (), compute)
        kept.kept("example", (TOPIC,), (), compute)
        self.assertEqual(len(calls), 2)
