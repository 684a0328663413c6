"""gunicorn hooks for `postdesk serve`: its --timeout bounds every request.

gunicorn's own --timeout restarts a worker that stops reporting to the master. A gthread
worker (the threads that keep client connections alive) reports from its main loop
whatever its request threads are doing, so there it never ends a slow request: "for the
non sync workers it just means that the worker process is still communicating and is not
tied to the length of time required to handle a single request" (gunicorn's settings,
`timeout`; benoitc/gunicorn#1493).

So each worker notes when each request in flight started, and a watchdog thread ends the
worker when one runs past the timeout, as the master ends a silent sync worker: a Python
thread cannot be stopped from outside, and a stuck one would hold its thread (and any
rows it locked) for ever. The worker first stops taking connections and gives its other
requests the graceful timeout to finish; the master then starts a fresh worker. The slow
request's client sees its connection closed (a proxy answers 502). Database statements
are cancelled sooner (POSTDESK_STATEMENT_TIMEOUT_MS, a 503), so this catches the rest.
"""

import os
import threading
import time

# thread id -> (monotonic start, "METHOD /path"), for the requests of this worker.
in_flight: dict[int, tuple[float, str]] = {}
_lock = threading.Lock()


def pre_request(worker, req):
    worker.log.debug("%s %s", req.method, req.path)  # what gunicorn's own hook does
    with _lock:
        in_flight[threading.get_ident()] = (time.monotonic(), f"{req.method} {req.path}")


def post_request(worker, req, environ, resp):
    with _lock:
        in_flight.pop(threading.get_ident(), None)


def post_worker_init(worker):
    if worker.cfg.timeout > 0:
        threading.Thread(target=watch, args=(worker,), name="request-watchdog", daemon=True).start()


def late_requests(now: float, limit: float) -> dict[int, tuple[float, str]]:
    with _lock:
        return {ident: r for ident, r in in_flight.items() if now - r[0] > limit}


def watch(worker, *, clock=time.monotonic, sleep=time.sleep, end=os._exit) -> None:
    limit = worker.cfg.timeout
    while not (late := late_requests(clock(), limit)):
        sleep(1)
    for started, what in late.values():
        worker.log.error(
            "%s has run for %.0f s, past the %s s timeout: restarting worker %s",
            what,
            clock() - started,
            limit,
            os.getpid(),
        )
    worker.alive = False  # take no more connections; the master replaces this worker
    deadline = clock() + worker.cfg.graceful_timeout
    while clock() < deadline:
        with _lock:
            others = set(in_flight) - set(late)
        if not others:
            break
        sleep(0.1)
    end(1)
