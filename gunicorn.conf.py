"""gunicorn's settings for serving phongdich: ``.venv/bin/gunicorn phongdich.wsgi`` from the
repository root reads this file by itself (or ``-c gunicorn.conf.py`` from elsewhere).

Threaded workers (``gthread``): a worker process answers many requests at once, and the scan
page's check-ins of one process are written in groups, one commit for many
(``phongdich/checkins/groupcommit.py``, on under threaded workers). One process per CPU core,
32 threads each. Until the scan page's check-in was answered in front of Django's middleware
(``phongdich/checkins/front.py``) two processes per core of 16 threads answered 10–15 % more
check-ins on two cores — the hand-overs to the group writer queued behind fewer threads for the
GIL; since, one per core answers about 7 % more check-ins (and took batches of 1,000 faster
in the one run compared), the bare view the same (``bench/checkins.py --workers/--threads``, figures in
``bench/README.md``). Each worker holds its own database connections (one per busy thread, plus
its writer's): with PostgreSQL's default ``max_connections`` of 100, mind ``workers × (threads + 1)``.

Every value can be changed from the environment without editing this file:

* ``GUNICORN_BIND`` — address and port (default ``127.0.0.1:8000``: behind the reverse proxy);
* ``WEB_CONCURRENCY`` — worker processes (default: one per CPU core);
* ``GUNICORN_THREADS`` — threads per worker (default 32; 1 makes sync workers);
* ``GUNICORN_TIMEOUT`` — seconds before a silent worker is restarted (default 60);
* ``GUNICORN_LOG_LEVEL`` — gunicorn's own log level (default ``info``).
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", os.cpu_count() or 1)
threads = _int("GUNICORN_THREADS", 32)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Everything else is gunicorn's default: errors to stderr (the journal), no access log.
