"""The web application, as gunicorn (`postdesk serve`) loads it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.settings")
# Marks this process as the web server before settings load: only web requests get the
# database statement timeout (settings, POSTDESK_STATEMENT_TIMEOUT_MS).
os.environ["POSTDESK_PROCESS"] = "web"
application = get_wsgi_application()
