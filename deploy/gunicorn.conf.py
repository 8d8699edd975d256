"""gunicorn's settings for Kaoping, shared by the systemd unit and the container image.

Every value can be changed through the environment without editing this file.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"  # config.settings.production by default
bind = os.environ.get("KAOPING_BIND", "127.0.0.1:8000")
# Two processes a core plus one (gunicorn's advice); each holds one database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = 1
timeout = 120  # a large export page may take long; the long work itself runs as jobs
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, with jitter so not all at once
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("KAOPING_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django logs one structured line per request with its request id (django-structlog);
# gunicorn's own access log would only repeat it without the id.
accesslog = None
errorlog = "-"
# gunicorn 23+ opens a control socket in the home directory, which the service user has
# not got (ProtectHome=true in the unit); nothing here uses it.
control_socket_disable = True
