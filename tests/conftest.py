import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from programs.models import Program

# Property-based tests: modest example counts keep the suite fast; HYPOTHESIS_PROFILE=thorough
# runs many more (e.g. before a release).
hypothesis_settings.register_profile("default", max_examples=50, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def handbook(db):
    """The real 2024 handbook, loaded through the import path inside the test's transaction,
    so every test starts from the same data and nothing leaks into the next one."""
    call_command("load_handbook", verbosity=0)
    assert Program.objects.count() == 74


@pytest.fixture(autouse=True)
def _plain_http_test_client(settings):
    """Tests run with production settings (DEBUG off); the test client speaks plain HTTP, so
    the HTTPS redirect is switched off here and asserted separately where it matters."""
    settings.SECURE_SSL_REDIRECT = False
    # Pinned query counts measure the real (uncached) work; tests/test_page_cache.py switches
    # the public page cache on.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # The hashed-manifest storage needs collectstatic first; tests/test_static.py covers it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
