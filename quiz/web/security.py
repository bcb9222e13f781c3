"""Security headers and CSRF for every response."""
from __future__ import annotations

from flask import Flask, Response, request

from ..extensions import csrf

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def client_address() -> str:
    """The client's address, as the trusted proxies (QUIZ_TRUSTED_PROXIES, ProxyFix) passed it on."""
    return request.remote_addr or "?"


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.vary.add("HX-Request")
    if request.endpoint != "static":
        # Every page shows who is logged in, most show per-user state (quiz progress, cards
        # due, the study list): Back must ask again rather than show a stale copy.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _health() -> Response:
    """A trivial endpoint for load balancers (and the benchmarks' baseline)."""
    return Response("ok\n", mimetype="text/plain")


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(_headers)
    app.add_url_rule("/healthz", "healthz", _health)
