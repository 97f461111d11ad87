"""Settings for the test suite: the production settings, served over plain HTTP."""

import os

os.environ.setdefault("DEMO_DATA", "true")  # the browser tests browse the demo catalogue
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "0123456789" * 4)
# A fixed key for the suite (never used anywhere else): 32 bytes, base64.
os.environ.setdefault("TICKET_SIGNING_KEY", "dGVzdC1vbmx5LWVkMjU1MTkta2V5LWZvci10aGUtc3U=")

# The suite pays with the sandbox acquirer, which production settings refuse unless told.
os.environ.setdefault("ALLOW_SANDBOX_PAYMENTS", "true")

from config.settings import *  # noqa: F403

# Tests talk plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Argon2 is deliberately slow; the suite does not test its cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"  # noqa: F405
STATIC_ROOT = None  # tests serve static files from the finders, never from collectstatic
# Jobs run inline so that tests see their effects (e-mails in mail.outbox).
CELERY_TASK_ALWAYS_EAGER = True
WAITLIST_RUN_ON_VIEW = False  # tests run the waiting lists' job when they mean to

# A file, not memory, so that the concurrency tests' threads share the SQLite test database.
VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
