"""Settings modules: `base` (shared), `production` (the default: everything from the environment,
DEBUG off), `dev` (`python3 dev.py run`: DEBUG on, SQLite) and `test` (pytest: production's
security settings pinned, whatever the shell's environment says).

Choose one with DJANGO_SETTINGS_MODULE; manage.py, wsgi.py and asgi.py default to production.
"""
