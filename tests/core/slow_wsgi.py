"""A WSGI application for the request time limit test: /slow never answers in time."""

import time


def application(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(600)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"fast"]
