"""/metrics: Prometheus text for the allowed addresses (loopback by default), 403 for everyone else."""

from django.test import TestCase, override_settings

from parkos.core.metrics import allowed


class MetricsTests(TestCase):
    def test_loopback_reads_the_metrics_without_signing_in(self):
        self.client.get("/login/")  # a request to count
        response = self.client.get("/metrics", REMOTE_ADDR="127.0.0.1")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        body = response.content.decode()
        self.assertIn("django_http_requests_total_by_method_total", body)
        self.assertIn(
            'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="login"}', body
        )

    def test_other_addresses_are_refused(self):
        for address in ("203.0.113.7", "10.0.0.5", "::ffff:8.8.8.8", "not-an-address"):
            response = self.client.get("/metrics", REMOTE_ADDR=address)
            self.assertEqual(response.status_code, 403, address)
            self.assertNotIn(b"django_http", response.content)

    @override_settings(PARKOS_METRICS_ALLOW="10.0.0.0/8, 192.0.2.1")
    def test_the_operator_allows_a_network(self):
        self.assertEqual(self.client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code, 200)
        self.assertEqual(self.client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code, 200)
        self.assertEqual(self.client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code, 403)
        self.assertFalse(allowed("192.0.2.2"))
