"""Settings of the check-in benchmark's server: the project's own, plus a bare view to compare with.

Only ``bench/checkins.py`` uses this module (``DJANGO_SETTINGS_MODULE=checkins_settings`` with
``bench/`` on the path). Two differences from production, both said in ``bench/README.md``:

* the URLconf is ``checkins_urls``: the project's URLs and ``/bench/ok``, a view that answers
  "200 OK" and nothing else — the ceiling of any Django view on the same server;
* the per-address limit of the check-in endpoints is lifted: every request of the benchmark
  comes from 127.0.0.1, which the limit would (rightly) cut off after 600 a minute. The limit is
  still counted (the in-process token bucket, as without ``REDIS_URL``), it just never refuses.

``CHECKIN_GROUP_COMMIT`` (``auto``/``true``/``false``) comes from the environment as in production;
the writer's wait, ``CHECKIN_GROUP_COMMIT_WAIT_MS``, too (``--group-wait-ms``).
"""

import os

from phongdich.settings import *  # noqa: F403

ROOT_URLCONF = "checkins_urls"
CHECKIN_RATE_PER_MINUTE = 1_000_000_000
CHECKIN_GROUP_COMMIT_WAIT_MS = float(os.environ.get("CHECKIN_GROUP_COMMIT_WAIT_MS", "1"))
if os.environ.get("BENCH_SWITCH_INTERVAL_MS"):
    import sys

    # How long a thread holding the GIL runs before another may take it (Python's default 5 ms).
    sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL_MS"]) / 1000)
