"""The WSGI application, for Granian (``alliance serve`` runs it)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.web.settings")
application = get_wsgi_application()
