"""Shuniu settings: every value that differs between machines comes from the environment.

Without ``DATABASE_URL`` / ``REDIS_URL`` the embedded PostgreSQL and Redis under ``.var/`` are
started (``office.embedded``). ``SHUNIU_DEMO=1`` is the demo that ``make run`` starts: demo logins
work, the classification ceiling is raised to ``top_secret`` and every page says so in a banner.
With ``DATABASE_URL`` set (a deployment) and neither demo mode nor debug, a missing ``SECRET_KEY``
stops the process.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from office import embedded
from office.confidentiality import syslog as audit_syslog
from office.confidentiality.levels import Level

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

TESTING = "pytest" in sys.modules or env.bool("SHUNIU_TESTING", default=False)
DEBUG = env.bool("DEBUG", default=False)
SHUNIU_DEMO = env.bool("SHUNIU_DEMO", default=False)


def _secret_key() -> str:
    if key := env.str("SECRET_KEY", default=""):
        return key
    # A deployment names its database; only a developer's or the demo's machine runs embedded.
    embedded_machine = not env.str("DATABASE_URL", default="")
    if not (DEBUG or SHUNIU_DEMO or TESTING or embedded_machine):
        raise ImproperlyConfigured("SECRET_KEY must be set in production (see README.md).")
    # Demo, debug, tests and embedded services: a random key kept under .var/ across restarts.
    key_file = embedded.VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# The key file in use (none when SECRET_KEY comes from the environment): `manage.py backup` saves it.
SHUNIU_SECRET_KEY_FILE = None if env.str("SECRET_KEY", default="") else embedded.VAR_DIR / "secret_key"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "django_htmx",
    "csp",
    "office",
    "office.org",
    "office.org.login_protection.LoginProtectionConfig",
    "office.workdays",
    "pgtrigger",
    "office.confidentiality",
    "office.reminders",
    "office.dashboard",
    "office.desk",
    "pghistory",
    "documents",
    "supervision",
    "petitions",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "office.middleware.OfficeLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "office.middleware.RefuseNulMiddleware",  # PostgreSQL refuses NUL: a 400, never a 500
    "office.middleware.WorkCalendarMiddleware",  # one holiday calendar read per request
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the 429 page or JSON (office.org.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "office.urls"
WSGI_APPLICATION = "office.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "office" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "office.context_processors.shell",
            ],
            # Every page writes its dates with |chinese_date (2026年12月2日).
            "builtins": ["office.templatetags.chinese_dates"],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------

DATABASES = {"default": env.db_url_config(embedded.database_url())}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Two test runs against one server (parallel CI jobs, a developer's two terminals) need two names.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = embedded.redis_url()


def redis_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (unix:// takes ?db=, redis:// a path)."""
    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={db}"
    base = url.rstrip("/")
    head, _sep, tail = base.rpartition("/")
    if tail.isdigit() and head.count("/") >= 2:
        base = head
    return f"{base}/{db}"


# Tests use their own logical databases so a test run never touches the demo's sessions.
_REDIS_DB_BASE = 8 if TESTING else 0
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_db(REDIS_URL, _REDIS_DB_BASE + 1),
        # A test run keeps to its own keys, so two runs against one Redis cannot disturb each other.
        "KEY_PREFIX": f"test{os.getpid()}" if TESTING else "shuniu",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- Celery (office/celery.py reads the CELERY_ names) ----------------------------------------------


def celery_broker_url(url: str, db: int) -> str:
    """Kombu spells a unix socket ``redis+socket://PATH?virtual_host=DB``."""
    if url.startswith("unix://"):
        return f"redis+socket://{url.removeprefix('unix://').split('?')[0]}?virtual_host={db}"
    return redis_db(url, db)


CELERY_BROKER_URL = celery_broker_url(REDIS_URL, _REDIS_DB_BASE + 0)
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longer than any countdown the project uses, so a delayed task is not redelivered early.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_BEAT_SCHEDULE_FILENAME = str(embedded.VAR_DIR / "celerybeat-schedule")
# Two deployments (or two test runs) sharing one Redis db each keep to their own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("SHUNIU_CELERY_QUEUE", default="celery")

# --- Authentication ----------------------------------------------------------------------------

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login while the account or the address is locked out (django-axes).
    "office.org.lockout.LockoutBackend",
    "office.org.auth.OfficeBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions, ever
GUARDIAN_RAISE_403 = False

# --- Language and time -------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / ".var" / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from npm (package.json); only their distribution folders are served.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
    ("vendor/flatpickr", NODE_MODULES / "flatpickr" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and debug serve straight from the finders; production serves the collected, hashed files.
WHITENOISE_USE_FINDERS = TESTING or DEBUG
WHITENOISE_AUTOREFRESH = TESTING or DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at every start otherwise
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".var" / "media")
MEDIA_URL = "media/"

# --- REST API ----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "office.api.authentication.OfficeTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "office.api.pagination.OfficePagination",
    "DEFAULT_PARSER_CLASSES": [
        # Too deep or too large: a JSON 400 or 413, never a 500 (office/api/parsers.py).
        "office.api.parsers.JSONParser",
        "office.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "office.api.schema.OfficeAutoSchema",  # declares every error answer
    "EXCEPTION_HANDLER": "office.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "office.api.renderers.BrowsableAPIRenderer",  # with the CSP allowance its templates need
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shuniu 枢纽 API",
    "DESCRIPTION": "政府办公室工作系统的 REST 接口。认证：POST /api/v1/auth/token/ 取得令牌，"
    "之后发送 `Authorization: Token <令牌>`。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from validator.swagger.io: it would send the schema's address off-site (and CSP blocks it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind"; name each enum after its own choices.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "office.org.models.UnitKind",
        "CarrierKindEnum": "office.confidentiality.models.CarrierKind",
        "CopyRequestKindEnum": "office.confidentiality.models.CopyRequestKind",
        "CopyStateEnum": "office.confidentiality.models.CopyState",
        "CopyRequestStateEnum": "office.confidentiality.models.CopyRequestState",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "DocumentStateEnum": "documents.models.DocumentState",
        "IncomingStateEnum": "documents.models.IncomingState",
        "IncomingChannelEnum": "documents.models.Channel",
        "TermUnitEnum": "office.confidentiality.models.TermUnit",
        "SupervisionSourceEnum": "supervision.models.Source",
        "SupervisionItemStateEnum": "supervision.models.ItemState",
        "SupervisionTaskStateEnum": "supervision.models.TaskState",
        "SupervisionLightEnum": "supervision.models.Light",
        "SupervisionReportKindEnum": "supervision.models.ReportKind",
        "SupervisionExtensionStateEnum": "supervision.models.ExtensionState",
        "SupervisionApprovalStepEnum": "supervision.models.ApprovalStep",
        "SupervisionPriorityEnum": "supervision.models.Priority",
        "SupervisionCadenceEnum": "supervision.models.Cadence",
        "LevelEnum": [(level.code, level.label) for level in Level],
        "PetitionChannelEnum": "petitions.models.Channel",
        "PetitionIntakeChannelEnum": "petitions.api.inputs.INTAKE_CHANNEL_CHOICES",
        "PetitionKindEnum": "petitions.models.Kind",
        "PetitionCaseStateEnum": "petitions.models.CaseState",
        "PetitionStageEnum": "petitions.models.Stage",
        "PetitionRouteEnum": "petitions.models.Route",
        "PetitionBeyondLevelEnum": "petitions.models.BeyondLevel",
        "PetitionBeyondFilterEnum": "petitions.api.inputs.BEYOND_FILTER_CHOICES",
        "PetitionSatisfactionEnum": "petitions.models.Satisfaction",
        "ProposalStateEnum": "petitions.proposals.models.ProposalState",
        "ProposalKindEnum": "petitions.proposals.models.ProposalKind",
        "ProposalBodyEnum": "petitions.proposals.models.Body",
        "ProposalModeEnum": "petitions.proposals.models.Mode",
        "ProposalShareRoleEnum": "petitions.proposals.models.ShareRole",
        "ProposalShareStateEnum": "petitions.proposals.models.AssignmentState",
        "ProposalResultCodeEnum": "petitions.proposals.models.ResultCode",
        "ProposalContactMethodEnum": "petitions.proposals.models.ContactMethod",
        "DisclosureRequestStateEnum": "petitions.disclosure.models.RequestState",
        "DisclosureRequestChannelEnum": "petitions.disclosure.models.RequestChannel",
        "DisclosurePublicationStateEnum": "petitions.disclosure.models.PublicationState",
        "DisclosureDeliveryEnum": "petitions.disclosure.models.Delivery",
        "DisclosureOutcomeEnum": "petitions.disclosure.models.Outcome",
        "DisclosureFeeModeEnum": "petitions.disclosure.models.FeeMode",
        "DisclosureAnswerTypeEnum": "petitions.disclosure.models.AnswerType",
        "DisclosureApplicantKindEnum": "petitions.disclosure.models.ApplicantKind",
        "DisclosureMediumEnum": "petitions.disclosure.models.Medium",
        "PublicationCategoryEnum": "petitions.disclosure.models.Category",
        "DisclosureConsultationPartyEnum": "petitions.disclosure.models.Consultation.Party",
        "DisclosureSecrecyConclusionEnum": "petitions.disclosure.models.SecrecyReview.Conclusion",
        "DisclosureAnswerReasonEnum": "petitions.disclosure.api.inputs.REASON_CHOICES",
        "PetitionerKindEnum": "petitions.models.PetitionerKind",
        "PetitionOpinionEnum": "petitions.models.Opinion",
        "PetitionServiceMethodEnum": "petitions.models.ServiceMethod",
        "PetitionNoteKindEnum": "petitions.models.NoteKind",
        "PetitionNoteInputKindEnum": "petitions.api.inputs.NOTE_KIND_CHOICES",
        "MeetingTaskKindEnum": "meetings.models.TaskKind",
        "MeetingMaterialKindEnum": "meetings.models.MaterialKind",
        "MeetingPlanStateEnum": "meetings.models.PlanState",
        "PetitionLightEnum": "petitions.api.serializers.LIGHTS",
    },
}

# --- API tokens and login protection (office/org/tokens.py, office/org/lockout.py) ---------------

# API tokens (django-rest-knox): only a digest is stored, every token expires. A person's token
# lasts a working day; a named system integration's (manage.py issue_integration_token) longer.
SHUNIU_API_TOKEN_HOURS = env.int("SHUNIU_API_TOKEN_HOURS", default=8)
SHUNIU_INTEGRATION_TOKEN_DAYS = env.int("SHUNIU_INTEGRATION_TOKEN_DAYS", default=365)
KNOX_TOKEN_MODEL = "org.ApiToken"  # noqa: S105 (a model name)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=SHUNIU_API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# knox's own table is never used (org.ApiToken replaces it): no migrations, so no empty table.
MIGRATION_MODULES = {"knox": None}

# Lockout after repeated failures (django-axes, database handler), counted per account and,
# separately, per client address; the address is read as the audit log reads it.
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("SHUNIU_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SHUNIU_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# Tries during a lockout neither count nor extend it, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "office.confidentiality.audit.client_address"
AXES_LOCKOUT_CALLABLE = "office.org.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # office/org/admin_security.py registers Chinese, audited admins instead

# --- Security ----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline script, no eval. The one inline style allowed is the print guard of classified detail
# pages, by its hash: "@media print { .classified-content { display:none !important } }" keeps
# classified content off paper even when /static/ is not served (tests/platform/test_csp.py checks
# the hash against the templates). Relaxed on two pages only, scripts never: /api/redoc/ (inline
# styles, blob: worker; office/api/docs.py) and DRF's browsable API (style attributes;
# office/api/renderers.py).
CSP_PRINT_GUARD_HASH = "'sha256-iVQoWlzYmRBmjc5QlixRMy4JfTVPmqlu7ULjnFq0+PU='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, CSP_PRINT_GUARD_HASH],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Behind the TLS proxy of a production deployment (README.md, "Production").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not (DEBUG or SHUNIU_DEMO or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SHUNIU_MAX_UPLOAD_BYTES = env.int("SHUNIU_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email -------------------------------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if (DEBUG or SHUNIU_DEMO)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shuniu@localhost")

# --- Shuniu ------------------------------------------------------------------------------------

# The highest level whose content this deployment may hold (DESIGN.md, "Classification").
SHUNIU_CLASSIFICATION_CEILING = Level.from_code(
    env.str("SHUNIU_CLASSIFICATION_CEILING", default="top_secret" if SHUNIU_DEMO else "internal")
)
# Where the daily (SHUNIU_AUDIT_ANCHOR_EVERY=hourly: hourly, read by office/celery.py) copy of the
# audit chain head goes: outside the database, ideally a write-once or remote-logged location, and
# optionally to the organ's syslog host too, e.g. udp://10.0.0.5:514 (docs/operations.md).
SHUNIU_AUDIT_ANCHOR_FILE = env.path("SHUNIU_AUDIT_ANCHOR_FILE", default=embedded.VAR_DIR / "audit-anchors.log")
SHUNIU_AUDIT_SYSLOG = env.str("SHUNIU_AUDIT_SYSLOG", default="")
# Where `manage.py backup` writes its archives unless --output says otherwise (docs/operations.md).
SHUNIU_BACKUP_DIR = env.path("SHUNIU_BACKUP_DIR", default=embedded.VAR_DIR / "backups")
# A reminder claimed but not sent within this many seconds (its worker died) is handed out again.
SHUNIU_REMINDER_RECLAIM_SECONDS = env.int("SHUNIU_REMINDER_RECLAIM_SECONDS", default=600)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="shuniu-demo-2026")
# The parts of the demo office that `manage.py seed_demo` loads, in order, each module's
# seed(context): later parts use earlier ones (people, the register, issued documents), the 批示 on
# an incoming document opens the last 督办 item, and the 督查通报 counts it.
SHUNIU_DEMO_SEEDERS = [
    "office.org.demo",
    "office.confidentiality.demo",
    "office.reminders.demo",
    "documents.outgoing.demo",
    "supervision.demo",
    "petitions.demo",
    "meetings.demo",
    "documents.incoming.demo",
    "supervision.report_demo",
    "office.dashboard.demo",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # axes: its warnings (each failed login, each lockout) without its step-by-step INFO lines.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
if SHUNIU_AUDIT_SYSLOG:
    try:
        LOGGING["handlers"]["audit_syslog"] = audit_syslog.handler_config(SHUNIU_AUDIT_SYSLOG)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    LOGGING["formatters"]["audit_syslog"] = audit_syslog.FORMATTER
    LOGGING["loggers"]["shuniu.audit"] = {"handlers": ["audit_syslog"], "level": "INFO"}

# --- 督查督办 ----------------------------------------------------------------------------------------
# Due dates of items opened without one (DOMAIN.md defaults): source, or source:priority, to
# (amount, unit). Leader instructions: urgent 5 days (1–5), normal 15, difficult 30.
SUPERVISION_DEFAULT_PERIODS = {
    "document": (30, "calendar_days"),
    "meeting": (20, "calendar_days"),
    "instruction:urgent": (5, "calendar_days"),
    "instruction:normal": (15, "calendar_days"),
    "instruction:difficult": (30, "calendar_days"),
    "superior": (30, "calendar_days"),
    "proposal": (3, "months"),
    "petition": (60, "calendar_days"),
    "other": (30, "calendar_days"),
}
# An opened item is split into tasks within this many working days (DOMAIN.md: 2).
SUPERVISION_SPLIT_WORKING_DAYS = env.int("SHUNIU_SUPERVISION_SPLIT_WORKING_DAYS", default=2)
# Who approves an extension, in order: unit_head, supervisor, leader.
SUPERVISION_EXTENSION_CHAIN = env.list(
    "SHUNIU_SUPERVISION_EXTENSION_CHAIN", default=["unit_head", "supervisor", "leader"]
)
# 建议提案 local practice (CHECKLISTS.md 3.2, "default"): the unit asks for an adjustment within 5
# working days of 交办; 会办意见 reach the 主办 within 1 month; a 不满意 answer is handled again
# within 1 month; no 答复 without a recorded 沟通联系 with the proposer.
PROPOSAL_ADJUST_WORKING_DAYS = env.int("SHUNIU_PROPOSAL_ADJUST_WORKING_DAYS", default=5)
PROPOSAL_ASSIST_MONTHS = env.int("SHUNIU_PROPOSAL_ASSIST_MONTHS", default=1)
PROPOSAL_REHANDLE_MONTHS = env.int("SHUNIU_PROPOSAL_REHANDLE_MONTHS", default=1)
PROPOSAL_CONTACT_REQUIRED = env.bool("SHUNIU_PROPOSAL_CONTACT_REQUIRED", default=True)
# Points per task for the annual assessment: done on time, done late or overdue, each 退回重办.
SUPERVISION_SCORE_POINTS = {"on_time": 2, "late": -2, "returned": -1}
