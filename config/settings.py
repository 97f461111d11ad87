"""Settings for JO E-Tickets, read from environment variables.

Development (``make run``) sets ``DEBUG=true`` and needs nothing else: SQLite under ``var/``,
in-process cache and e-mails printed on the console. Production leaves ``DEBUG`` off and must
provide ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` (see README.md).
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "etickets.core",
    "etickets.accounts",
    "etickets.catalog",
    "etickets.cart",
    "etickets.inventory",
    "etickets.payments",
    "etickets.orders",
    "etickets.tickets",
    "etickets.gate",
    "etickets.api",
    "etickets.backoffice",
    "etickets.support",
    "etickets.waitingroom",
    "etickets.resale",
    "etickets.waitlist",
    "etickets.privacy",
    "etickets.invoices",
]
# The demo catalogue and accounts (tools/demo: `manage.py seed_demo`), for development, `make
# prod` and the tests; a production deployment leaves it out.
DEMO_DATA = env.bool("DEMO_DATA", default=DEBUG)
if DEMO_DATA:
    INSTALLED_APPS.append("tools.demo")

MIDDLEWARE = [
    "etickets.core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "etickets.core.middleware.ApiGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "etickets.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "etickets.core.middleware.SiteLanguageMiddleware",
    # After the language (part of the key) and the headers' middlewares, which then still run.
    "etickets.core.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns any refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The API's calls with a bearer token and no session cookie (etickets.core.handlers).
API_MIDDLEWARE = [
    "etickets.core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "etickets.core.middleware.ApiGuardMiddleware",
    "etickets.core.middleware.SiteLanguageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "etickets.cart.context_processors.cart_size",
                "etickets.gate.context_processors.staff_links",
            ],
        },
    },
]

FORM_RENDERER = "etickets.core.forms.SiteFormRenderer"

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default; PostgreSQL (or any URL Django knows) through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'etickets.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so two buyers never both read
    # the same free seats and then race to write them.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 5,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Ten minutes: a new connection has none of the statements prepared yet (its first
    # requests pay for planning them), and health checks catch one the database dropped.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=600))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server let psycopg prepare a statement run 5 times on a
    # connection: PostgreSQL then plans the hot queries once, not on every request (planning
    # the gate's six-table read costs more than running it). Behind a pooler in transaction
    # mode, set DATABASE_SERVER_SIDE_BINDING=false (docs/DEPLOYMENT.md).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
        "DATABASE_SERVER_SIDE_BINDING", default=True
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, checking a connection at most once a second (etickets/core/postgresql).
        DATABASES["default"]["ENGINE"] = "etickets.core.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Without Redis the site goes on from PostgreSQL: the cache skips it (etickets.core.cache)
    # after waiting at most these seconds.
    CACHES = {
        "default": {
            "BACKEND": "etickets.core.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# In PostgreSQL, never in Redis: an outage of Redis logs nobody out, and cannot bring back a
# session ended while it was away (a copy in a cache could).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Anonymous visitors' copies of the busiest pages (etickets.core.pagecache), in each worker's
# memory so that serving one costs no round trip to Redis: path → seconds a copy is served, and
# the query parameters it may carry, each with a regular expression its value matches whole
# (the offers list's filters and page, not its search: searches are as many as the visitors,
# and their copies would push the others out); any other query goes to the view.
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
ANONYMOUS_PAGE_CACHE: dict[str, dict[str, Any]] = {
    "/": {"seconds": 5},
    "/offres/": {
        "seconds": 5,
        "query": {
            "q": "",
            "sport": r"[a-z0-9-]{0,32}",
            "jour": r"(\d{4}-\d\d-\d\d)?",
            "lieu": r".{0,120}",
            "type": "|solo|duo|familiale",
            "page": r"[1-9]\d{0,2}",
        },
    },
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The manual's rules (§4.2), each with its own message, then Django's common-password and
# similarity checks.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "etickets.accounts.validators.UppercaseValidator"},
    {"NAME": "etickets.accounts.validators.LowercaseValidator"},
    {"NAME": "etickets.accounts.validators.DigitValidator"},
    {"NAME": "etickets.accounts.validators.SpecialCharacterValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link lives one hour
# A session ends on the server after a day without use: its cookie ends with the browser, or
# after 30 days with « Se souvenir de moi » (etickets.accounts.security.REMEMBER_ME_AGE).
SESSION_COOKIE_AGE = 24 * 60 * 60
# Sign-ups accepted per client address and hour.
SIGNUP_RATE_LIMIT = env.int("SIGNUP_RATE_LIMIT", default=10)
# One link verifying an account's address may be asked for every this many minutes.
EMAIL_VERIFICATION_RESEND_MINUTES = env.int("EMAIL_VERIFICATION_RESEND_MINUTES", default=5)
# An API token works this many days after its creation.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

# Brute force: 5 failures for one account or one address within 15 minutes lock further
# attempts for 15 minutes (django-axes). Wrong second-factor codes count as failures too.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "etickets.accounts.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "etickets.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "etickets.accounts.views.locked_out"
# A login lifts its own account's failures only (accounts.security.complete_login): axes'
# reset would also erase the address's failures on other accounts, so an attacker could clear
# their count on a victim's account by logging into their own between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# Requests through this many trusted reverse proxies: the client is the address they saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor authentication: RFC 6238 TOTP (SHA-1, 6 digits, 30 s), one step of clock drift
# either way and no automatic drift learning, so a code two steps old is always refused.
OTP_TOTP_ISSUER = "JO E-Tickets"
OTP_TOTP_SYNC = False
# Wrong codes are counted by django-axes with the passwords (5 → locked 15 minutes), so
# django-otp's own growing delays, which refuse even a right code typed just after a typo, are off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# The Games took place in summer 2024. Demo mode may pin the business clock to a day before them
# so that the catalogue is on sale; production leaves it unset and uses the real time.
ETICKETS_TODAY = env.str("ETICKETS_TODAY", default="")

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Users' uploads (problem screenshots): outside MEDIA_ROOT, served only after a permission check.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@jo-etickets.fr")
# Contact form: messages accepted per address and hour.
CONTACT_RATE_LIMIT = env.int("CONTACT_RATE_LIMIT", default=5)
# « Signaler un problème »: reports accepted per account and hour.
PROBLEM_REPORT_RATE_LIMIT = env.int("PROBLEM_REPORT_RATE_LIMIT", default=10)
# Request bodies. Django's default, said here: a form's fields or a JSON body (a gate sync of
# 5,000 scans is about 2 MB) are read into memory up to this much, else refused. It does not
# cap files: the problem report caps its whole body (support.services.MAX_REPORT_BYTES, 26 MB),
# and so must the reverse proxy (docs/DEPLOYMENT.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploaded files past 1 MB wait in a temporary file rather than in the worker's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Personal data (docs/ARCHITECTURE.md, « Personal data ») ---------------------------------
# A closed support case's contents (a problem report's text, replies and screenshots once it is
# resolved; a contact message, answered by e-mail, once received) are erased this many days on.
SUPPORT_RETENTION_DAYS = env.int("SUPPORT_RETENTION_DAYS", default=180)
# Login records (django-axes: failures, lockouts, successful logins) and the IP addresses they
# hold are deleted this many days after the attempt.
LOGIN_RECORDS_RETENTION_DAYS = env.int("LOGIN_RECORDS_RETENTION_DAYS", default=30)
# The gates' scan logs of an event are deleted this many days after it (calendar clock).
SCAN_RETENTION_DAYS = env.int("SCAN_RETENTION_DAYS", default=365)
# « Télécharger mes données »: the file and its link live this many hours.
DATA_EXPORT_HOURS = env.int("DATA_EXPORT_HOURS", default=24)

# --- Sales ---------------------------------------------------------------------------------
# Seats in a cart are held this long (docs/ARCHITECTURE.md, « Seats »).
CART_HOLD_MINUTES = env.int("CART_HOLD_MINUTES", default=15)
# How long a buyer waits for an event's seat pool before « Forte affluence, réessayez ».
SEAT_LOCK_TIMEOUT_MS = env.int("SEAT_LOCK_TIMEOUT_MS", default=2000)
# How many times a change that timed out waiting for a pool is tried again before that message.
SEAT_LOCK_RETRIES = env.int("SEAT_LOCK_RETRIES", default=1)
# The waiting room (docs/ARCHITECTURE.md, « Waiting room »): an admitted buyer's pass lasts this
# long (extended in checkout); admissions stop while sold + held seats + passes out reach the
# capacity × this margin (some pass holders buy nothing).
QUEUE_PASS_MINUTES = env.int("QUEUE_PASS_MINUTES", default=15)
QUEUE_CAPACITY_MARGIN = env.float("QUEUE_CAPACITY_MARGIN", default=1.1)
# Visitors of a queued sale's offers are sent to its queue from this long before the opening.
QUEUE_OPENS_MINUTES_BEFORE = env.int("QUEUE_OPENS_MINUTES_BEFORE", default=30)
# Joins a client address may make a minute (each needs an account with a verified address).
QUEUE_JOIN_RATE_LIMIT = env.int("QUEUE_JOIN_RATE_LIMIT", default=20)
# Each web process reads which sales have a queue at most this often (every purchase asks): a
# queue turned on or off takes this long to reach the other processes.
QUEUE_CONFIG_CACHE_SECONDS = env.float("QUEUE_CONFIG_CACHE_SECONDS", default=2.0)
# Without Celery beat (no REDIS_URL: `make run`), the waiting pages' polls admit, at most once a
# second per process; with it, the beat job does and a poll reads the store only.
QUEUE_ADMIT_ON_POLL = env.bool("QUEUE_ADMIT_ON_POLL", default=not REDIS_URL)
# The official resale keeps this share of a resold ticket's price (docs/ARCHITECTURE.md,
# « Resale »): the seller gets the rest back on the card that paid it.
RESALE_FEE_PERCENT = env.float("RESALE_FEE_PERCENT", default=0.0)
# No one buyer takes more than this many tickets of one offer (an offer may set less).
MAX_TICKETS_PER_OFFER = env.int("MAX_TICKETS_PER_OFFER", default=20)
# Paris 2024's rule: one account has at most 6 tickets of an event, its paid orders and its cart
# together (a ticket is one e-ticket: a Duo's admits 2, a Familiale's 4).
# Seats a waiting list gives are held this long in the buyer's cart (etickets.waitlist).
WAITLIST_OFFER_MINUTES = env.int("WAITLIST_OFFER_MINUTES", default=30)
# Without Celery beat, the waiting lists' pages run their periodic job (every 10 s at most).
WAITLIST_RUN_ON_VIEW = env.bool("WAITLIST_RUN_ON_VIEW", default=not REDIS_URL)
MAX_TICKETS_PER_EVENT = env.int("MAX_TICKETS_PER_EVENT", default=6)
# « Transférer ce billet » closes this long before the event (its acceptance links expire
# then): the gates' lists and the holders' phones have time to settle before the day.
TRANSFER_CLOSES_BEFORE = timedelta(hours=env.int("TRANSFER_CLOSES_HOURS_BEFORE", default=48))
# Transfers one account may offer an hour: each e-mails an address the holder typed.
TRANSFER_RATE_LIMIT = env.int("TRANSFER_RATE_LIMIT", default=10)
# The most seats one cart holds at a time (a Duo ticket holds 2, a Familiale 4).
MAX_SEATS_HELD = env.int("MAX_SEATS_HELD", default=12)
# Payments reconcile themselves (payments.services.reconcile_payments, every 30 s): a capture or
# refund the provider did not accept is tried again after this many seconds, then twice as long
# each time (an hour at most)…
PAYMENT_RETRY_SECONDS = env.int("PAYMENT_RETRY_SECONDS", default=30)
# …an authorisation no order refers to after this long is voided…
AUTHORISATION_GRACE_SECONDS = env.int("AUTHORISATION_GRACE_SECONDS", default=120)
# …and a capture or refund still failing after this long is flagged in the back office.
PAYMENT_ALERT_MINUTES = env.int("PAYMENT_ALERT_MINUTES", default=15)
# Ed25519 key that signs the tickets' QR codes: base64 of its 32 raw bytes, or PEM. Development
# makes one under var/ on first use; production must provide it (see README.md).
TICKET_SIGNING_KEY = env.str("TICKET_SIGNING_KEY", default="", multiline=True)
if not DEBUG and not TICKET_SIGNING_KEY:
    raise ImproperlyConfigured("TICKET_SIGNING_KEY must be set when DEBUG is off.")
TICKET_SIGNING_KEY_FILE = VAR_DIR / "ticket-signing-key.pem"
# Where an event's codes rotate, the ticket page shows its code from this long before the start
# (before that, when it will): the private key reaches a phone only when it is needed.
ROTATING_CODE_SHOWN_BEFORE = timedelta(hours=env.int("ROTATING_CODE_HOURS_BEFORE", default=72))
# Offline scans are dated by the scanning device: its clock may be this far from the server's.
GATE_CLOCK_SKEW = timedelta(seconds=env.int("GATE_CLOCK_SKEW_SECONDS", default=300))
# Ticket numbers typed at a gate (when a QR code will not scan) each controller may look up a
# minute online, and enter within any minute online and offline: a steward types one and checks
# an identity document in ten seconds or more.
GATE_NUMBER_RATE_LIMIT = env.int("GATE_NUMBER_RATE_LIMIT", default=30)
# Entries by number are taken from this long before an event's start to the end of its day
# (Paris time): the gates open an hour or two early; a stolen scanner cannot spend the weeks
# before an event, nor the days after, entering tickets by number.
GATE_NUMBER_OPENS_BEFORE = timedelta(hours=env.int("GATE_NUMBER_OPENS_HOURS_BEFORE", default=4))
# --- Invoices (docs/ARCHITECTURE.md, « Invoices ») -------------------------------------------
# The seller's legal details, copied into every invoice and credit note as it is issued. The
# defaults are a demo's: production sets the company's own.
INVOICE_SELLER_NAME = env.str("INVOICE_SELLER_NAME", default="JO E-Tickets SAS (démonstration)")
INVOICE_SELLER_ADDRESS = env.str(
    "INVOICE_SELLER_ADDRESS", default="1 avenue des Jeux\n75000 Paris\nFrance", multiline=True
)
INVOICE_SELLER_SIRET = env.str("INVOICE_SELLER_SIRET", default="000 000 000 00000")
INVOICE_SELLER_VAT_NUMBER = env.str("INVOICE_SELLER_VAT_NUMBER", default="FR00000000000")
# The VAT rate of the tickets, in percent with at most two decimals: 10 % for admission to
# sporting events in France by default. Prices are with VAT; invoices work out the rest.
INVOICE_VAT_PERCENT = Decimal(env.str("INVOICE_VAT_PERCENT", default="10"))
if INVOICE_VAT_PERCENT.quantize(Decimal("0.01")) != INVOICE_VAT_PERCENT or not (
    0 <= INVOICE_VAT_PERCENT < 100
):
    raise ImproperlyConfigured("INVOICE_VAT_PERCENT must be a percentage such as 10 or 5.5.")

SANDBOX_PAYMENT_PROVIDER = "etickets.payments.sandbox.SandboxAcquirer"
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default=SANDBOX_PAYMENT_PROVIDER)
# The sandbox approves any well-formed card: with DEBUG off it must be asked for by name
# (staging, `make prod`, `make bench`), never taken by default.
ALLOW_SANDBOX_PAYMENTS = env.bool("ALLOW_SANDBOX_PAYMENTS", default=False)
if not DEBUG and PAYMENT_PROVIDER == SANDBOX_PAYMENT_PROVIDER and not ALLOW_SANDBOX_PAYMENTS:
    raise ImproperlyConfigured(
        "PAYMENT_PROVIDER is the sandbox acquirer, which approves any valid-looking card: set "
        "PAYMENT_PROVIDER to a real acquirer when DEBUG is off, or ALLOW_SANDBOX_PAYMENTS=true "
        "on a staging or benchmark server."
    )

# --- Background jobs ------------------------------------------------------------------------
# Celery through Redis when REDIS_URL is set; without it, jobs run at once in the web process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A job is acknowledged once done. Queuing never waits for a broker that is down, and a job
# whose worker died is not queued again (it might be what killed it): every job has a sweep
# that finds its undone work in the database (etickets.core.jobs).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE = {
    "purge-expired-holds": {
        "task": "etickets.inventory.tasks.purge_expired_holds",
        "schedule": 60.0,
    },
    "reconcile-payments": {
        "task": "etickets.payments.tasks.reconcile_payments",
        "schedule": 30.0,
    },
    # The sweeps of the jobs queued after a commit, whose messages may be lost (core.jobs).
    "send-outbox": {"task": "etickets.core.tasks.send_outbox", "schedule": 30.0},
    "clean-pending-screenshots": {
        "task": "etickets.support.tasks.clean_pending_screenshots",
        "schedule": 60.0,
    },
    # The waiting rooms admit at their rate (waitingroom.services.admit_due); a tick that waited
    # longer than the next one is dropped rather than run late.
    "admit-waiting-buyers": {
        "task": "etickets.waitingroom.tasks.admit_waiting_buyers",
        "schedule": 1.0,
        "options": {"expires": 1.0},
    },
    # The lines of sales whose event took place, gone from Redis.
    "discard-finished-lines": {
        "task": "etickets.waitingroom.tasks.discard_finished_lines",
        "schedule": 3600.0,
    },
    # Waiting lists: lapse unpaid offers, give the seats that came back (etickets.waitlist).
    "run-waiting-lists": {
        "task": "etickets.waitlist.tasks.run_waiting_lists",
        "schedule": 30.0,
        "options": {"expires": 30.0},
    },
    # The resale closes with the transfers: tickets still on sale go back to their sellers.
    "withdraw-unsold-listings": {
        "task": "etickets.resale.tasks.withdraw_unsold_listings",
        "schedule": 60.0,
    },
    # Invoices and credit notes still to number: the sales' are numbered by this sweep, in
    # batches, away from the rush; each refund also queues the job (etickets.invoices).
    "issue-invoices": {"task": "etickets.invoices.tasks.issue_documents", "schedule": 10.0},
    # Orders' confirmation e-mails leave within a few seconds of the payment, or of the rush.
    "send-order-confirmations": {
        "task": "etickets.orders.tasks.send_pending_confirmations",
        "schedule": 2.0,
    },
    # Personal data past its retention (etickets.privacy.retention), and the sweep of the data
    # exports whose job was lost.
    "erase-expired-personal-data": {
        "task": "etickets.privacy.tasks.erase_expired_data",
        "schedule": 3600.0,
    },
    "build-pending-exports": {
        "task": "etickets.privacy.tasks.build_pending_exports",
        "schedule": 60.0,
    },
}
# During a sales rush (CONFIRMATION_RUSH_ORDERS orders within CONFIRMATION_QUIET_SECONDS) the
# confirmation e-mails, whose tickets PDF costs more CPU than the sale, wait for it to pass, at
# most CONFIRMATION_MAX_DELAY_SECONDS: on a machine the Celery worker shares with the web
# workers, buyers go first. CONFIRMATION_QUIET_SECONDS=0 sends them at once (Celery workers on
# machines of their own, docs/DEPLOYMENT.md).
CONFIRMATION_QUIET_SECONDS = env.float("CONFIRMATION_QUIET_SECONDS", default=2.0)
CONFIRMATION_RUSH_ORDERS = env.int("CONFIRMATION_RUSH_ORDERS", default=20)
CONFIRMATION_MAX_DELAY_SECONDS = env.float("CONFIRMATION_MAX_DELAY_SECONDS", default=60.0)

# --- E-mail ---------------------------------------------------------------------------------
# Sent e-mails are kept this long in the outbox (core.OutgoingEmail), their content blanked,
# then deleted; one the mail server refuses this many times (about nine hours of tries) is
# given up, with an error in the log. A mail server that does not answer is given up on after
# EMAIL_TIMEOUT seconds (less than core.attempts.LEASE_SECONDS).
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
OUTBOX_MAX_ATTEMPTS = 10
EMAIL_TIMEOUT = 20
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="JO E-Tickets <billetterie@jo-etickets.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the links in e-mails point when no request tells (jobs run by Celery).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script, no third-party host: every asset is served from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging --------------------------------------------------------------------------------
# JSON lines in production (LOG_FORMAT=json, the default when DEBUG is off), each with the
# request's id; plain text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "etickets.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "etickets.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
