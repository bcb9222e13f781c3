"""Security headers and CSRF for every response."""
from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

from ..extensions import csrf

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def client_address() -> str:
    """The client's address, as the trusted proxies (QUIZ_TRUSTED_PROXIES, ProxyFix) passed it on."""
    return request.remote_addr or "?"


def csp_nonce() -> str:
    """A nonce for this response, allowed in its `style-src` (for a script such as CodeMirror
    that adds a `<style>` element: it reads the nonce from its own script tag)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def _headers(response: Response) -> Response:
    nonce = g.get("csp_nonce")
    policy = CSP.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'") if nonce else CSP
    response.headers.setdefault("Content-Security-Policy", policy)
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
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_headers)
    app.add_url_rule("/healthz", "healthz", _health)
