"""Roles: readers (open by default) and curators (a token from config, compared in constant time)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import socket

from fastapi import HTTPException, Request

from grounding.config import ServeConfig

TOKEN_ENV = "GROUNDING_CURATOR_TOKEN"
MIN_TOKEN_CHARS = 16


class ServeError(ValueError):
    """The server cannot start as configured (message says what to change)."""


def curator_token(cfg: ServeConfig) -> str:
    """The configured curator token, or $GROUNDING_CURATOR_TOKEN; '' when neither is set."""
    return cfg.curator_token or os.environ.get(TOKEN_ENV, "")


def check_tokens(cfg: ServeConfig) -> None:
    for name, tok in (("serve.curator_token", curator_token(cfg)), ("serve.reader_token", cfg.reader_token)):
        if tok and len(tok) < MIN_TOKEN_CHARS:
            raise ServeError(f"{name} is {len(tok)} characters; use at least {MIN_TOKEN_CHARS} (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(24))'`)")


def is_loopback(host: str) -> bool:
    """True when every address `host` names is a loopback address."""
    h = host.strip().strip("[]")
    if h.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(h, None)
    except OSError:
        return False
    addrs = {info[4][0] for info in infos}
    return bool(addrs) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addrs)


def check_bind(host: str, cfg: ServeConfig) -> None:
    """Refuse a non-loopback address unless a curator token is configured."""
    check_tokens(cfg)
    if not is_loopback(host) and not curator_token(cfg):
        raise ServeError(
            f"refusing to serve on {host!r}, which is not a loopback address, without a curator token: "
            f"set serve.curator_token in config.toml (or ${TOKEN_ENV}), or use --host 127.0.0.1"
        )


def _bearer(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return request.headers.get("x-grounding-token", "").strip()


def _matches(given: str, expected: str) -> bool:
    if not expected or not given:
        return False
    # Digests first: equal lengths, so the comparison time says nothing about the token either.
    a = hashlib.sha256(given.encode("utf-8")).digest()
    b = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


def require_curator(request: Request) -> None:
    """Dependency: the request carries the curator token (Authorization: Bearer <token>)."""
    cfg: ServeConfig = request.app.state.serve_cfg
    expected = curator_token(cfg)
    if not expected:
        raise HTTPException(403, "curation is disabled: no curator token is configured (serve.curator_token)")
    if not _matches(_bearer(request), expected):
        raise HTTPException(401, "this endpoint changes the ontology or the index: send the curator token as 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"})


def require_reader(request: Request) -> None:
    """Dependency: open unless serve.reader_token is set; then the reader or the curator token."""
    cfg: ServeConfig = request.app.state.serve_cfg
    if not cfg.reader_token:
        return
    given = _bearer(request)
    if _matches(given, cfg.reader_token) or _matches(given, curator_token(cfg)):
        return
    raise HTTPException(401, "reading needs a token here: send 'Authorization: Bearer <token>' (serve.reader_token)", headers={"WWW-Authenticate": "Bearer"})
