"""Settings for the test suite: the real settings with a cheap hasher and quiet logs."""

import os

os.environ["SAMEN_ENV"] = "test"

from samen.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No collectstatic in tests: the live server and WhiteNoise serve from the apps' static folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SITE_URL = "http://testserver"
# Every test sees /healthz check anew (test_healthz turns the reuse on where it tests it).
SAMEN_HEALTHZ_CHECK_SECONDS = 0
