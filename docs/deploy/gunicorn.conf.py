"""gunicorn's settings for a firm's shared deployment (see README, "A firm's shared deployment").

gunicorn's master process starts the app processes (workers) and starts a new one at once
when one dies (a crash, an out-of-memory kill, a worker silent past ``timeout``), so a
crashed process does not stay down. systemd (jinmyaku.service) restarts the master itself.

Every value can be changed from the environment (/etc/jinmyaku.env) without editing this file.
"""

import os

# Where nginx sends requests: one address; the master shares them among the workers.
bind = os.environ.get("JINMYAKU_BIND", "127.0.0.1:8000")
# Two app processes, each with threads: a slow request (an import, an export) does not hold
# up the others, and one process dying leaves the other serving while it is replaced.
workers = int(os.environ.get("JINMYAKU_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("JINMYAKU_THREADS", "8"))
# A worker whose main loop has not checked in for this long is killed and replaced.
timeout = int(os.environ.get("JINMYAKU_TIMEOUT", "60"))
graceful_timeout = 30
# Logs go to standard error (the journal under systemd); the app adds the request id.
errorlog = "-"
loglevel = os.environ.get("JINMYAKU_LOG_LEVEL", "info")
accesslog = os.environ.get("JINMYAKU_ACCESS_LOG") or None
# The app is imported by each worker, after the fork: no database connection is shared.
preload_app = False
# No control socket (gunicorn 25.1+ makes one in $HOME, which the service cannot write):
# systemctl reload and restart do what is needed.
control_socket_disable = True
