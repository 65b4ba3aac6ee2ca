"""Settings, read from the environment so one build runs everywhere.

DATABASE_URL            database (default: SQLite file under ./var/)
PARKOS_SECRET_KEY       secret key (default: generated once into the var directory)
PARKOS_DEBUG            "1"/"true" turns debug on (default off)
PARKOS_ALLOWED_HOSTS    comma-separated host names
PARKOS_VAR_DIR          where SQLite, media and collected static files live (default ./var)
PARKOS_STATIC_ROOT      where collectstatic writes (default var/static; the Docker image keeps them in the image)
PARKOS_INSECURE_HTTP    "1" lets a non-debug server run on plain HTTP (a trial behind no TLS)
PARKOS_LOGIN_THROTTLE   "0" turns login throttling off (for API fuzzing only)
PARKOS_REPORT_CURRENCY  the currency exchange rates are kept in and figures convert through (default CNY)
PARKOS_SQLITE_BUSY_TIMEOUT  seconds a SQLite writer waits for another one before "database is locked" (default 20)
PARKOS_HEARTBEAT_TIMEOUT    seconds without a heartbeat after which a running job counts as dead (default 120)
PARKOS_BASE_URL         the address people open ParkOS at, for links in e-mails and webhooks (default http://127.0.0.1:8000)
PARKOS_NOTIFY_LANGUAGE  the language of e-mails and webhook messages (default zh-hans)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, DEFAULT_FROM_EMAIL
                        the mail server notifications go out through (unset EMAIL_HOST: written to files in var/mail/)
PARKOS_MAP_TILES        base map tile URL template ({z}/{x}/{y}, {s} for subdomains); unset: maps draw without one
PARKOS_MAP_ATTRIBUTION  the tile source's attribution shown on the map (e.g. "© 天地图")
PARKOS_MAP_CRS          the tiles' coordinate system: WGS84 (default) or GCJ02 (AMap, Tencent); see docs/operations.md
PARKOS_MAP_SUBDOMAINS   letters or digits the {s} of the template cycles through (e.g. "1234" for AMap)
PARKOS_MAP_MAX_ZOOM     highest zoom level the tile source serves (default 18)
PARKOS_LOG_FORMAT       "json" (default without debug: one JSON object per line) or "text"
PARKOS_LOG_LEVEL        level of the logs (default WARNING); PARKOS_ACCESS_LOG_LEVEL for the access lines (INFO)
PARKOS_METRICS_ALLOW    addresses or networks that may read /metrics, comma-separated (default 127.0.0.1,::1)
PARKOS_HEARTBEAT_INTERVAL   seconds between a worker's heartbeats (default 30)
PARKOS_IMPORT_INLINE_ROWS   an uploaded file of more rows is previewed and imported by the worker (default 2000)
PARKOS_REDIS_URL        redis://host:port/db: the cache and the sessions on Redis (shared by every app server)
PARKOS_S3_BUCKET        uploaded files on S3-compatible object storage (django-storages) in this bucket;
                        PARKOS_S3_ENDPOINT_URL (MinIO, Ceph, OSS...; unset: AWS), PARKOS_S3_ACCESS_KEY,
                        PARKOS_S3_SECRET_KEY, PARKOS_S3_REGION, PARKOS_S3_PREFIX (folder in the bucket),
                        PARKOS_S3_ADDRESSING_STYLE ("path" or "virtual"). Unset bucket: files under var/media/
PARKOS_DB_POOL          PostgreSQL: "1" or the largest pool size: a connection pool per process (psycopg-pool)
PARKOS_REPLICA_DATABASE_URL  a read replica of the PostgreSQL database: reports read from it (core.routers)
PARKOS_EXPORT_INLINE_ROWS    a list export of more rows is written by the worker, under "My exports" (default 10000)
PARKOS_EXPORT_PDF_INLINE_ROWS  a PDF report of more rows is written by the worker (default 300)
PARKOS_EXPORT_KEEP_DAYS      days an export's file is kept before `parkos notify_due` removes it (default 7)
PARKOS_FIGURES_CACHE_SECONDS  report figures (leasing, service figures) are kept until a write they read, and at most
                        this many seconds (default 300); 0 computes them at every view (parkos.core.kept)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PARKOS_VAR_DIR", PROJECT_DIR / "var")).resolve()
NODE_MODULES = PROJECT_DIR / "node_modules"

DEBUG = env_flag("PARKOS_DEBUG")


def load_secret_key() -> str:
    """The key from the environment, else one generated once and kept in the var directory."""
    key = os.environ.get("PARKOS_SECRET_KEY", "").strip()
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("PARKOS_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Our apps come before the libraries so that our `import` and `export` commands win.
    "parkos.core",
    "parkos.directory",
    "parkos.parks",
    "parkos.users",
    "parkos.investment",
    "parkos.leasing",
    "parkos.services",
    "parkos.portal",
    "parkos.evaluation",
    "parkos.land",
    "parkos.compliance",
    "parkos.policies",
    "parkos.intake",
    "parkos.cockpit",
    "parkos.notifications",
    "parkos.maps",
    "parkos.demo",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "import_export",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "parkos.core.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "parkos.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parkos.core.middleware.LoginRequiredMiddleware",
    "parkos.core.middleware.ChangeLoggingMiddleware",
    "parkos.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "parkos.urls"
WSGI_APPLICATION = "parkos.wsgi.application"
AUTH_USER_MODEL = "users.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "parkos.core.context_processors.navigation",
            ],
        },
    }
]
# Django's renderer with a select's options written in Python, not a template include per option (issue 16)
FORM_RENDERER = "parkos.core.renderers.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'parkos.sqlite3'}",
        conn_max_age=int(os.environ.get("PARKOS_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
PARKOS_DB_POOL = os.environ.get("PARKOS_DB_POOL", "").strip().lower()
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and PARKOS_DB_POOL not in {"", "0", "false", "no"}:
    # Each process keeps a pool of connections (psycopg-pool), opened once and lent to each request. Django
    # refuses CONN_MAX_AGE with a pool. A gunicorn sync worker serves one request at a time, so its
    # persistent connection (CONN_MAX_AGE) is already reused: the pool helps threaded workers and many
    # short-lived connections; docs/operations.md, "Connection pooling".
    pool_size = int(PARKOS_DB_POOL) if PARKOS_DB_POOL.isdigit() and int(PARKOS_DB_POOL) > 1 else 4
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 10}
PARKOS_REPLICA_DATABASE_URL = os.environ.get("PARKOS_REPLICA_DATABASE_URL", "").strip()
if PARKOS_REPLICA_DATABASE_URL:
    # A read replica (PostgreSQL streaming replication): the reports read from it, everything else and every
    # write goes to "default" (parkos.core.routers). Tests make it a mirror of "default".
    DATABASES["replica"] = dj_database_url.parse(
        PARKOS_REPLICA_DATABASE_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["parkos.core.routers.ReportReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the web server read while an import writes; a writer that finds another one
            # waits up to PARKOS_SQLITE_BUSY_TIMEOUT seconds (default 20) for it (a login, a session save) instead of
            # failing at once with "database is locked". IMMEDIATE takes the write lock when a
            # transaction begins, so two writers queue instead of deadlocking on a lock upgrade.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("PARKOS_SQLITE_BUSY_TIMEOUT", "20")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins: five failures for one user name from one address lock it out for 15 minutes.
AXES_ENABLED = env_flag("PARKOS_LOGIN_THROTTLE", True)
# Failed sign-ins are counted in the database; a successful one's clean-up never waits behind a long import.
AXES_HANDLER = "parkos.core.bookkeeping.LoginAttemptHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["parkos.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PARKOS_STATIC_ROOT", VAR_DIR / "static")).resolve()
# Front-end libraries come from npm at install time; only their dist folders are served.
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/tabler", "@tabler/core/dist"),
        ("vendor/tabler-icons", "@tabler/icons-webfont/dist"),
        ("vendor/tom-select", "tom-select/dist"),
        ("vendor/echarts", "echarts/dist"),
        ("vendor/leaflet", "leaflet/dist"),
        ("vendor/leaflet-geoman", "@geoman-io/leaflet-geoman-free/dist"),
        ("vendor/htmx", "htmx.org/dist"),
    ]
    if (NODE_MODULES / path).is_dir()
]
PARKOS_S3_BUCKET = os.environ.get("PARKOS_S3_BUCKET", "").strip()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
if PARKOS_S3_BUCKET:
    # Uploaded files on S3-compatible object storage, shared by every app server and worker. Files are read
    # through ParkOS's permission-checked downloads, never handed out as bucket URLs; keep the bucket private.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PARKOS_S3_BUCKET,
            "endpoint_url": os.environ.get("PARKOS_S3_ENDPOINT_URL", "").strip() or None,
            "access_key": os.environ.get("PARKOS_S3_ACCESS_KEY", "").strip() or None,
            "secret_key": os.environ.get("PARKOS_S3_SECRET_KEY", "").strip() or None,
            "region_name": os.environ.get("PARKOS_S3_REGION", "").strip() or None,
            "location": os.environ.get("PARKOS_S3_PREFIX", "").strip().strip("/"),
            "addressing_style": os.environ.get("PARKOS_S3_ADDRESSING_STYLE", "").strip() or None,
            "default_acl": None,
            "file_overwrite": False,  # as on disk: a second file of the same name gets a new name
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Exchange rates are kept as the value of one unit of a currency in this one; figures convert through it.
PARKOS_REPORT_CURRENCY = os.environ.get("PARKOS_REPORT_CURRENCY", "CNY")
MEDIA_URL = "/media/"
# The maps' base map (parkos.maps): a tile source the operator configures, or none (outlines on a plain ground).
PARKOS_MAP_TILES = os.environ.get("PARKOS_MAP_TILES", "").strip()
PARKOS_MAP_ATTRIBUTION = os.environ.get("PARKOS_MAP_ATTRIBUTION", "").strip()
PARKOS_MAP_CRS = os.environ.get("PARKOS_MAP_CRS", "WGS84").strip().upper().replace("-", "")
PARKOS_MAP_SUBDOMAINS = os.environ.get("PARKOS_MAP_SUBDOMAINS", "abc").strip()
PARKOS_MAP_MAX_ZOOM = int(os.environ.get("PARKOS_MAP_MAX_ZOOM", "18"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["parkos.core.api.permissions.ModelActionPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "parkos.core.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "parkos.core.api.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "parkos.core.api.views.exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "parkos.core.api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ParkOS API",
    "DESCRIPTION": "Parks, land, enterprises, agreements and land-efficiency evaluation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Every currency field shares one choice set: one enum in the schema, named once.
    "ENUM_NAME_OVERRIDES": {
        "CurrencyEnum": "parkos.core.units.CURRENCY_CHOICES",
        "AgreementKindEnum": "parkos.investment.api.enums.AGREEMENT_KIND",
        "AgreementStatusEnum": "parkos.investment.api.enums.AGREEMENT_STATUS",
        "CommitmentKindEnum": "parkos.investment.api.enums.COMMITMENT_KIND",
        "ServiceRequestStatusEnum": "parkos.services.api.enums.REQUEST_STATUS",
        "CommitmentCheckOutcomeEnum": "parkos.investment.models.CheckOutcome",
        "OutcomeEnum": "parkos.land.models.DisposalCase.Outcome",  # the name it had before other outcomes
        "StageEnum": "parkos.investment.models.Stage",  # the name it had before other stages
        "DefaultCaseStageEnum": "parkos.compliance.models.DefaultCase.Stage",
        "DefaultCaseOutcomeEnum": "parkos.compliance.models.DefaultCase.Outcome",
        "SettlementKindEnum": "parkos.compliance.models.DefaultCase.SettlementKind",
        "CertificationKindEnum": "parkos.policies.models.Certification.Kind",
        "PolicyStatusEnum": "parkos.policies.models.Policy.Status",
        "ApplicationStatusEnum": "parkos.policies.models.Application.Status",
    },
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Background work (evaluation runs): a database queue, worked off by `parkos db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Background work stamps a heartbeat every HEARTBEAT_INTERVAL seconds; work still "running" without one
# for HEARTBEAT_TIMEOUT seconds lost its process and is marked failed (core.heartbeat).
HEARTBEAT_INTERVAL = float(os.environ.get("PARKOS_HEARTBEAT_INTERVAL", "30"))
HEARTBEAT_TIMEOUT = int(os.environ.get("PARKOS_HEARTBEAT_TIMEOUT", "120"))
# Exports (core.exports): larger ones are background work, their files kept in default_storage for a while.
PARKOS_EXPORT_INLINE_ROWS = int(os.environ.get("PARKOS_EXPORT_INLINE_ROWS", "10000"))
PARKOS_EXPORT_PDF_INLINE_ROWS = int(os.environ.get("PARKOS_EXPORT_PDF_INLINE_ROWS", "300"))
PARKOS_EXPORT_KEEP_DAYS = int(os.environ.get("PARKOS_EXPORT_KEEP_DAYS", "7"))

# Notifications (parkos.notifications): e-mail through these settings, links made absolute with the base URL.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
# Without a mail server, each message is written to a file under var/mail/ (quiet, and there to read).
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ParkOS <parkos@localhost>")
PARKOS_BASE_URL = os.environ.get("PARKOS_BASE_URL", "http://127.0.0.1:8000")
PARKOS_NOTIFY_LANGUAGE = os.environ.get("PARKOS_NOTIFY_LANGUAGE", "zh-hans")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-vcenter card-table table-striped"}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # On SQLite a sign-in must not need the single write lock a long import holds: sessions live in files
    # (shared by every process of the server), so reads and sign-ins go on during the import. PostgreSQL
    # keeps them in the database.
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "sessions"),
        "TIMEOUT": None,  # each session carries its own expiry
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
PARKOS_REDIS_URL = os.environ.get("PARKOS_REDIS_URL", "").strip()
if PARKOS_REDIS_URL:
    # One cache for every app server (Django's RedisCache). Sessions are read from Redis; on PostgreSQL they
    # are also written to the database (cached_db), so a Redis restart signs nobody out. On SQLite they stay
    # in the cache only (a sign-in must not wait for SQLite's write lock), so that Redis should persist.
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": PARKOS_REDIS_URL,
        "KEY_PREFIX": "parkos",
    }
    CACHES["sessions"] = {**CACHES["default"], "KEY_PREFIX": "parkos-session", "TIMEOUT": None}
    SESSION_CACHE_ALIAS = "sessions"
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.cache"
        if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        else "django.contrib.sessions.backends.cached_db"
    )
# Report figures kept in the shared cache until a write they read, and at most this long (parkos.core.kept).
PARKOS_FIGURES_CACHE_SECONDS = int(os.environ.get("PARKOS_FIGURES_CACHE_SECONDS", "300"))

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Production sits behind TLS; PARKOS_INSECURE_HTTP=1 relaxes this for a plain-HTTP trial.
    insecure_http = env_flag("PARKOS_INSECURE_HTTP")
    SESSION_COOKIE_SECURE = not insecure_http
    CSRF_COOKIE_SECURE = not insecure_http
    SECURE_SSL_REDIRECT = not insecure_http
    SECURE_HSTS_SECONDS = 0 if insecure_http else 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = not insecure_http
    SECURE_HSTS_PRELOAD = not insecure_http
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health checks and metrics scrapes come over plain HTTP from the proxy or the monitor on the machine.
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]

# Prometheus metrics (/metrics, parkos.core.metrics) answer only these addresses or networks.
PARKOS_METRICS_ALLOW = os.environ.get("PARKOS_METRICS_ALLOW", "127.0.0.1,::1")
# No migration metrics at start (they query the database when the app loads).
PROMETHEUS_EXPORT_MIGRATIONS = False

# Logs go to standard error (journald, docker logs): one JSON object per line with the request id
# (parkos.core.requestlog) when PARKOS_LOG_FORMAT=json, the default without debug; plain text otherwise.
# parkos.request writes one access line per request at INFO.
PARKOS_LOG_FORMAT = os.environ.get("PARKOS_LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "parkos.core.requestlog.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(request_id)s %(message)s",
            "timestamp": "time",  # ISO 8601 in UTC
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if PARKOS_LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("PARKOS_LOG_LEVEL", "WARNING")},
    "loggers": {"parkos.request": {"level": os.environ.get("PARKOS_ACCESS_LOG_LEVEL", "WARNING" if DEBUG else "INFO")}},
}
