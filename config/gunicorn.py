"""gunicorn's settings for «Наставник»: `gunicorn -c config/gunicorn.py config.wsgi`.

Each value can be changed from the environment (GUNICORN_*). Chosen with the
mixed load of tests/perf/bench_load.py (README «Performance»), whose
`LOAD_SWEEP=1` compares worker and thread counts.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages spend a good part of their time waiting for PostgreSQL on the same
# machine (the monitoring most): more threads per worker serve other
# requests meanwhile, with less memory than more processes. On two cores,
# 3 workers × 4 threads was the fastest in two sweeps (8.4 and 10.9 req/s
# against 7.5–10.5 for 2 × 1, 3 × 1, 3 × 2, 4 × 2 and 2 × 4), by less than
# the noise of the busy machine they ran on. Each thread keeps its own
# PostgreSQL connection: workers × threads of them.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A gthread worker accepts connections while it holds fewer than this, queued
# for its threads; at gunicorn's 1,000 one busy worker hoarded requests that
# another could have served, and the slowest waited: p95 14.2 s against 5.1 s
# with as many as its threads, 9.5 against 13.6 req/s (50 users, one run).
# The kernel's backlog queues the rest for whichever worker frees up first.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", threads))
# The proxy in front keeps the browsers' connections alive; to gunicorn it
# opens one per request (nginx's default), and a kept connection would hold
# one of the few places above.
keepalive = 0
# A request longer than this (a big export) is cut and its worker restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Renewing workers now and then bounds the memory a long-lived process gathers;
# the jitter keeps them from restarting together. A renewed worker imports the
# app again and fills its caches on its first requests (about a second of a
# core): at 2,000 a district's 60 requests a second renewed each worker every
# ninety seconds, once inside every minute of tests/perf/bench_load.py, whose
# slowest requests waited behind it (56.6 req/s, p95 1.28 s against 60.2 req/s,
# p95 1.13 s with no renewal, the same morning). At 20,000 a worker is renewed
# about every quarter of an hour at that rate.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20_000))
max_requests_jitter = 2_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# gunicorn 25+ opens a control socket at one path per user by default
# ($HOME/.gunicorn/gunicorn.ctl): two servers of one user would share it.
control_socket_disable = True


def post_worker_init(worker):
    """Leave the loaded application out of the garbage collector's passes.

    A worker holds some 190,000 objects once Django, the apps and their
    templates are loaded; a full collection walked them all, about 110 ms,
    every few hundred requests (~0.7 ms a request in the admin lists'
    profile, issue 15). None of them is garbage: frozen, they are never
    walked again, and what the requests create is collected as before.
    """
    gc.freeze()
