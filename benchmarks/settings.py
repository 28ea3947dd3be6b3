"""The site's settings with one extra URL: a bare view to measure the server itself against.

Used only by the benchmarks (DJANGO_SETTINGS_MODULE=benchmarks.settings); the site never
routes to the bare view.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
