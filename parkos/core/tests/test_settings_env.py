"""Settings read from the environment for production: Redis, S3, connection pooling and a read replica."""

import json
import os
import subprocess
import sys

from django.test import SimpleTestCase

SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "session_engine": settings.SESSION_ENGINE,
    "session_cache": getattr(settings, "SESSION_CACHE_ALIAS", "default"),
    "storage": settings.STORAGES["default"]["BACKEND"],
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "replica": {k: settings.DATABASES["replica"][k] for k in ("NAME", "HOST", "TEST")}
        if "replica" in settings.DATABASES else None,
    "routers": settings.DATABASE_ROUTERS,
}))
"""

PRODUCTION = (
    "PARKOS_REDIS_URL",
    "PARKOS_S3_BUCKET",
    "PARKOS_S3_ENDPOINT_URL",
    "PARKOS_S3_ACCESS_KEY",
    "PARKOS_S3_SECRET_KEY",
    "PARKOS_S3_REGION",
    "PARKOS_S3_PREFIX",
    "PARKOS_S3_ADDRESSING_STYLE",
    "PARKOS_DB_POOL",
    "PARKOS_REPLICA_DATABASE_URL",
)


def settings_with(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        env={**base, "DJANGO_SETTINGS_MODULE": "parkos.settings", "PARKOS_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class ProductionSettingsTests(SimpleTestCase):
    def test_everything_configured(self):
        found = settings_with(
            DATABASE_URL="postgres://parkos@db.internal:5432/parkos",
            PARKOS_REDIS_URL="redis://127.0.0.1:6379/2",
            PARKOS_S3_BUCKET="parkos-files",
            PARKOS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
            PARKOS_S3_ACCESS_KEY="key-id",
            PARKOS_S3_SECRET_KEY="key-secret",
            PARKOS_S3_PREFIX="/media/",
            PARKOS_DB_POOL="8",
            PARKOS_REPLICA_DATABASE_URL="postgres://parkos@replica.internal:5432/parkos",
        )
        self.assertEqual(found["cache"], "django.core.cache.backends.redis.RedisCache")
        self.assertEqual(found["cache_location"], "redis://127.0.0.1:6379/2")
        # on PostgreSQL sessions are read from Redis and kept in the database too
        self.assertEqual(found["session_engine"], "django.contrib.sessions.backends.cached_db")
        self.assertEqual(found["session_cache"], "sessions")
        self.assertEqual(found["storage"], "storages.backends.s3.S3Storage")
        options = found["storage_options"]
        self.assertEqual(
            (options["bucket_name"], options["endpoint_url"], options["access_key"], options["location"]),
            ("parkos-files", "http://127.0.0.1:9000", "key-id", "media"),
        )
        self.assertIs(options["file_overwrite"], False)
        self.assertEqual(found["pool"]["max_size"], 8)
        self.assertEqual(found["conn_max_age"], 0)  # Django refuses persistent connections with a pool
        self.assertEqual(found["replica"]["HOST"], "replica.internal")
        self.assertEqual(found["replica"]["TEST"]["MIRROR"], "default")
        self.assertEqual(found["routers"], ["parkos.core.routers.ReportReplicaRouter"])

    def test_nothing_configured(self):
        found = settings_with()
        self.assertEqual(found["cache"], "django.core.cache.backends.locmem.LocMemCache")
        self.assertEqual(found["storage"], "django.core.files.storage.FileSystemStorage")
        self.assertIsNone(found["pool"])
        self.assertIsNone(found["replica"])
        # on SQLite sessions stay in files, out of the database's single write lock
        self.assertEqual(found["session_engine"], "django.contrib.sessions.backends.cache")

    def test_pool_on_without_a_size(self):
        found = settings_with(DATABASE_URL="postgres://parkos@db.internal:5432/parkos", PARKOS_DB_POOL="1")
        self.assertEqual((found["pool"]["max_size"], found["conn_max_age"]), (4, 0))
        self.assertEqual(found["session_engine"], "django.contrib.sessions.backends.db")
