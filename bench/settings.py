"""The portal's settings plus one minimal view (bench/urls.py), for the throughput benchmark
only: production never loads this module."""

from smrj_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
